"""Coverage: how many articles matching a query each outlet published per day, week or month.

Counting reads the search index's matching rowids and counts them in memory against a
compact map of every article (rowid → outlet, publication time) kept as three arrays in
one cache row; no ``GROUP BY`` join touches the articles table per hit. Buckets are local
days (``YYYY-MM-DD``), ISO weeks (``YYYY-Www``) or months (``YYYY-MM``), ``TZ`` honoured.
"""

from __future__ import annotations

import sqlite3
import time
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from newsreader.store import tokens
from newsreader.store.indexer import max_nudge
from newsreader.store.prepare import TIES
from newsreader.store.search import matching_rowids

BY = ("day", "week", "month")
_SLOT = 900  # publication times within one quarter hour share a bucket lookup


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


def count(db: sqlite3.Connection, query: str, *, by: str = "day", outlet: str | None = None,
          start: int | None = None, end: int | None = None) -> dict:
    """``{"query", "by", "total", "outlets": {key: {bucket: n}}}`` for articles matching ``query``."""
    if by not in BY:
        raise ValueError(f"unknown bucket {by!r} (use day, week or month)")
    result: dict = {"query": query, "by": by, "total": 0, "outlets": {}}
    mapping = load_map(db)
    if tokens.match_expression(query) is None or mapping is None:
        return result
    hits = matching_rowids(db, query)
    rowids, codes, published = mapping.rowids, mapping.codes, mapping.published
    wanted = mapping.outlets.index(outlet) if outlet in mapping.outlets else (-1 if outlet else None)
    if wanted == -1:
        return result
    low = start if start is not None else -(1 << 62)
    high = end if end is not None else 1 << 62
    slots: dict[int, str] = {}
    counts: dict[tuple[int, str], int] = {}
    size = len(rowids)
    i = 0
    for hit in hits:
        i = bisect_left(rowids, hit, i)
        if i >= size:
            break
        if rowids[i] != hit:
            continue
        code = codes[i]
        if wanted is not None and code != wanted:
            continue
        moment = published[i]
        if not low <= moment < high:
            continue
        slot = moment // _SLOT
        name = slots.get(slot)
        if name is None:
            name = slots[slot] = bucket(moment, by)
        key = (code, name)
        counts[key] = counts.get(key, 0) + 1
    outlets: dict[str, dict[str, int]] = {}
    total = 0
    for (code, name), n in sorted(counts.items(), key=lambda kv: (mapping.outlets[kv[0][0]], kv[0][1])):
        outlets.setdefault(mapping.outlets[code], {})[name] = n
        total += n
    result["total"] = total
    result["outlets"] = dict(sorted(outlets.items(), key=lambda kv: -sum(kv[1].values())))
    return result


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
    expression = tokens.match_expression(query)
    if expression is None:
        return result
    rows = db.execute("SELECT a.outlet, a.published FROM search JOIN articles a ON a.rowid = search.rowid "
                      "WHERE search MATCH ? AND a.published IS NOT NULL", (expression,))
    for key, moment in rows:
        if outlet and key != outlet:
            continue
        buckets = result["outlets"].setdefault(key, {})
        name = bucket(moment, by)
        buckets[name] = buckets.get(name, 0) + 1
        result["total"] += 1
    return result
