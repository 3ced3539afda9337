"""Parsing files on every core: one pool of worker processes for both phases of a run.

Results come back in the order the files were given, each batch as a whole, so the
writer stores them in a fixed order (rowid ties are settled by it) and after a killed or
frozen worker (watchdog.py) exactly the batches not yet handed on are parsed again.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from newsreader import paths
from newsreader.store.prepare import FileResult
from newsreader.store.watchdog import Watchdog

if TYPE_CHECKING:  # multiprocessing and concurrent.futures cost every command ~50 ms to import:
    from concurrent.futures import Future, ProcessPoolExecutor  # imported where workers start

BATCH = 32  # files per worker task
IN_PROCESS_BELOW = 48  # fewer files than this are parsed without starting workers
# The catalogue costs a third of a millisecond a file, about what starting the workers costs
# for a thousand: below this many files it is read here, and the workers start for the full parse.
CATALOGUE_IN_PROCESS_BELOW = 4000

Work = Callable[[list[str], bytes | None], list[FileResult]]


def _not_read(path: str, stalled: bool) -> FileResult:
    try:
        info = os.stat(paths.external(path))
        size, mtime = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime = 0, 0
    why = ("the process reading it stopped or hung, twice; skipped" if stalled
           else "the process reading it died (out of memory?)")
    return FileResult(path, size, mtime, error=f"not read: {why}", retry=True)


def _fork_server() -> int | None:
    """The pid of multiprocessing's fork server when it runs (its children are the workers)."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    pid = getattr(server, "_forkserver_pid", None)
    return pid if isinstance(pid, int) else None


def _broken() -> tuple[type[BaseException], ...]:
    """What the writer sees when a helper dies under it: the pool broken, or (killed while it
    was starting a worker) the fork server's socket closed."""
    from concurrent.futures.process import BrokenProcessPool

    return (BrokenProcessPool, EOFError, ConnectionError)


class Parsers:
    """Worker processes started on first need and kept for the run (:meth:`close` ends them)."""

    def __init__(self, dictionary: bytes | None, should_stop: Callable[[], bool]) -> None:
        self.dictionary = dictionary
        self.should_stop = should_stop
        self.workers = min(os.cpu_count() or 1, 4)
        self._pool: ProcessPoolExecutor | None = None
        self._watchdog: Watchdog | None = None

    def close(self, kill: bool = False) -> None:
        """Stop the workers (queued work is dropped; with ``kill``, work under way too)."""
        pool, self._pool = self._pool, None
        try:
            if pool is not None:
                if kill:
                    for pid in self._worker_pids(pool):
                        try:
                            os.kill(pid, signal.SIGKILL)
                        except OSError:
                            pass
                # (the watchdog still looks: a helper frozen now would hold this wait forever)
                with self._watching():
                    pool.shutdown(wait=True, cancel_futures=True)
        finally:
            if self._watchdog is not None:
                self._watchdog.close()
                self._watchdog = None

    @staticmethod
    def _worker_pids(pool: ProcessPoolExecutor | None) -> list[int]:
        processes = getattr(pool, "_processes", None) or {}
        return [pid for pid in list(processes) if isinstance(pid, int)]

    def _watching(self, starting: bool = False) -> AbstractContextManager[None]:
        return self._watchdog.waiting(starting) if self._watchdog is not None else nullcontext()

    def run(self, files: list[str], work: Work, in_process_below: int = IN_PROCESS_BELOW) -> Iterator[FileResult]:
        """``work`` on every file, on every core (in this process when there are fewer than
        ``in_process_below``), in order.

        A worker killed (the OOM killer, a user) or frozen (see watchdog.py) breaks the pool:
        it starts again with what was not handed on, the first batch split into its files. A
        file under which a worker breaks twice in a row is skipped, with the reason."""
        batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
        if len(files) < in_process_below or self.workers < 2:
            for batch in batches:
                if self.should_stop():
                    return
                yield from work(batch, self.dictionary)
            return
        broken = _broken()
        remaining = deque(batches)
        breaks = 0  # in a row, with nothing handed on between them
        while remaining and not self.should_stop():
            try:
                for result in self._in_pool(remaining, work):
                    breaks = 0
                    yield result
            except broken:
                stalled = self._watchdog is not None and self._watchdog.stalls > 0
                self.close(kill=True)
                breaks += 1
                head = remaining[0]
                if len(head) > 1:  # which of its files broke it is unknown: each on its own
                    remaining.popleft()
                    remaining.extendleft([path] for path in reversed(head))
                elif breaks >= 2:  # this file broke the pool twice in a row: go on without it
                    yield _not_read(remaining.popleft()[0], stalled)
                    breaks = 0

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from newsreader.store.workers import start_helpers, start_worker

            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(["newsreader.store.warm"])  # workers inherit what it loads
            start_helpers(context)
            pool = self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                                    initializer=start_worker, initargs=(os.getpid(),))
            if self._watchdog is None:
                self._watchdog = Watchdog(lambda: self._worker_pids(pool), _fork_server)
        return self._pool

    def _in_pool(self, remaining: deque[list[str]], work: Work) -> Iterator[FileResult]:
        """Parse ``remaining`` batches in the pool, in order; each batch leaves the deque once
        its results are handed on, so after a broken pool what is left is exactly what must
        be parsed again."""
        pool = self._start()
        pending: deque[Future] = deque()
        try:
            while True:
                while len(pending) < min(len(remaining), self.workers * 3):
                    with self._watching(starting=True):  # (starting a worker asks the fork server)
                        pending.append(pool.submit(work, remaining[len(pending)], self.dictionary))
                if not pending:
                    return
                if self.should_stop():
                    return
                with self._watching():
                    results = pending.popleft().result()
                remaining.popleft()
                yield from results
        finally:
            for future in pending:
                future.cancel()
