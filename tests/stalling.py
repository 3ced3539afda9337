"""Work for the pool's workers in tests (importable by them): a file whose name says so freezes
the worker reading it (SIGSTOP to itself) or keeps it busy forever; every other file gives an
empty result at once."""

from __future__ import annotations

import os
import signal
import time

from newsreader.store.prepare import FileResult


def work(batch: list[str], dictionary: bytes | None) -> list[FileResult]:
    for path in batch:
        if "freeze" in path:
            os.kill(os.getpid(), signal.SIGSTOP)
        if "forever" in path:
            while True:
                time.sleep(0.05)
    return [FileResult(path, 1, 1) for path in batch]
