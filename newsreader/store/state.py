"""What the user did — read, starred, the remembered sources, settings chosen in the app.

Kept in its own SQLite file in the data dir, apart from the cache, keyed by the
stable article ids, so rebuilding the cache never loses any of it. Every write is
its own transaction: a kill at any moment leaves the last write whole or absent.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from newsreader.store.schema import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (article_id TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS starred (article_id TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (path TEXT PRIMARY KEY, added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO counters VALUES ('read_gen', 0);
"""
# Every change to the read list, whoever makes it, counts one generation: the cache's read
# counts know from it whether they are current (store/counts.py).
_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS read_{event.lower()} AFTER {event} ON read BEGIN "
    "UPDATE counters SET value = value + 1 WHERE key = 'read_gen'; END"
    for event in ("INSERT", "DELETE")
]


class State:
    """The user's state, in ``state.sqlite`` under the data dir."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = connect(path)
        for statement in _SCHEMA.strip().split(";"):
            if statement.strip():
                self.db.execute(statement)
        for trigger in _TRIGGERS:
            self.db.execute(trigger)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- sources -------------------------------------------------------------------------

    def sources(self) -> list[str]:
        """The remembered source paths, in the order they were added."""
        return [r[0] for r in self.db.execute("SELECT path FROM sources ORDER BY added, path")]

    def add_sources(self, paths: Iterable[str]) -> None:
        """Remember source paths (already absolute)."""
        now = time.time()
        with self.db:
            self.db.executemany("INSERT OR IGNORE INTO sources VALUES (?, ?)", [(p, now) for p in paths])

    def remove_source(self, path: str) -> bool:
        """Forget a source; False if it was not remembered."""
        cursor = self.db.execute("DELETE FROM sources WHERE path = ?", (path,))
        return cursor.rowcount > 0

    # -- read and starred ----------------------------------------------------------------

    def _flag(self, table: str, article_id: str, on: bool) -> bool:
        if on:
            cursor = self.db.execute(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", (article_id, time.time()))
        else:
            cursor = self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        return cursor.rowcount > 0

    def set_read(self, article_id: str, read: bool = True) -> bool:
        """Mark an article read (or unread); True if that changed anything."""
        return self._flag("read", article_id, read)

    def _read_gen(self) -> int:
        row = self.db.execute("SELECT value FROM counters WHERE key = 'read_gen'").fetchone()
        return int(row[0]) if row else 0

    def read_generation(self) -> int:
        """How many changes the read list has seen (see the triggers above)."""
        return self._read_gen()

    def set_read_many(self, article_ids: Iterable[str], read: bool = True) -> int:
        """Mark many articles read (or unread) in one transaction; how many changed."""
        now = time.time()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            before = self._read_gen()
            if read:
                self.db.executemany("INSERT OR IGNORE INTO read VALUES (?, ?)", ((i, now) for i in article_ids))
            else:
                self.db.executemany("DELETE FROM read WHERE article_id = ?", ((i,) for i in article_ids))
            changed = self._read_gen() - before  # the triggers count each row that changed
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return changed

    def set_starred(self, article_id: str, starred: bool = True) -> None:
        """Star (or unstar) an article."""
        self._flag("starred", article_id, starred)

    def is_starred(self, article_id: str) -> bool:
        """Whether the article is starred."""
        return self.db.execute("SELECT 1 FROM starred WHERE article_id = ?", (article_id,)).fetchone() is not None

    # -- settings ------------------------------------------------------------------------

    def get(self, key: str, default: str = "") -> str:
        """A setting the app remembers (script, theme, last position)."""
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def put(self, key: str, value: str) -> None:
        """Remember a setting."""
        self.db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))


def attach(cache: sqlite3.Connection, state_path: Path) -> None:
    """Attach the state file to a cache connection as ``state``, for joins (read/starred flags)."""
    cache.execute("ATTACH DATABASE ? AS state", (str(state_path),))
