"""What the user did — read, starred, the remembered sources, settings chosen in the app.

Kept in its own SQLite file in the data dir, apart from the cache, keyed by the
stable article ids, so rebuilding the cache never loses any of it. Every write is
its own transaction: a kill at any moment leaves the last write whole or absent.

This is the one place the state is opened (:class:`State`), and it never fails the
program: a damaged file is kept aside and what SQLite's pages still hold is recovered
into a new one (see :mod:`newsreader.store.salvage`); a file that is read-only, on a
full disk or in a folder that cannot be made is used read-only (or, failing even that,
in memory), and each write then raises :class:`StateError` saying what was not saved
and why.
"""

from __future__ import annotations

import errno
import fcntl
import itertools
import os
import re
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from newsreader import paths
from newsreader.store.salvage import salvage
from newsreader.store.schema import connect, is_corruption

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
_TABLES = ("read", "starred", "sources", "settings")
_ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
CHECK_BELOW = 256 * 1024 * 1024  # files up to this size get a full quick_check when opened
_memory_names = itertools.count()


class StateError(Exception):
    """A change to the user's state that could not be saved; the message says what and why."""


def _ignore(message: str) -> None:
    pass


def room(folder: Path) -> int:
    """Bytes free for this user on the file system holding ``folder`` (a lot when unknown)."""
    try:
        info = os.statvfs(folder)
    except OSError:
        return 1 << 62
    return info.f_bavail * info.f_frsize


def disk_full(folder: Path) -> bool:
    """Whether the file system holding ``folder`` has (next to) no room left."""
    return room(folder) < 64 * 1024


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def not_a_regular_file(path: Path) -> str:
    """What ``path`` is (links followed) when it is there and not a regular file, else ''."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""  # absent (made on opening) or unreachable (said when opening fails)
    if stat.S_ISREG(mode):
        return ""
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _why(error: BaseException, path: Path) -> str:
    """Why the state file cannot take a write, as the end of "the state file PATH ..."."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    text = str(error)
    if code == sqlite3.SQLITE_FULL or "full" in text.lower() or getattr(error, "errno", 0) == errno.ENOSPC:
        return "is on a full disk"
    if code == sqlite3.SQLITE_IOERR and disk_full(path.parent):  # a full disk under WAL: "disk I/O error"
        return "is on a full disk"
    if code == sqlite3.SQLITE_READONLY or "readonly" in text.lower() or "read-only" in text.lower():
        return "is read-only"
    for suffix in ("-wal", "-shm"):  # SQLite says only "unable to open database file"
        companion = Path(f"{path}{suffix}")
        if os.path.lexists(companion) and not_a_regular_file(companion):
            return f"cannot be used: {companion.name} beside it is {not_a_regular_file(companion)}"
    if not os.access(path.parent, os.W_OK) and path.parent.is_dir():
        return "is in a folder that cannot be written"
    if isinstance(error, OSError):
        return f"cannot be used ({error.strerror or text})"
    return f"cannot be used ({text})"


def _plausible(table: str, row: tuple) -> bool:
    """Whether a recovered row has the shape of its table (garbage pages can parse)."""
    if len(row) != 2 or not isinstance(row[0], str):
        return False
    if table in ("read", "starred"):
        return bool(_ARTICLE_ID.fullmatch(row[0])) and isinstance(row[1], int | float)
    if table == "sources":
        return row[0].startswith("/") and isinstance(row[1], int | float)
    return isinstance(row[1], str)


def _create(db: sqlite3.Connection) -> None:
    if db.execute("SELECT count(*) FROM sqlite_master WHERE name IN ('counters', 'read_insert', 'read_delete')"
                  ).fetchone()[0] == 3:
        return  # all there: nothing to write (a read-only file opens too)
    for statement in _SCHEMA.strip().split(";"):
        if statement.strip():
            db.execute(statement)
    for trigger in _TRIGGERS:
        db.execute(trigger)


class _Foreign(sqlite3.DatabaseError):
    """A SQLite file whose tables are not newsreader's (another program's, or hand-edited)."""


_COLUMNS = {"read": "article_id, at", "starred": "article_id, at", "sources": "path, added",
            "settings": "key, value", "counters": "key, value"}


def _healthy(db: sqlite3.Connection, path: Path) -> bool:
    """Read every table with its columns (and, for a file of ordinary size, check every page)."""
    for table, columns in _COLUMNS.items():
        try:
            db.execute(f"SELECT {columns} FROM {table} LIMIT 1").fetchall()
        except sqlite3.OperationalError as error:
            if "no such column" in str(error) or "no such table" in str(error):
                raise _Foreign(f"its tables are not newsreader's: {error}") from None
            raise
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < CHECK_BELOW:
        return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    return True


class State:
    """The user's state, in ``state.sqlite`` under the data dir.

    ``problem`` is '' when changes are saved, else why they cannot be (the state is then
    read-only, or in memory when not even that was possible). ``warn`` hears what was
    done on opening (a damaged file kept aside and recovered; a read-only state)."""

    def __init__(self, path: Path, warn: Callable[[str], None] = _ignore) -> None:
        self.path = path
        self.warn = warn
        self.problem = ""
        self.uri = paths.sqlite_uri(path)  # ATTACHed by URI: any bytes in the name survive
        self.db = self._open()

    # -- opening -------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return self._in_memory(f"cannot be made: its folder {self.path.parent} cannot be "
                                   f"({error.strerror or error})")
        kind = not_a_regular_file(self.path)
        if kind:  # /dev/null would take every write and keep none of them
            return self._in_memory(f"is not a regular file but {kind}")
        for _attempt in range(2):
            problem: sqlite3.DatabaseError
            try:
                db = connect(self.path)
                _create(db)
                if _healthy(db, self.path):
                    return db
                db.close()
                problem = sqlite3.DatabaseError("pages fail SQLite's quick_check")
            except sqlite3.DatabaseError as error:
                problem = error
            if not (is_corruption(problem) or isinstance(problem, _Foreign) or "quick_check" in str(problem)):
                return self._read_only(_why(problem, self.path))
            if not self._recover(str(problem)):
                return self._in_memory("is damaged and cannot be replaced", salvage_rows=True)
        return self._read_only("is damaged again after recovery")

    @contextmanager
    def _recovery_lock(self) -> Iterator[None]:
        with open(str(self.path) + ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def _recover(self, reason: str) -> bool:
        """Keep the damaged file aside, start a new one with every row that could be read.
        False if the file could not be moved aside."""
        try:
            with self._recovery_lock():
                try:  # another process may have recovered it while this one waited
                    db = connect(self.path)
                    if _healthy(db, self.path):
                        db.close()
                        return True
                    db.close()
                except sqlite3.DatabaseError:
                    pass
                rows = self._salvage()
                stamp = time.strftime("%Y%m%d-%H%M%S")
                aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
                for n in itertools.count(2):
                    if not aside.exists():
                        break
                    aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
                # Killed at any step, nothing is lost: the damaged file is copied aside whole
                # first, the new one is built apart and only then takes its name.
                for suffix in ("", "-wal"):
                    if os.path.lexists(str(self.path) + suffix):
                        shutil.copy2(str(self.path) + suffix, str(aside) + suffix)
                fresh = Path(str(self.path) + ".recovering")
                fresh.unlink(missing_ok=True)
                db = sqlite3.connect(fresh, isolation_level=None)
                _create(db)
                self._insert(db, rows)
                db.close()
                for suffix in ("-wal", "-shm"):  # a stale WAL beside the new file would corrupt it
                    Path(str(self.path) + suffix).unlink(missing_ok=True)
                os.replace(fresh, self.path)
        except OSError as error:
            where = f": {Path(os.fsdecode(error.filename)).name}" if error.filename else ""
            self.warn(f"the state file {self.path} is damaged ({reason}) and cannot be moved aside "
                      f"({error.strerror or error}{where}); working read-only with what could be recovered")
            return False
        self.warn(f"the state file {self.path} was damaged ({reason}); kept it as {aside.name} and recovered "
                  f"{len(rows['starred'])} stars, {len(rows['read'])} read marks and "
                  f"{len(rows['sources'])} sources" + (f"; {len(rows[''])} more stars or read marks could not "
                                                       f"be told apart and are only in {aside.name}"
                                                       if rows[""] else ""))
        return True

    def _salvage(self) -> dict[str, list[tuple]]:
        try:
            found = salvage(self.path)
        except (OSError, MemoryError):
            found = {}
        rows = {table: [row for row in found.get(table, []) if _plausible(table, row)] for table in _TABLES}
        # rows whose page hung below damage in more than one table (stars or read marks?)
        rows[""] = [row for row in found.get("", []) if _plausible("read", row)]
        return rows

    @staticmethod
    def _insert(db: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
        # One transaction: in autocommit every row was its own, each synced to disk (6,000
        # rows took 30-60 s on a busy disk).
        with db:
            db.execute("BEGIN")
            for table in _TABLES:
                db.executemany(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", rows.get(table, []))
            # a generation no cache has seen, so every read count is recounted (store/counts.py)
            db.execute("UPDATE counters SET value = ? WHERE key = 'read_gen'", (time.time_ns() // 1000,))

    def _read_only(self, why: str) -> sqlite3.Connection:
        self.problem = f"the state file {self.path} {why}"
        if self.path.exists():
            for query in ("mode=ro", "immutable=1"):  # immutable: a read-only folder with no -shm
                uri = paths.sqlite_uri(self.path, query)
                try:
                    db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                    for table in _TABLES:
                        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall()
                    self.uri = uri
                    return db
                except sqlite3.DatabaseError:
                    continue
        return self._in_memory(why)

    def _in_memory(self, why: str, salvage_rows: bool = False) -> sqlite3.Connection:
        if not self.problem:
            self.problem = f"the state file {self.path} {why}"
        if os.path.lexists(self.path) and not salvage_rows:  # something unreadable is there: say so now
            self.warn(f"{self.problem}: stars, read marks and sources are neither shown nor saved")
        self.uri = f"file:newsreader-state-{os.getpid()}-{next(_memory_names)}?mode=memory&cache=shared"
        db = sqlite3.connect(self.uri, uri=True, isolation_level=None, check_same_thread=False)
        _create(db)
        if salvage_rows and self.path.exists():
            self._insert(db, self._salvage())
        return db

    @property
    def in_memory(self) -> bool:
        """Whether the state file could not be opened at all (nothing read from it is known)."""
        return "mode=memory" in self.uri

    def healthy(self) -> bool:
        """Whether the state file reads whole, looked at afresh (used to tell its damage from
        the cache's)."""
        if self.problem:
            return True  # read-only or in memory: nothing to repair here
        try:
            db = sqlite3.connect(self.path, timeout=30)
            try:
                return _healthy(db, self.path)
            finally:
                db.close()
        except sqlite3.DatabaseError as error:
            return not is_corruption(error)

    def reopen(self) -> None:
        """Open again (recovering a file found damaged since it was opened)."""
        try:
            self.db.close()
        except sqlite3.Error:
            pass
        self.problem = ""
        self.db = self._open()

    @contextmanager
    def _saving(self, what: str) -> Iterator[None]:
        """Run a write; if it cannot be saved, raise :class:`StateError` saying what and why."""
        if self.problem:
            raise StateError(f"cannot save {what}: {self.problem}")
        try:
            yield
        except sqlite3.OperationalError as error:
            raise StateError(f"cannot save {what}: the state file {self.path} {_why(error, self.path)}") from None

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
        with self._saving("the sources"), self.db:
            self.db.executemany("INSERT OR IGNORE INTO sources VALUES (?, ?)", [(p, now) for p in paths])

    def remove_source(self, path: str) -> bool:
        """Forget a source; False if it was not remembered."""
        with self._saving("the sources"):
            cursor = self.db.execute("DELETE FROM sources WHERE path = ?", (path,))
        return cursor.rowcount > 0

    # -- read and starred ----------------------------------------------------------------

    def _flag(self, table: str, article_id: str, on: bool) -> bool:
        what = {"read": "the read mark", "starred": "the star"}[table]
        with self._saving(what if on else f"the removal of {what}"):
            if on:
                cursor = self.db.execute(f"INSERT OR IGNORE INTO {table} VALUES (?, ?)", (article_id, time.time()))
            else:
                cursor = self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        return cursor.rowcount > 0

    def set_read(self, article_id: str, read: bool = True) -> bool:
        """Mark an article read (or unread); True if that changed anything."""
        return self._flag("read", article_id, read)

    def _read_gen(self) -> int:
        try:
            row = self.db.execute("SELECT value FROM counters WHERE key = 'read_gen'").fetchone()
        except sqlite3.OperationalError:  # a read-only state from before the counters
            return 0
        return int(row[0]) if row else 0

    def read_generation(self) -> int:
        """How many changes the read list has seen (see the triggers above)."""
        return self._read_gen()

    def set_read_many(self, article_ids: Iterable[str], read: bool = True) -> int:
        """Mark many articles read (or unread) in one transaction; how many changed."""
        now = time.time()
        with self._saving("the read marks"):
            return self._write_many(article_ids, read, now)

    def _write_many(self, article_ids: Iterable[str], read: bool, now: float) -> int:
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
            if self.db.in_transaction:
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
        with self._saving(f"the setting {key!r}"):
            self.db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, value))

    def attach_to(self, cache: sqlite3.Connection) -> None:
        """Attach the state to a cache connection as ``state``, for joins (read/starred flags),
        the way it was opened (read-only or in memory included).

        A state file is attached read-only: the cache's writers begin with ``BEGIN IMMEDIATE``,
        which takes the write lock of every attached database, so an index run held the state's
        for minutes and a star or a second ``index`` remembering its sources waited on it (and
        failed with "database is locked" after the busy timeout). Writes to the state go
        through its own connection; the cache only ever reads it."""
        uri = self.uri if "?" in self.uri else f"{self.uri}?mode=ro"
        cache.execute("ATTACH DATABASE ? AS state", (uri,))
