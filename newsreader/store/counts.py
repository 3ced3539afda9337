"""Per-outlet, per-day article and read counts, kept in a small table so the outline never
scans every article.

``day_counts`` holds, for each outlet and local day ('' when undated), how many articles
the cache has and how many of them are read. The index writer keeps the article counts
(and the read ones, from the user's state) as it stores and drops articles; marking read
keeps the read counts. Both are only a summary: when they may be wrong they are rebuilt
from the rows, never trusted blindly.

- Local days depend on the time zone, so the table remembers the zone it was counted in
  (``meta.counts_tz``); in another zone the days are counted again.
- The user's state counts its read changes (a trigger bumps ``counters.read_gen``, whoever
  writes); the cache remembers the generation its read counts reflect (``meta.read_gen``).
  A read mark that cannot update the cache at once (the indexer holds the write lock) just
  leaves the generations apart, and the read counts are recounted from the read list.
"""

from __future__ import annotations

import os
import sqlite3
import time

from newsreader.store.transactions import rollback

SCHEMA = """
CREATE TABLE day_counts (
    outlet TEXT NOT NULL,
    day TEXT NOT NULL,           -- local YYYY-MM-DD, '' when undated
    articles INTEGER NOT NULL,
    read INTEGER NOT NULL,
    PRIMARY KEY (outlet, day)
) WITHOUT ROWID;
"""

# The local day of an epoch in SQL ('' when undated), the same expression everywhere.
DAY = "coalesce(date({}, 'unixepoch', 'localtime'), '')"

_UPSERT = ("INSERT INTO day_counts VALUES (?, " + DAY.format("?") + ", ?, ?) ON CONFLICT DO UPDATE "
           "SET articles = articles + excluded.articles, read = read + excluded.read")


def zone() -> str:
    """What local days depend on: the zone as this process sees it."""
    return f"{os.environ.get('TZ', '')}|{time.tzname}|{time.timezone}|{time.altzone}"


def _meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def has_state(db: sqlite3.Connection) -> bool:
    """Whether the user's state is attached to this connection (as ``state``)."""
    # the name column only: a file column holding a path that is not UTF-8 cannot be read
    return db.execute("SELECT 1 FROM pragma_database_list WHERE name = 'state'").fetchone() is not None


def state_generation(db: sqlite3.Connection) -> int:
    """How many read changes the attached state has seen."""
    try:
        row = db.execute("SELECT value FROM state.counters WHERE key = 'read_gen'").fetchone()
    except sqlite3.OperationalError:  # a state file from before the counter that cannot be written to
        return -2
    return int(row[0]) if row else 0


class Counter:
    """Keeps ``day_counts`` as the index writer adds and drops articles (inside its transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.with_state = has_state(db)
        if _meta(db, "counts_tz") != zone():
            rebuild(db, with_read=self.with_state)
        if not self.with_state:
            _set_meta(db, "read_gen", "-1")  # read flags unknown here: recount them later

    def _is_read(self, article_id: str) -> int:
        if not self.with_state:
            return 0
        return 1 if self.db.execute("SELECT 1 FROM state.read WHERE article_id = ?", (article_id,)).fetchone() else 0

    def added(self, outlet: str, published: int | None, article_id: str) -> None:
        """An article was stored."""
        self.db.execute(_UPSERT, (outlet, published, 1, self._is_read(article_id)))

    def removed(self, outlet: str, published: int | None, article_id: str) -> None:
        """An article was dropped."""
        self.db.execute(_UPSERT, (outlet, published, -1, -self._is_read(article_id)))
        self.db.execute("DELETE FROM day_counts WHERE outlet = ? AND day = " + DAY.format("?")
                        + " AND articles <= 0", (outlet, published))


def rebuild(db: sqlite3.Connection, *, with_read: bool) -> None:
    """Count everything again from the rows (inside the caller's write transaction)."""
    db.execute("DELETE FROM day_counts")
    db.execute("INSERT INTO day_counts SELECT outlet, " + DAY.format("published") + " AS d, count(*), 0 "
               "FROM articles GROUP BY outlet, d")
    _set_meta(db, "counts_tz", zone())
    if with_read:
        recount_read(db)
    else:
        _set_meta(db, "read_gen", "-1")


def _read_rows(db: sqlite3.Connection, day: bool) -> list[tuple]:
    """(outlet, day or '', read articles) from the read list joined to the rows."""
    column = DAY.format("a.published") if day else "''"
    # CROSS JOIN: walk the read list and look each up, never every article (SQLite knows
    # nothing of the attached list's size and would scan the articles otherwise)
    return db.execute(f"SELECT a.outlet, {column} AS d, count(*) FROM state.read r "
                      "CROSS JOIN articles a ON a.id = r.article_id GROUP BY a.outlet, d").fetchall()


def recount_read(db: sqlite3.Connection) -> None:
    """Read counts again from the read list (inside the caller's write transaction)."""
    generation = state_generation(db)
    db.execute("UPDATE day_counts SET read = 0 WHERE read != 0")
    db.executemany("UPDATE day_counts SET read = ? WHERE outlet = ? AND day = ?",
                   [(n, outlet, day) for outlet, day, n in _read_rows(db, True)])
    _set_meta(db, "read_gen", str(generation))


def fresh(db: sqlite3.Connection) -> tuple[bool, bool]:
    """(days are counted in this zone, read counts are current) as the cache stands."""
    read_gen = _meta(db, "read_gen")
    return _meta(db, "counts_tz") == zone(), read_gen is not None and int(read_gen) == state_generation(db)


def refresh(db: sqlite3.Connection) -> bool:
    """Bring the counts up to date if they are not; False if the cache's write lock is busy
    (another process is indexing), in which case callers count from the rows instead."""
    zone_ok, read_ok = fresh(db)
    if zone_ok and read_ok:
        return True
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    try:
        zone_ok, read_ok = fresh(db)
        if not zone_ok:
            rebuild(db, with_read=True)
        elif not read_ok:
            recount_read(db)
        db.execute("COMMIT")
    except BaseException:
        rollback(db)
        raise
    return True


def note_read_many(db: sqlite3.Connection, article_ids: list[str], read: bool, before: int, after: int) -> bool:
    """After the state marked ``article_ids`` read (or unread), each a change, taking its
    generation from ``before`` to ``after``: apply that to the counts if they were current
    just before and nothing else changed the read list since. False if not, or if the cache
    is busy (the next :func:`refresh` recounts)."""
    if after - before != len(article_ids):
        return False
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    try:
        applied = _meta(db, "read_gen") == str(before) and state_generation(db) == after
        if applied:
            sign = 1 if read else -1
            for i in range(0, len(article_ids), 500):
                chunk = article_ids[i:i + 500]
                marks = ",".join("?" * len(chunk))
                db.executemany(
                    "UPDATE day_counts SET read = read + ? WHERE outlet = ? AND day = ?",
                    [(sign * n, outlet, day) for outlet, day, n in db.execute(
                        f"SELECT outlet, {DAY.format('published')} AS d, count(*) FROM articles "
                        f"WHERE id IN ({marks}) GROUP BY outlet, d", chunk).fetchall()])
            _set_meta(db, "read_gen", str(after))
        db.execute("COMMIT")
    except BaseException:
        rollback(db)
        raise
    return applied


def outlets(db: sqlite3.Connection) -> list[tuple[str, int, int, int | None]]:
    """(outlet, articles, unread, newest publication) for every outlet, newest first."""
    _zone_ok, read_ok = fresh(db)
    totals = {outlet: [n, r] for outlet, n, r in db.execute(
        "SELECT outlet, sum(articles), sum(read) FROM day_counts GROUP BY outlet")}
    if not read_ok:
        for total in totals.values():
            total[1] = 0
        for outlet, _day, n in _read_rows(db, False):
            if outlet in totals:
                totals[outlet][1] = n
    rows = []
    for outlet, (n, r) in totals.items():
        newest = db.execute("SELECT rowid, published FROM articles WHERE outlet = ? ORDER BY rowid DESC LIMIT 1",
                            (outlet,)).fetchone()
        rows.append((newest[0] if newest else 0, outlet, n, n - r, newest[1] if newest else None))
    rows.sort(reverse=True)
    return [(outlet, n, unread, newest) for _rowid, outlet, n, unread, newest in rows]


def days(db: sqlite3.Connection, outlet: str) -> list[tuple[str, int, int]]:
    """(local day or '', articles, unread) of one outlet, newest day first."""
    zone_ok, read_ok = fresh(db)
    if not zone_ok:  # counted in another zone: count this outlet from its rows
        rows = db.execute(
            "SELECT " + DAY.format("a.published") + " AS d, count(*), "
            "sum(a.id NOT IN (SELECT article_id FROM state.read)) "
            "FROM articles a WHERE a.outlet = ? GROUP BY d ORDER BY d DESC", (outlet,)).fetchall()
        return [(d, n, u or 0) for d, n, u in rows]
    found = db.execute("SELECT day, articles, read FROM day_counts WHERE outlet = ? ORDER BY day DESC",
                       (outlet,)).fetchall()
    if read_ok:
        return [(d, n, n - r) for d, n, r in found]
    read = {d: n for o, d, n in db.execute(
        "SELECT a.outlet, " + DAY.format("a.published") + " AS d, count(*) FROM state.read r "
        "CROSS JOIN articles a ON a.id = r.article_id WHERE a.outlet = ? GROUP BY d", (outlet,))}
    return [(d, n, n - read.get(d, 0)) for d, n, _r in found]
