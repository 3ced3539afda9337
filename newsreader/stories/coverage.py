"""Coverage: how many articles matching a query each outlet published per day, week or month.

Counting reads the search index's matching rowids and counts them in memory against a
compact map of every article (rowid → outlet, publication time) kept as three arrays in
one cache row, with numpy: no ``GROUP BY`` join touches the articles table per hit, and no
Python object is made per hit (500,000 hits are a few array operations). Buckets are local
days (``YYYY-MM-DD``), ISO weeks (``YYYY-Www``) or months (``YYYY-MM``), ``TZ`` honoured.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsreader.store import search
from newsreader.store.indexer import max_nudge
from newsreader.store.prepare import TIES

BY = ("day", "week", "month")


@dataclass(frozen=True)
class Map:
    """Every shown article's rowid (ascending), outlet code and publication time."""

    rowids: array
    codes: array
    published: array
    outlets: list[str]


_SHOWN_ROWS = ("SELECT a.rowid, a.outlet, a.published FROM articles a WHERE a.published IS NOT NULL AND NOT EXISTS "
               "(SELECT 1 FROM story_articles e WHERE e.rowid = a.rowid AND e.edition_of IS NOT NULL)")


def build_map(db: sqlite3.Connection) -> None:
    """Store the map (inside the caller's transaction) from every article."""
    names: dict[str, int] = {}
    rowids, codes, published = _arrays(db.execute(_SHOWN_ROWS + " ORDER BY a.rowid"), names)
    _store(db, Map(rowids, codes, published, list(names)))


def update_map(db: sqlite3.Connection, span: tuple[int, int] | None, gone: Iterable[int]) -> None:
    """Bring the stored map up to date (inside the caller's transaction) after an update that
    regrouped the articles published in ``span`` (``[start, end)`` epoch seconds) and dropped
    the rows ``gone``: only those entries are read again, not every article."""
    mapping = load_map(db)
    if mapping is None:
        build_map(db)
        return
    rowids, codes, published = mapping.rowids, mapping.codes, mapping.published
    for rowid in sorted(set(gone), reverse=True):
        i = bisect_left(rowids, rowid)
        if i < len(rowids) and rowids[i] == rowid:
            del rowids[i], codes[i], published[i]
    names = {name: code for code, name in enumerate(mapping.outlets)}
    if span is not None:
        # rowids are publication times x TIES, a tie nudged up: this rowid range holds every
        # article published in the span (and perhaps a few nudged into it, read again too)
        low, high = span[0] * TIES, span[1] * TIES + max_nudge(db) + 1
        lo, hi = bisect_left(rowids, low), bisect_left(rowids, high)
        fresh = _arrays(db.execute(_SHOWN_ROWS + " AND a.rowid >= ? AND a.rowid < ? ORDER BY a.rowid",
                                   (low, high)), names)
        rowids[lo:hi], codes[lo:hi], published[lo:hi] = fresh
    _store(db, Map(rowids, codes, published, list(names)))


def _arrays(rows: Iterable[tuple[int, str, int]], names: dict[str, int]) -> tuple[array, array, array]:
    rowids, codes, published = array("q"), array("H"), array("q")
    for rowid, outlet, moment in rows:
        rowids.append(rowid)
        codes.append(names.setdefault(outlet, len(names)) & 0xFFFF)
        published.append(moment)
    return rowids, codes, published


def _store(db: sqlite3.Connection, mapping: Map) -> None:
    db.execute("INSERT OR REPLACE INTO coverage_map VALUES (1, ?, ?, ?, ?)",
               (mapping.rowids.tobytes(), mapping.codes.tobytes(), mapping.published.tobytes(),
                " ".join(mapping.outlets)))


def _read_map(db: sqlite3.Connection) -> tuple[bytes, bytes, bytes, str] | None:
    """The map's three arrays (as bytes) and outlet keys. Each array is read through SQLite's
    blob I/O: a SELECT of the row reads its 18 MB at a million articles three times slower."""
    row = db.execute("SELECT outlets FROM coverage_map WHERE id = 1").fetchone()
    if row is None:
        return None
    arrays = []
    for column in ("rowids", "codes", "published"):
        with db.blobopen("coverage_map", column, 1, readonly=True) as blob:
            arrays.append(blob.read())
    return arrays[0], arrays[1], arrays[2], row[0]


def load_map(db: sqlite3.Connection) -> Map | None:
    """The stored map, or None when there is none yet."""
    row = db.execute("SELECT rowids, codes, published, outlets FROM coverage_map WHERE id = 1").fetchone()
    if not row:
        return None
    rowids, codes, published = array("q"), array("H"), array("q")
    rowids.frombytes(row[0])
    codes.frombytes(row[1])
    published.frombytes(row[2])
    return Map(rowids, codes, published, row[3].split())


def bucket(moment: int, by: str) -> str:
    """The local-time bucket of an epoch second."""
    local = time.localtime(moment)
    if by == "month":
        return f"{local.tm_year:04d}-{local.tm_mon:02d}"
    if by == "week":
        year, week, _ = _iso_week(local)
        return f"{year:04d}-W{week:02d}"
    return f"{local.tm_year:04d}-{local.tm_mon:02d}-{local.tm_mday:02d}"


def _iso_week(local: time.struct_time) -> tuple[int, int, int]:
    from datetime import date

    return date(local.tm_year, local.tm_mon, local.tm_mday).isocalendar()


def _hits(db: sqlite3.Connection, query: str) -> Any:
    """The matching rowids as a sorted int64 array: SQLite joins them into one string and
    numpy parses it, instead of a Python object per hit."""
    import numpy as np

    found = search.plan(query)
    if found is None:
        return np.zeros(0, dtype=np.int64)
    table, condition, parameters = found.where()
    joined = db.execute(f"SELECT group_concat(rowid) FROM {table} WHERE {condition}", parameters).fetchone()[0]
    if not joined:
        return np.zeros(0, dtype=np.int64)
    hits = np.fromstring(joined, dtype=np.int64, sep=",")
    if hits.size > 1 and not bool((hits[1:] >= hits[:-1]).all()):
        hits.sort()
    return hits


def _starts(low: int, high: int, by: str) -> tuple[list[int], list[str]]:
    """The local starts (epoch seconds) and names of every bucket from the one holding ``low``
    to the one holding ``high``."""
    from datetime import date, timedelta

    first = date.fromtimestamp(low)
    last = date.fromtimestamp(high)
    if by == "week":
        first -= timedelta(days=first.weekday())
    elif by == "month":
        first = first.replace(day=1)
    starts: list[int] = []
    names: list[str] = []
    day = first
    while day <= last:
        starts.append(int(time.mktime((day.year, day.month, day.day, 0, 0, 0, 0, 0, -1))))
        if by == "day":
            names.append(day.isoformat())
            day += timedelta(days=1)
        elif by == "week":
            year, week, _ = day.isocalendar()
            names.append(f"{year:04d}-W{week:02d}")
            day += timedelta(days=7)
        else:
            names.append(f"{day.year:04d}-{day.month:02d}")
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return starts, names


def count(db: sqlite3.Connection, query: str, *, by: str = "day", outlet: str | None = None,
          start: int | None = None, end: int | None = None) -> dict:
    """``{"query", "by", "total", "outlets": {key: {bucket: n}}}`` for articles matching ``query``.

    The hits' rowids are looked up in the map (a sorted search), their publication times
    put in local buckets (a sorted search in the buckets' starts) and counted per outlet and
    bucket at once (a histogram): a few array operations whatever the number of hits."""
    if by not in BY:
        raise ValueError(f"unknown bucket {by!r} (use day, week or month)")
    result: dict = {"query": query, "by": by, "total": 0, "outlets": {}}
    row = _read_map(db)
    if search.plan(query) is None or row is None:
        return result
    names = row[3].split()
    if outlet and outlet not in names:
        return result
    wanted = names.index(outlet) if outlet else None
    try:
        import numpy  # noqa: F401
    except ImportError:  # an install without it: the same counts, a Python object per hit
        cells, buckets = _cells_python(db, query, row, by, wanted, start, end)
    else:
        cells, buckets = _cells(db, query, row, by, wanted, start, end)
    outlets = {names[code]: dict(zip([buckets[b] for b in numbers], counts, strict=True))
               for code, (numbers, counts) in sorted(cells.items())}
    result["total"] = sum(sum(counts) for _, counts in cells.values())
    result["outlets"] = dict(sorted(outlets.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))
    return result


Cells = dict[int, tuple[list[int], list[int]]]  # outlet code -> (bucket numbers ascending, counts)


def _cells(db: sqlite3.Connection, query: str, row: tuple, by: str, wanted: int | None,
           start: int | None, end: int | None) -> tuple[Cells, list[str]]:
    import numpy as np

    rowids = np.frombuffer(row[0], dtype=np.int64)
    codes = np.frombuffer(row[1], dtype=np.uint16)
    published = np.frombuffer(row[2], dtype=np.int64)
    hits = _hits(db, query)
    if not hits.size or not rowids.size:
        return {}, []
    at = np.searchsorted(rowids, hits)
    at = at[at < rowids.size]  # (hits are sorted: those past the last rowid are the tail)
    at = at[rowids[at] == hits[:at.size]]  # hits not in the map (hidden editions, undated) go
    moments = published[at]
    found = codes[at]
    keep = np.ones(at.size, dtype=bool)
    if wanted is not None:
        keep &= found == wanted
    if start is not None:
        keep &= moments >= start
    if end is not None:
        keep &= moments < end
    if not keep.all():
        moments, found = moments[keep], found[keep]
    if not moments.size:
        return {}, []
    starts, buckets = _starts(int(moments.min()), int(moments.max()), by)
    index = np.searchsorted(np.array(starts, dtype=np.int64), moments, side="right") - 1
    index = np.maximum(index, 0)  # (a moment before its local midnight's start: the first bucket)
    width = len(row[3].split())
    table = np.bincount(found.astype(np.int64) * len(buckets) + index, minlength=len(buckets) * width)
    table = table.reshape(width, len(buckets))  # a row per outlet
    cells: Cells = {}
    for code in np.flatnonzero(table.sum(axis=1)).tolist():
        numbers = np.flatnonzero(table[code])
        cells[code] = numbers.tolist(), table[code][numbers].tolist()
    return cells, buckets


def _cells_python(db: sqlite3.Connection, query: str, row: tuple, by: str, wanted: int | None,
                  start: int | None, end: int | None) -> tuple[Cells, list[str]]:
    rowids, codes, published = array("q"), array("H"), array("q")
    rowids.frombytes(row[0])
    codes.frombytes(row[1])
    published.frombytes(row[2])
    found = search.plan(query)
    if found is None:
        return {}, []
    matched: list[tuple[int, int]] = []
    i, size = 0, len(rowids)
    table, condition, parameters = found.where()
    for (hit,) in db.execute(f"SELECT rowid FROM {table} WHERE {condition} ORDER BY rowid", parameters):
        i = bisect_left(rowids, hit, i)
        if i >= size:
            break
        moment = published[i]
        if rowids[i] != hit or (wanted is not None and codes[i] != wanted) \
                or (start is not None and moment < start) or (end is not None and moment >= end):
            continue
        matched.append((codes[i], moment))
    if not matched:
        return {}, []
    starts, buckets = _starts(min(m for _, m in matched), max(m for _, m in matched), by)
    counted: dict[tuple[int, int], int] = {}
    for code, moment in matched:
        key = (code, max(bisect_right(starts, moment) - 1, 0))
        counted[key] = counted.get(key, 0) + 1
    cells: Cells = {}
    for (code, number), n in sorted(counted.items()):
        numbers, counts = cells.setdefault(code, ([], []))
        numbers.append(number)
        counts.append(n)
    return cells, buckets


def span(buckets: list[str], by: str) -> list[str]:
    """Every bucket from the first to the last of ``buckets`` (the gaps filled), in order."""
    from datetime import date, timedelta

    if not buckets:
        return []
    first, last = min(buckets), max(buckets)
    out: list[str] = []
    if by == "day":
        day, stop = date.fromisoformat(first), date.fromisoformat(last)
        while day <= stop:
            out.append(day.isoformat())
            day += timedelta(days=1)
    elif by == "week":
        year, week = int(first[:4]), int(first[6:])
        day = date.fromisocalendar(year, week, 1)
        while True:
            y, w, _ = day.isocalendar()
            name = f"{y:04d}-W{w:02d}"
            out.append(name)
            if name >= last:
                break
            day += timedelta(days=7)
    else:
        year, month = int(first[:4]), int(first[5:7])
        while True:
            name = f"{year:04d}-{month:02d}"
            out.append(name)
            if name >= last:
                break
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def count_by_sql(db: sqlite3.Connection, query: str, *, by: str = "day", outlet: str | None = None) -> dict:
    """The same counts through a join (slower), for a cache without the map (read-only, older)."""
    result: dict = {"query": query, "by": by, "total": 0, "outlets": {}}
    found = search.plan(query)
    if found is None:
        return result
    table, condition, parameters = found.where()
    rows = db.execute(f"SELECT a.outlet, a.published FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
                      f"WHERE {condition} AND a.published IS NOT NULL", parameters)
    for key, moment in rows:
        if outlet and key != outlet:
            continue
        buckets = result["outlets"].setdefault(key, {})
        name = bucket(moment, by)
        buckets[name] = buckets.get(name, 0) + 1
        result["total"] += 1
    return result
