"""Indexing: walk the sources, parse what changed on both cores, store it, drop what vanished.

Incremental by each file's size and mtime. One article per canonical URL however many
files hold it (all remembered in ``article_files``; the fullest copy is shown). Work is
committed in batches, each file with its articles, so a kill loses at most a batch and
the next run completes it. One process indexes at a time (a lock file); readers never wait.
"""

from __future__ import annotations

import fcntl
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from newsreader.store import bodies, schema
from newsreader.store.pool import BATCH, CATALOGUE_IN_PROCESS_BELOW, IN_PROCESS_BELOW, Parsers
from newsreader.store.prepare import FileResult, catalogue_many, prepare_many
from newsreader.store.walk import MAX_DEPTH, Report, Under, sources_changed, under, walk
from newsreader.store.watchdog import env_seconds
from newsreader.store.writer import IndexResult, Writer, max_nudge

__all__ = ["BATCH", "IN_PROCESS_BELOW", "MAX_DEPTH", "FileResult", "IndexLock", "IndexResult", "Progress", "Report",
           "Writer", "index", "max_nudge", "sources_changed", "under", "walk"]

Progress = Callable[[int, int], None]


# Seconds between commits: a kill loses at most this much work. NEWSREADER_COMMIT_EVERY lets
# a test see a run that is part committed without waiting seconds for it.
COMMIT_EVERY = env_seconds("NEWSREADER_COMMIT_EVERY", 4.0, most=3600)
PROGRESS_EVERY = 0.2  # seconds between progress reports


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


def _stamp(size: int, mtime_ns: int) -> int:
    """A file's size and mtime as one int, its lowest bit free (any mtime, before 1970 too)."""
    return (size << 65) + (mtime_ns << 1)


def _walk(db: sqlite3.Connection, roots: list[str], all_roots: list[str], result: IndexResult,
          report: Report | None) -> tuple[list[str], dict[str, int]]:
    """Find the changed files, drop the vanished ones; returns the files to read and the
    folders walked (with their mtimes)."""
    dirs: dict[str, int] = {}
    # every known file's size and mtime in one int (low bit: walked this run), so a million
    # files' re-index holds one int per path and no second set of the paths
    known = {p: _stamp(s, m) for p, s, m in db.execute("SELECT path, size, mtime_ns FROM files")}
    fresh: set[str] = set()  # walked files the cache does not know (every file, on a first index)
    changed: list[str] = []

    def skip(path: str, why: str) -> None:
        result.skipped.append((path, why))
        if report:
            report(path, why)

    for path, size, mtime in walk(roots, dirs, skip):
        old = known.get(path)
        if old is None:
            fresh.add(path)
            changed.append(path)
            continue
        known[path] = old | 1
        if old | 1 == _stamp(size, mtime) | 1:
            result.skipped_unchanged += 1
        else:
            changed.append(path)
    in_roots, in_sources = Under(roots), Under(all_roots)
    # a file walked this run is under a root; when every root is under a source, it stays
    # (a million files' re-index asked both questions of each: ~2 s of CPU)
    walked_stay = all(in_sources(r) for r in roots)
    vanished = []
    for p, value in known.items():
        walked = value & 1
        result.seen += walked
        if walked and walked_stay:
            continue
        if (in_roots(p) and not walked) or not in_sources(p):
            vanished.append(p)
    result.seen += len(fresh)
    del fresh
    db.execute("BEGIN IMMEDIATE")
    try:
        writer = Writer(db, result)
        for path in vanished:
            for other in writer.forget_file(path):
                if other not in vanished and other not in changed:
                    changed.append(other)
            db.execute("DELETE FROM files WHERE path = ?", (path,))
            db.execute("DELETE FROM pending WHERE path = ?", (path,))
        writer.flush()
        db.execute("COMMIT")
    except BaseException:
        schema.rollback(db)
        raise
    return changed, dirs


def _store(db: sqlite3.Connection, writer: Writer, results: Iterator[FileResult], total: int,
           progress: Progress | None, report: Report | None, reported: set[str]) -> int:
    """Apply ``results`` inside the open transaction, committing every few seconds and
    reporting progress and unreadable files (each once); returns how many were applied."""
    done = 0
    last_commit = last_progress = time.monotonic()
    if progress:
        progress(0, total)
    for file_result in results:
        done += 1
        if file_result.error and file_result.path not in reported:
            reported.add(file_result.path)
            writer.result.failed.append((file_result.path, file_result.error))
            if report:
                report(file_result.path, file_result.error)
        for other in writer.apply(file_result):
            db.execute("DELETE FROM files WHERE path = ?", (other,))
        now = time.monotonic()
        if now - last_commit > COMMIT_EVERY:
            writer.flush()
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
            last_commit = now
        if progress and now - last_progress > PROGRESS_EVERY:
            progress(done, total)
            last_progress = now
    if progress:
        progress(done, total)
    return done


def index(
    db: sqlite3.Connection,
    roots: list[str],
    *,
    all_roots: list[str] | None = None,
    progress: Progress | None = None,
    report: Report | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    listing: Progress | None = None,
    listed: Callable[[], None] | None = None,
) -> IndexResult:
    """Bring the cache up to date with the files under ``roots``, in two phases.

    First the catalogue: each changed file's header alone (title, date, outlet, URL), so
    every article is listed, counted and readable (``show`` parses a file not yet indexed
    in full) within a fraction of the full work; ``listing`` reports its progress and
    ``listed`` is called once it is committed. Then the full parse of every file still
    catalogued only (this run's and any an interrupted run left): bodies, search index;
    ``progress`` reports it. ``all_roots`` are every remembered source: files under none
    of them are dropped.
    """
    result = IndexResult()
    started = time.monotonic()
    all_roots = all_roots if all_roots is not None else roots
    changed, dirs = _walk(db, roots, all_roots, result, report)
    reported: set[str] = set()
    db.execute("BEGIN IMMEDIATE")
    parsers: Parsers | None = None
    try:
        writer = Writer(db, result)
        parsers = Parsers(bodies.dictionary(db), should_stop)
        catalogued = parsers.run(changed, catalogue_many, CATALOGUE_IN_PROCESS_BELOW)
        result.parsed = _store(db, writer, catalogued, len(changed), listing, report, reported)
        stale = [p for p in db.execute("SELECT path FROM dirs")]
        db.executemany("DELETE FROM dirs WHERE path = ?",
                       [p for p in stale if under(p[0], roots) or not under(p[0], all_roots)])
        if not should_stop():
            db.executemany("INSERT OR REPLACE INTO dirs VALUES (?, ?)", dirs.items())
        writer.flush()
        db.execute("COMMIT")
        result.listed_after = time.monotonic() - started
        if listed and not should_stop():
            listed()
        db.execute("BEGIN IMMEDIATE")
        todo = [p for (p,) in db.execute("SELECT path FROM pending ORDER BY rowid")]
        if parsers.dictionary is None:  # the first big run trains the archive's on the files it will read
            parsers.dictionary = bodies.train(db, todo)
        bulk = schema.bulk_load(db, len(todo)) if todo else False
        result.completed = _store(db, writer, parsers.run(todo, prepare_many), len(todo), progress, report,
                                  reported)
        writer.flush()
        db.execute("COMMIT")
        if bulk and not should_stop():
            schema.optimize(db, should_stop)
    except BaseException:
        schema.rollback(db)
        raise
    finally:
        if parsers is not None:
            parsers.close()
    schema.release_free_pages(db)
    return result


def pending(db: sqlite3.Connection) -> int:
    """How many files are catalogued but not yet parsed in full (their articles are listed but
    not searchable)."""
    return int(db.execute("SELECT count(*) FROM pending").fetchone()[0])
