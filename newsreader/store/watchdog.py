"""Watching indexing's helper processes while the writer waits on them: a frozen one is killed.

A worker frozen (SIGSTOP, a debugger, job control aimed at one process) never hands back its
batch, and a frozen fork server never hands back the process it was asked for, nor reports a
worker's end: ``index`` waited forever on either. A thread beside the writer looks once a
second while the writer waits on the pool (for a result, or for a worker to start): after
:data:`STALL_AFTER` seconds of waiting, every helper that is stopped is killed; after
:data:`RUNAWAY_AFTER` seconds of waiting with no result at all (a stall of any other kind: a
loop, a read that never returns), the workers are (or the fork server, when the wait is for it
to start one). The pool then starts again (pool.py),
narrows the batch down to the file that stalls again, and skips that file, naming it.

The clock runs only while the writer waits (its own slow commits are not the helpers'), and a
gap between two looks far longer than a look (the writer itself was stopped, ctrl+z then fg)
starts it again: helpers stopped together with the writer are not to blame.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def env_seconds(name: str, default: float, most: float = 86_400) -> float:
    """A positive number of seconds under ``most`` from the environment (tests shorten
    intervals), else ``default``."""
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if 0 < value < most else default


# Seconds the writer waits before a stopped helper is killed (a stopped process never goes on
# by itself; a little patience lets a debugger's brief stop pass).
STALL_AFTER = env_seconds("NEWSREADER_STALL_AFTER", 10.0)
# Seconds the writer waits on one result before every worker is killed, whatever they do. A
# batch is 32 files; a 64 MB file of the worst markup takes about 90 s of CPU.
RUNAWAY_AFTER = env_seconds("NEWSREADER_RUNAWAY_AFTER", 600.0)
TICK = 0.5  # seconds between looks


def state(pid: int) -> str:
    """The state letter of process ``pid`` (R, S, D, T, t, Z, …), '' when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    return data[data.rfind(b")") + 2:][:1].decode("ascii", "replace")


def stopped(pid: int) -> bool:
    """Whether process ``pid`` is stopped (by a signal or a tracer)."""
    return state(pid) in ("T", "t")


class Watchdog:
    """Kills frozen helpers of a pool while the writer waits on it (see the module's text).

    ``workers`` gives the pool's worker pids now; ``server`` the fork server's pid, or None."""

    def __init__(self, workers: Callable[[], list[int]], server: Callable[[], int | None]) -> None:
        self.workers = workers
        self.server = server
        self.stalls = 0  # how many times helpers were killed (read and reset by the pool)
        self._lock = threading.Lock()
        self._waiting_since: float | None = None
        self._starting = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="index-watchdog")
        self._thread.start()

    def close(self) -> None:
        """Stop watching."""
        self._done.set()
        self._thread.join()

    @contextmanager
    def waiting(self, starting: bool = False) -> Iterator[None]:
        """Around a call that waits on the pool (``starting``: on the fork server, for a new
        worker): the stall clock runs inside it."""
        with self._lock:
            self._waiting_since = time.monotonic()
            self._starting = starting
        try:
            yield
        finally:
            with self._lock:
                self._waiting_since = None

    def _run(self) -> None:
        last = time.monotonic()
        while not self._done.wait(TICK):
            now = time.monotonic()
            with self._lock:
                if now - last > 10 * TICK and self._waiting_since is not None:
                    self._waiting_since = now  # this process was stopped itself: start again
                since = self._waiting_since
            last = now
            if since is not None:
                self._look(now - since)

    def _look(self, waited: float) -> None:
        victims: list[int] = []
        if waited >= STALL_AFTER:
            server = self.server()
            helpers = [*self.workers(), *([server] if server else [])]
            victims = [pid for pid in helpers if stopped(pid)]
            if waited >= RUNAWAY_AFTER:  # whoever the writer waits on: the fork server or the workers
                victims = sorted({*victims, *([server] if self._starting and server else self.workers())})
        if not victims:
            return
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)  # (a stopped process dies of SIGKILL too)
            except OSError:
                pass
        with self._lock:
            self.stalls += 1
            if self._waiting_since is not None:
                self._waiting_since = time.monotonic()  # the pool's restart gets its own time
