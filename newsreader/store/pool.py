"""Parsing files on every core: one pool of worker processes for both phases of a run.

Results come back in the order the files were given, each batch as a whole, so the
writer stores them in a fixed order (rowid ties are settled by it) and after a killed
worker exactly the batches not yet handed on are parsed again.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from newsreader import paths
from newsreader.store.prepare import FileResult
from newsreader.store.workers import start_helpers, start_worker

BATCH = 32  # files per worker task
IN_PROCESS_BELOW = 48  # fewer files than this are parsed without starting workers
# The catalogue costs a third of a millisecond a file, about what starting the workers costs
# for a thousand: below this many files it is read here, and the workers start for the full parse.
CATALOGUE_IN_PROCESS_BELOW = 4000

Work = Callable[[list[str], bytes | None], list[FileResult]]


def _worker_died(path: str) -> FileResult:
    try:
        info = os.stat(paths.external(path))
        size, mtime = info.st_size, info.st_mtime_ns
    except OSError:
        size, mtime = 0, 0
    return FileResult(path, size, mtime, error="not read: the process reading it died (out of memory?)")


class Parsers:
    """Worker processes started on first need and kept for the run (:meth:`close` ends them)."""

    def __init__(self, dictionary: bytes | None, should_stop: Callable[[], bool]) -> None:
        self.dictionary = dictionary
        self.should_stop = should_stop
        self.workers = min(os.cpu_count() or 1, 4)
        self._pool: ProcessPoolExecutor | None = None

    def close(self) -> None:
        """Stop the workers (queued work is dropped)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def run(self, files: list[str], work: Work, in_process_below: int = IN_PROCESS_BELOW) -> Iterator[FileResult]:
        """``work`` on every file, on every core (in this process when there are fewer than
        ``in_process_below``), in order."""
        batches = [files[i:i + BATCH] for i in range(0, len(files), BATCH)]
        if len(files) < in_process_below or self.workers < 2:
            for batch in batches:
                if self.should_stop():
                    return
                yield from work(batch, self.dictionary)
            return
        remaining = deque(batches)
        breaks = 0
        while remaining and not self.should_stop():
            try:
                for result in self._in_pool(remaining, work):
                    breaks = 0
                    yield result
            except BrokenProcessPool:  # a worker was killed (the OOM killer, a user): start again
                self.close()
                breaks += 1
                if breaks >= 3:  # the same batch three times in a row: give it up, go on without it
                    for path in remaining.popleft():
                        yield _worker_died(path)
                    breaks = 0

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload(["newsreader.store.warm"])  # workers inherit what it loads
            start_helpers(context)
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                             initializer=start_worker, initargs=(os.getpid(),))
        return self._pool

    def _in_pool(self, remaining: deque[list[str]], work: Work) -> Iterator[FileResult]:
        """Parse ``remaining`` batches in the pool, in order; each batch leaves the deque once
        its results are handed on, so after a :class:`BrokenProcessPool` what is left is
        exactly what must be parsed again."""
        pool = self._start()
        pending: deque[Future] = deque()
        try:
            while True:
                while len(pending) < min(len(remaining), self.workers * 3):
                    pending.append(pool.submit(work, remaining[len(pending)], self.dictionary))
                if not pending:
                    return
                if self.should_stop():
                    return
                results = pending.popleft().result()
                remaining.popleft()
                yield from results
        finally:
            for future in pending:
                future.cancel()
