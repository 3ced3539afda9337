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
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO

from newsreader import paths
from newsreader.store import bodies, schema
from newsreader.store.prepare import FileResult, prepare_many
from newsreader.store.walk import MAX_DEPTH, Report, Under, sources_changed, under, walk
from newsreader.store.workers import start_helpers, start_worker
from newsreader.store.writer import IndexResult, Writer, max_nudge

__all__ = ["MAX_DEPTH", "FileResult", "IndexLock", "IndexResult", "Progress", "Report", "Writer", "index",
           "max_nudge", "sources_changed", "under", "walk"]

Progress = Callable[[int, int], None]

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
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["newsreader.store.warm"])  # workers inherit what it loads
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


def _stamp(size: int, mtime_ns: int) -> int:
    """A file's size and mtime as one int, its lowest bit free (any mtime, before 1970 too)."""
    return (size << 65) + (mtime_ns << 1)


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
    vanished = []
    for p, value in known.items():
        result.seen += value & 1
        if (in_roots(p) and not value & 1) or not in_sources(p):
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
        writer.flush()
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
                writer.flush()
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
        writer.flush()
        db.execute("COMMIT")
    except BaseException:
        schema.rollback(db)
        raise
    schema.release_free_pages(db)
    if progress:
        progress(done, total)
    return result
