"""Indexing: walk the sources, parse what changed on both cores, store it, drop what vanished.

Incremental by each file's size and mtime. One article per canonical URL however many
files hold it (all remembered in ``article_files``; the fullest copy is shown). Work is
committed in batches, each file with its articles, so a kill loses at most a batch and
the next run completes it. One process indexes at a time (a lock file); readers never wait.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sqlite3
import stat
import time
from collections import deque
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO

from newsreader import paths
from newsreader.store import bodies, counts, schema, tokens
from newsreader.store.prepare import MAX_SEARCHED_CHARS, FileResult, Row, prepare_many, search_text
from newsreader.store.workers import start_helpers, start_worker

Progress = Callable[[int, int], None]
Report = Callable[[str, str], None]

BATCH = 32  # files per worker task
IN_PROCESS_BELOW = 48  # fewer changed files than this are parsed without starting workers


def _seconds(name: str, default: float) -> float:
    """A positive number of seconds from the environment (tests shorten intervals), else ``default``."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < 3600 else default


# Seconds between commits: a kill loses at most this much work. NEWSREADER_COMMIT_EVERY lets
# a test see a run that is part committed without waiting seconds for it.
COMMIT_EVERY = _seconds("NEWSREADER_COMMIT_EVERY", 4.0)
PROGRESS_EVERY = 0.2  # seconds between progress reports


@dataclass
class IndexResult:
    """What a run did."""

    seen: int = 0
    parsed: int = 0
    articles_added: int = 0
    articles_updated: int = 0
    articles_removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped_unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)


class IndexLock:
    """An exclusive lock on the cache's index.lock, so two index runs never interleave."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: IO[str] | None = None

    def acquire(self, blocking: bool = True) -> bool:
        """Take the lock; with ``blocking=False`` return False at once if another holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.handle = open(self.path, "a+")  # noqa: SIM115 - held for the run
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            self.handle = None
            return False
        return True

    def release(self) -> None:
        """Let the next run in."""
        if self.handle:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


MAX_DEPTH = 64  # folders below a source; deeper ones are skipped with a word


def _not_regular(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _why(error: OSError) -> str:
    return error.strerror or type(error).__name__


def walk(roots: list[str], dirs: dict[str, int], skip: Report | None = None) -> Iterator[tuple[str, int, int]]:
    """Every regular file under ``roots`` as (path, size, mtime_ns); each real folder once.

    Paths in and out are newsreader's path text (see :mod:`newsreader.paths`). Only regular
    files are yielded: named pipes, devices and sockets are skipped, as are unreadable
    folders and folders more than :data:`MAX_DEPTH` deep — each named through ``skip``
    with the reason. Links are followed, but a folder already walked (by device and inode)
    is not walked again, so a link back to a parent cannot loop. Hidden files and folders
    are skipped silently. Each walked folder's mtime goes into ``dirs``.
    """
    def skipped(path: str, why: str) -> None:
        if skip:
            skip(path, f"skipped: {why}")

    visited: set[tuple[int, int]] = set()
    for root in roots:
        try:
            root_stat = os.stat(paths.external(root))
        except FileNotFoundError:
            continue  # a source that is gone: its files leave the cache
        except OSError as error:
            skipped(root, f"cannot read it ({_why(error)})")
            continue
        if stat.S_ISREG(root_stat.st_mode):
            yield root, root_stat.st_size, root_stat.st_mtime_ns
            continue
        if not stat.S_ISDIR(root_stat.st_mode):
            skipped(root, f"{_not_regular(root_stat.st_mode)}, only regular files are read")
            continue
        stack = [(root, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                folder_stat = os.stat(paths.external(folder))
                identity = (folder_stat.st_dev, folder_stat.st_ino)
                if identity in visited:
                    continue
                visited.add(identity)
                entries = sorted(os.scandir(paths.external(folder)), key=lambda e: e.name)
            except OSError as error:
                skipped(folder, f"cannot read the folder ({_why(error)})")
                continue
            dirs[folder] = folder_stat.st_mtime_ns
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = paths.internal(entry.path)
                try:
                    if entry.is_dir():
                        if depth + 1 > MAX_DEPTH:
                            skipped(path, f"a folder more than {MAX_DEPTH} folders deep")
                        else:
                            subfolders.append((path, depth + 1))
                    elif entry.is_file():
                        entry_stat = entry.stat()
                        yield path, entry_stat.st_size, entry_stat.st_mtime_ns
                    elif entry.is_symlink() and not os.path.exists(entry.path):
                        skipped(path, "a link to nothing")
                    else:
                        skipped(path, f"{_not_regular(entry.stat().st_mode)}, only regular files are read")
                except OSError as error:
                    skipped(path, f"cannot read it ({_why(error)})")
            stack.extend(reversed(subfolders))


def under(path: str, roots: list[str]) -> bool:
    """Whether ``path`` is one of ``roots`` or inside one."""
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def sources_changed(db: sqlite3.Connection, roots: list[str]) -> bool:
    """A quick look (folder mtimes, no file stats) for whether the sources need indexing."""
    known = dict(db.execute("SELECT path, mtime_ns FROM dirs"))
    if not db.execute("SELECT 1 FROM files LIMIT 1").fetchone():
        return True
    for root in roots:
        if os.path.isdir(paths.external(root)):
            if root not in known:
                return True
        else:
            row = db.execute("SELECT size, mtime_ns FROM files WHERE path = ?", (root,)).fetchone()
            try:
                root_stat = os.stat(paths.external(root))
            except OSError:
                return row is not None
            if not stat.S_ISREG(root_stat.st_mode):
                continue  # a pipe or device given as a source is never read: nothing to index
            if row is None or row != (root_stat.st_size, root_stat.st_mtime_ns):
                return True
    for path, mtime in known.items():
        if not under(path, roots):
            return True
        try:
            if os.stat(paths.external(path)).st_mtime_ns != mtime:
                return True
        except OSError:
            return True
    if known:
        return False
    # Only single files are indexed (no folder to compare): one no longer a source means change.
    return any(not under(p, roots) for (p,) in db.execute("SELECT path FROM files"))


def max_nudge(db: sqlite3.Connection) -> int:
    """How far above its publication second (x TIES) any dated article's rowid was pushed by
    ties: range queries by date widen their upper rowid bound by this much."""
    row = db.execute("SELECT value FROM meta WHERE key = 'max_nudge'").fetchone()
    return int(row[0]) if row else 0


class Writer:
    """Applies parsed files to the cache inside the caller's transaction."""

    def __init__(self, db: sqlite3.Connection, result: IndexResult) -> None:
        self.db = db
        self.result = result
        self._last_tie: dict[int, int] = {}
        self.counter = counts.Counter(db)
        self._max_nudge = max_nudge(db)

    def _fts_delete(self, rowid: int, title: str, summary: str, frame: bytes) -> None:
        text = bodies.text_of(self.db, frame)
        title_tokens, title_chars = tokens.index_forms(title)
        body_tokens, body_chars = tokens.index_forms(search_text(summary, text)[:MAX_SEARCHED_CHARS])
        self.db.execute("INSERT INTO search (search, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                        (rowid, title_tokens, body_tokens))
        self.db.execute("INSERT INTO titles (titles, rowid, title) VALUES ('delete', ?, ?)", (rowid, title_tokens))
        self.db.execute("INSERT INTO chars (chars, rowid, c) VALUES ('delete', ?, ?)",
                        (rowid, tokens.char_tokens(title_chars, body_chars)))

    def delete_article(self, article_id: str) -> None:
        """Remove an article and its search entry."""
        row = self.db.execute("SELECT a.rowid, a.title, a.summary, b.data, a.outlet, a.published FROM articles a "
                              "JOIN bodies b ON b.rowid = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
        if row:
            self._fts_delete(*row[:4])
            self.db.execute("DELETE FROM articles WHERE rowid = ?", (row[0],))
            self.db.execute("DELETE FROM bodies WHERE rowid = ?", (row[0],))
            self.counter.removed(row[4], row[5], article_id)

    def _free_rowid(self, row: Row) -> int:
        """The article's preferred rowid, or on a tie the next free one: upward for a dated
        article (so date order holds), downward for an undated one.

        Ties are found with one query each, not probed one by one, and the last rowid given
        for each preferred key is remembered, so thousands of files of one second stay linear.
        """
        preferred = row.sort_key()
        if not self.db.execute("SELECT 1 FROM articles WHERE rowid = ?", (preferred,)).fetchone():
            return preferred
        start = self._last_tie.get(preferred, preferred)
        if row.published is not None:
            found = self.db.execute(
                "SELECT a.rowid + 1 FROM articles a WHERE a.rowid >= ? AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.rowid = a.rowid + 1) ORDER BY a.rowid LIMIT 1",
                (start,)).fetchone()
        else:
            found = self.db.execute(
                "SELECT a.rowid - 1 FROM articles a WHERE a.rowid <= ? AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.rowid = a.rowid - 1) ORDER BY a.rowid DESC LIMIT 1",
                (start,)).fetchone()
        rowid = found[0] if found else start
        self._last_tie[preferred] = rowid
        if row.published is not None and rowid - preferred > self._max_nudge:
            self._max_nudge = rowid - preferred
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('max_nudge', ?)", (str(self._max_nudge),))
        return rowid

    def _insert(self, row: Row) -> None:
        rowid = self._free_rowid(row)
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, row.id, row.url, row.outlet, row.title, row.summary, row.author, row.category,
             row.keywords, row.published, row.script, row.source, row.format, row.quality, row.date_only),
        )
        self.db.execute("INSERT INTO bodies VALUES (?, ?)", (rowid, row.data))
        self.counter.added(row.outlet, row.published, row.id)
        self.db.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                        (rowid, row.title_tokens, row.body_tokens))
        self.db.execute("INSERT INTO chars (rowid, c) VALUES (?, ?)", (rowid, row.chars))
        self.db.execute("INSERT INTO titles (rowid, title) VALUES (?, ?)", (rowid, row.title_tokens))

    def put(self, row: Row, path: str) -> None:
        """Store an article read from ``path``: new, a fuller copy, or one more file of it."""
        self.db.execute("INSERT OR IGNORE INTO article_files VALUES (?, ?)", (row.id, path))
        existing = self.db.execute("SELECT quality, source FROM articles WHERE id = ?", (row.id,)).fetchone()
        if existing is None:
            self._insert(row)
            self.result.articles_added += 1
        elif existing[1] == path or (row.quality, path) > (existing[0], existing[1]):
            self.delete_article(row.id)
            self._insert(row)
            self.result.articles_updated += 1

    def forget_file(self, path: str, keep: AbstractSet[str] = frozenset()) -> list[str]:
        """Drop a file's links to articles (except ``keep``); delete articles left with no file.

        Returns the other files of articles whose shown copy came from ``path``: they must be
        parsed again so the article is shown from a copy that still exists.
        """
        reparse: list[str] = []
        ids = [r[0] for r in self.db.execute("SELECT article_id FROM article_files WHERE path = ?", (path,))]
        for article_id in ids:
            if article_id in keep:
                continue
            self.db.execute("DELETE FROM article_files WHERE article_id = ? AND path = ?", (article_id, path))
            others = [r[0] for r in self.db.execute(
                "SELECT path FROM article_files WHERE article_id = ?", (article_id,))]
            if not others:
                self.delete_article(article_id)
                self.result.articles_removed += 1
            else:
                source = self.db.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()
                if source and source[0] == path:
                    reparse.extend(others)
        return reparse

    def apply(self, result: FileResult) -> list[str]:
        """Store one parsed file; returns files to parse again (see :meth:`forget_file`)."""
        new_ids = {row.id for row in result.rows}
        reparse = self.forget_file(result.path, keep=new_ids)
        for row in result.rows:
            self.put(row, result.path)
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                        (result.path, result.size, result.mtime_ns, result.error or None))
        return reparse


def _parse_all(paths: list[str], should_stop: Callable[[], bool],
               dictionary: bytes | None = None) -> Iterator[FileResult]:
    """Parse files on every core (in this process when there are few), in order of submission;
    their frames are compressed with ``dictionary``."""
    batches = [paths[i:i + BATCH] for i in range(0, len(paths), BATCH)]
    workers = min(os.cpu_count() or 1, 4)
    if len(paths) < IN_PROCESS_BELOW or workers < 2:
        for batch in batches:
            if should_stop():
                return
            yield from prepare_many(batch, dictionary)
        return
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    start_helpers(context)
    remaining = deque(batches)
    breaks = 0
    while remaining and not should_stop():
        try:
            for result in _parse_in_pool(remaining, should_stop, dictionary, workers, context):
                breaks = 0
                yield result
        except BrokenProcessPool:  # a worker was killed (the OOM killer, a user): start again
            breaks += 1
            if breaks >= 3:  # the same batch three times in a row: give it up, go on without it
                for path in remaining.popleft():
                    yield _worker_died(path)
                breaks = 0


def _worker_died(path: str) -> FileResult:
    try:
        info = os.stat(paths.external(path))
        size, mtime = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime = 0, 0
    return FileResult(path, size, mtime, error="not read: the process reading it died (out of memory?)")


def _parse_in_pool(remaining: deque[list[str]], should_stop: Callable[[], bool], dictionary: bytes | None,
                   workers: int, context: BaseContext) -> Iterator[FileResult]:
    """Parse ``remaining`` batches in a pool of workers, in order; each batch leaves the deque
    once its results are handed on, so after a :class:`BrokenProcessPool` what is left is
    exactly what must be parsed again."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                             initargs=(os.getpid(),)) as pool:
        pending: deque[Future] = deque()
        while True:
            while len(pending) < min(len(remaining), workers * 3):
                pending.append(pool.submit(prepare_many, remaining[len(pending)], dictionary))
            if not pending:
                return
            if should_stop():
                for future in pending:
                    future.cancel()
                return
            results = pending.popleft().result()
            remaining.popleft()
            yield from results


def index(
    db: sqlite3.Connection,
    roots: list[str],
    *,
    all_roots: list[str] | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> IndexResult:
    """Bring the cache up to date with the files under ``roots``.

    ``all_roots`` are every remembered source: files under none of them are dropped.
    """
    result = IndexResult()
    all_roots = all_roots if all_roots is not None else roots
    dirs: dict[str, int] = {}
    known = {p: (s, m) for p, s, m in db.execute("SELECT path, size, mtime_ns FROM files")}
    seen: set[str] = set()
    changed: list[str] = []
    def skip(path: str, why: str) -> None:
        result.skipped.append((path, why))
        if report:
            report(path, why)

    for path, size, mtime in walk(roots, dirs, skip):
        seen.add(path)
        if known.get(path) == (size, mtime):
            result.skipped_unchanged += 1
        else:
            changed.append(path)
    result.seen = len(seen)
    vanished = [p for p in known if (under(p, roots) and p not in seen) or not under(p, all_roots)]
    db.execute("BEGIN IMMEDIATE")
    try:
        writer = Writer(db, result)
        for path in vanished:
            for other in writer.forget_file(path):
                if other not in vanished and other not in changed:
                    changed.append(other)
            db.execute("DELETE FROM files WHERE path = ?", (path,))
        db.execute("COMMIT")
    except BaseException:
        schema.rollback(db)
        raise

    total = len(changed)
    if progress:
        progress(0, total)
    done = 0
    last_commit = last_progress = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    try:
        # the first big run trains the archive's dictionary on the files it is about to read
        dictionary = bodies.dictionary(db) or bodies.train(db, changed)
        for file_result in _parse_all(changed, should_stop, dictionary):
            done += 1
            result.parsed += 1
            if file_result.error:
                result.failed.append((file_result.path, file_result.error))
                if report:
                    report(file_result.path, file_result.error)
            for other in writer.apply(file_result):
                db.execute("DELETE FROM files WHERE path = ?", (other,))
            now = time.monotonic()
            if now - last_commit > COMMIT_EVERY:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
                last_commit = now
            if progress and now - last_progress > PROGRESS_EVERY:
                progress(done, total)
                last_progress = now
        stale = [p for p in db.execute("SELECT path FROM dirs")]
        db.executemany("DELETE FROM dirs WHERE path = ?",
                       [p for p in stale if under(p[0], roots) or not under(p[0], all_roots)])
        if not should_stop():
            db.executemany("INSERT OR REPLACE INTO dirs VALUES (?, ?)", dirs.items())
        db.execute("COMMIT")
    except BaseException:
        schema.rollback(db)
        raise
    if progress:
        progress(done, total)
    return result
