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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


def start_helpers(context: BaseContext) -> None:
    """Start multiprocessing's helper processes (the resource tracker and, for the fork
    server method, the fork server) with their stderr on /dev/null.

    Two reasons. The resource tracker hands ``sys.stderr.fileno()`` to its child: a host that
    swapped ``sys.stderr`` for an object without a descriptor — Textual does, its ``fileno()``
    is -1 — made every pool fail with ``bad value(s) in fds_to_keep``. And the fork server
    and the processes it forks inherit descriptor 2: a worker still starting when ``index``
    was interrupted printed multiprocessing's traceback on the user's terminal. Workers report
    through their results; nothing of theirs belongs on the user's stderr. The helpers start
    once per process; later pools reuse them.
    """
    from multiprocessing import resource_tracker

    with _HELPERS_LOCK:
        saved_stream = sys.stderr
        try:
            saved_fd: int | None = os.dup(2)
        except OSError:
            saved_fd = None  # stderr closed: the helpers get /dev/null, and so does fd 2
        devnull = open(os.devnull, "w")  # noqa: SIM115 - closed below
        try:
            os.dup2(devnull.fileno(), 2)
            sys.stderr = devnull
            resource_tracker.ensure_running()
            if context.get_start_method() == "forkserver":
                from multiprocessing import forkserver

                forkserver.ensure_running()
        finally:
            sys.stderr = saved_stream
            if saved_fd is not None:
                os.dup2(saved_fd, 2)
                os.close(saved_fd)
            devnull.close()
