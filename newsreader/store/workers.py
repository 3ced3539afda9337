"""The lifetime of indexing's worker processes: they die with the process that writes.

A worker must never outlive its writer, whoever started the writer and whether or not
anyone reaps it: a killed ``index`` whose parent is busy reading its output pipes is a
zombie, still "there" to ``kill(pid, 0)``, and workers that waited for it to vanish kept
the caller's pipes open forever. So a worker (on Linux) asks the kernel for SIGKILL when
its parent dies, watches the writer's state (a zombie counts as dead), and holds no
standard stream of the caller's: its stdin, stdout and stderr are /dev/null.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from multiprocessing.context import BaseContext

_PR_SET_PDEATHSIG = 1
_HELPERS_LOCK = threading.Lock()
WATCH_EVERY = 0.25  # seconds between looks at the writer


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs: gone, or a zombie (killed, not yet reaped), is dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            data = handle.read()
    except OSError:
        return True  # no /proc: kill(pid, 0) is all there is
    state = data[data.rfind(b")") + 2:][:1]
    return state not in (b"Z", b"X", b"x")


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _release_standard_streams() -> None:
    try:
        devnull = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    for fd in (0, 1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)


def start_worker(writer: int) -> None:
    """The initializer of every worker process: yield the CPU to the writer (it alone
    writes, so when it waits everything waits), release the caller's streams, and exit
    the moment the writer or this worker's parent is gone."""
    try:
        os.nice(10)
    except OSError:
        pass
    parent = os.getppid()
    _die_with_parent()
    _release_standard_streams()

    def watch() -> None:
        while True:
            if os.getppid() != parent or not alive(writer):
                os._exit(1)
            time.sleep(WATCH_EVERY)

    threading.Thread(target=watch, daemon=True, name="watch-writer").start()


def _has_descriptor(stream: object) -> bool:
    try:
        return stream is not None and stream.fileno() >= 0  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False


def start_helpers(context: BaseContext) -> None:
    """Start multiprocessing's helper processes (the resource tracker and, for the fork
    server method, the fork server) with a stderr that is a real file descriptor.

    The resource tracker hands ``sys.stderr.fileno()`` to its child. A host that swapped
    ``sys.stderr`` for an object without one — Textual does, its ``fileno()`` is -1 — made
    every pool fail with ``bad value(s) in fds_to_keep``. The helpers start once per
    process; later pools reuse them.
    """
    from multiprocessing import resource_tracker

    if _has_descriptor(sys.stderr):
        return
    with _HELPERS_LOCK:
        saved = sys.stderr
        real = sys.__stderr__ if _has_descriptor(sys.__stderr__) else None
        stand_in = real or open(os.devnull, "w")  # noqa: SIM115 - closed below
        try:
            sys.stderr = stand_in
            resource_tracker.ensure_running()
            if context.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()
        finally:
            sys.stderr = saved
            if stand_in is not real:
                stand_in.close()
