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

_PR_SET_PDEATHSIG = 1
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
