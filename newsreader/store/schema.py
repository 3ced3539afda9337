"""The cache's schema, its version, and opening it safely (a damaged or foreign cache is rebuilt).

The cache only ever holds what the sources can give again, so an unknown version,
a different tokenizer or a corrupt file is answered by deleting and recreating it.
User state lives elsewhere (store/state.py) and is never touched here.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from newsreader.store import bodies, counts, tokens
from newsreader.store.transactions import rollback

SCHEMA_VERSION = 11

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- rowid is the sort key: the publication time in epoch seconds x 16 (nudged up on a tie, undated below 0),
-- so rowid order is date order and the search index's rowid deltas stay small.
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    outlet TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    author TEXT NOT NULL,
    category TEXT NOT NULL,
    keywords TEXT NOT NULL,      -- JSON list
    published INTEGER,           -- epoch seconds UTC, NULL if unknown
    script TEXT NOT NULL,
    source TEXT NOT NULL,        -- the file its content was read from
    format TEXT NOT NULL,
    quality INTEGER NOT NULL,    -- length of the text: the fullest copy wins
    date_only INTEGER NOT NULL DEFAULT 0  -- 1: the source gave a date without a time (published is its noon UTC)
);
-- covers the outline's counts and days without touching the rows
CREATE INDEX articles_outlet ON articles (outlet, rowid, published, id);
-- the big columns live apart, so scans and lookups of articles stay small
CREATE TABLE bodies (
    rowid INTEGER PRIMARY KEY,   -- the article's rowid
    data BLOB NOT NULL           -- one zstd frame: clean HTML, visible text, media, links (store/bodies.py)
);
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    error TEXT                   -- why it gave no article, or NULL
);
CREATE TABLE article_files (
    article_id TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (article_id, path)
) WITHOUT ROWID;
CREATE INDEX article_files_path ON article_files (path);
CREATE TABLE dirs (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL);
-- the two-phase index (store/indexer.py): articles catalogued from their file's header alone
-- (listed, not yet in bodies or the search index), and the files whose full parse is still to come
CREATE TABLE shallow (rowid INTEGER PRIMARY KEY);
CREATE TABLE pending (path TEXT PRIMARY KEY);
-- body first: FTS5 marks every position outside column 0, so the big column goes there.
-- every character an article holds, once (title characters once more, marked): one-character
-- queries read one short list here instead of merging every bigram the character begins
-- the titles' tokens alone: "title hits first" reads these short lists instead of filtering
-- every body hit of a common word by column
CREATE VIRTUAL TABLE titles USING fts5(
    title, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE chars USING fts5(
    c, content='', detail=none, columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE search USING fts5(
    body, title, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'
);
"""


def is_corruption(error: BaseException) -> bool:
    """True for errors that mean the file itself is damaged or not a database."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    message = str(error).lower()
    return "malformed" in message or "not a database" in message


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the settings every use wants: WAL, a patient busy timeout."""
    # uri=True lets a read-only or in-memory state file be ATTACHed by its URI (store/state.py)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False, uri=True)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    connection.execute("PRAGMA cache_size = -32768")  # up to 32 MB of pages: bulk writes thrash less
    return connection


def usable(connection: sqlite3.Connection) -> str:
    """'' if the cache is current, else why it must be rebuilt."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        return "empty" if not names else "from an unknown version"
    if version != SCHEMA_VERSION:
        return f"from schema version {version} (this is {SCHEMA_VERSION})"
    row = connection.execute("SELECT value FROM meta WHERE key = 'tokens'").fetchone()
    if not row or row[0] != tokens.VERSION:
        return "built with another search tokenizer"
    connection.execute("SELECT count(*) FROM (SELECT 1 FROM articles LIMIT 1)").fetchone()
    return ""


def describe(error: BaseException, path: Path) -> str:
    """What is wrong with the storage of a database at ``path``, as the end of "the cache
    at PATH ..." ('' when ``error`` is not about storage: a bug or damage)."""
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    text = str(error).lower()
    folder = path.parent
    room = 1 << 20
    try:
        info = os.statvfs(folder)
        room = info.f_bavail * info.f_frsize
    except OSError:
        pass
    if code == sqlite3.SQLITE_FULL or getattr(error, "errno", 0) == errno.ENOSPC or "disk is full" in text:
        return "is on a full disk"
    for suffix in ("-wal", "-shm", "-journal"):  # SQLite's companions: a folder there blocks every write
        companion = Path(str(path) + suffix)
        if companion.exists() and not companion.is_file():
            return f"cannot be used: {companion} is not a file"
    if code == sqlite3.SQLITE_IOERR:
        return "is on a full disk" if room < 1 << 16 else f"cannot be written ({error})"
    if code == sqlite3.SQLITE_READONLY or getattr(error, "errno", 0) in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "cannot be written (read-only, or another user's)"
    if code == sqlite3.SQLITE_CANTOPEN or isinstance(error, OSError):
        if path.exists() and not path.is_file():
            return "is not a file"
        blocker = next((p for p in (folder, *folder.parents) if p.exists() or p.is_symlink()), None)
        if blocker is not None and not blocker.is_dir():
            return f"cannot be made: {blocker} is not a folder"
        if not os.access(folder if folder.exists() else folder.parent, os.W_OK):
            return "cannot be written (read-only, or another user's)"
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return f"cannot be opened ({reason})"
    return ""


def create(connection: sqlite3.Connection) -> None:
    """Create the tables unless another process just did (checked under the write lock)."""
    if not connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
        # Free pages can be given back (see release_free_pages); the setting takes only on an
        # empty file, and only through VACUUM once WAL has written the header.
        try:
            connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
            connection.execute("VACUUM")
        except sqlite3.OperationalError:
            pass  # another process is creating it: the cache works without
    connection.execute("BEGIN IMMEDIATE")
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in (_SCHEMA + counts.SCHEMA + bodies.SCHEMA).split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute("INSERT INTO meta VALUES ('counts_tz', ?)", (counts.zone(),))
            connection.execute("INSERT INTO meta VALUES ('tokens', ?)", (tokens.VERSION,))
            # A larger pending-terms buffer: fewer, bigger segments (a third faster to build).
            connection.execute("INSERT INTO search (search, rank) VALUES ('hashsize', ?)", (16 * 1024 * 1024,))
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        rollback(connection)
        raise


SEARCH_TABLES = ("search", "chars", "titles")
# FTS5's default: merge segments as they accumulate, four of a level at a time.
AUTOMERGE = 4
# A full parse of at least this many files, and at least as many as the index already holds,
# is a bulk load: its segments are merged once at its end ('optimize') instead of as they come.
BULK_AT_LEAST = 256


def bulk_load(connection: sqlite3.Connection, files: int) -> bool:
    """Set the search tables' merging for a full parse of ``files`` files (inside the run's
    transaction): True for a bulk load, whose segments wait for :func:`optimize`; False (the
    default merging, restored after a bulk load that was stopped) otherwise."""
    # counting stops past ``files``: a small run in a big cache reads no more than it parses
    bulk = files >= BULK_AT_LEAST and connection.execute(
        "SELECT count(*) FROM (SELECT 1 FROM bodies LIMIT ?)", (files + 1,)).fetchone()[0] <= files
    for table in SEARCH_TABLES:
        connection.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', ?)", (0 if bulk else AUTOMERGE,))
    return bulk


# Pages of segments one step of :func:`optimize` merges: each step is its own transaction, so
# the WAL stays a few MB, a kill loses one step, and other writers wait at most one step.
OPTIMIZE_STEP_PAGES = 2000


def optimize(connection: sqlite3.Connection, should_stop: Callable[[], bool] = lambda: False) -> None:
    """Merge each search table's segments into one, a step at a time, then restore the
    default merging (after a bulk load, outside a transaction): one segment holds each term's
    list once, instead of a piece in every segment."""
    for table in SEARCH_TABLES:
        while not should_stop():
            connection.execute("BEGIN IMMEDIATE")
            try:
                before = connection.total_changes
                # negative: every segment may be merged with any other, as 'optimize' does
                connection.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)",
                                   (-OPTIMIZE_STEP_PAGES,))
                done = connection.total_changes - before < 2
                if done:
                    connection.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', ?)", (AUTOMERGE,))
                connection.execute("COMMIT")
            except BaseException:
                rollback(connection)
                raise
            if done:
                break


def release_free_pages(connection: sqlite3.Connection) -> None:
    """Give the file's free pages back to the file system (outside a transaction). FTS5's
    merges free many pages at the end of a run; a cache made before auto_vacuum keeps them
    (the pragma does nothing there)."""
    connection.executescript("PRAGMA incremental_vacuum;")  # executescript steps it to the end


def remove(path: Path) -> None:
    """Delete the cache file and its WAL and shared-memory companions."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            Path(str(path) + suffix).unlink()
        except FileNotFoundError:
            pass


def open_cache(path: Path, warn: Callable[[str], None]) -> sqlite3.Connection:
    """Open the cache at ``path``, rebuilding it (and saying why through ``warn``) when needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for _attempt in range(2):
        try:
            connection = connect(path)
            reason = usable(connection)
            if reason == "empty":
                create(connection)
                return connection
            if not reason:
                return connection
            connection.close()
            warn(f"the cache at {path} is {reason}; rebuilding it")
        except sqlite3.DatabaseError as error:
            if not is_corruption(error):
                raise
            warn(f"the cache at {path} is damaged ({error}); rebuilding it")
        remove(path)
    connection = connect(path)
    create(connection)
    return connection
