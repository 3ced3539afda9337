"""The command's entry point: the first code that runs decides how signals end it.

Ctrl-C (SIGINT) at any moment ends the command with one line, never a traceback: while
Python is still importing, at once (nothing has been written yet); while a command runs,
as a KeyboardInterrupt the command handles (an index rolls back its open batch); and
while the interpreter shuts down, at once again. SIGTERM and SIGKILL end it as the
system does: SQLite's journal keeps both files whole either way.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _interrupted(signum: int, frame: FrameType | None) -> None:
    try:
        os.write(2, b"newsreader: interrupted\n")
    finally:
        os._exit(128 + signum)


def main() -> int:
    """Run the ``newsreader`` command (see :mod:`newsreader.cli`)."""
    signal.signal(signal.SIGINT, _interrupted)
    from newsreader.cli import main as cli_main

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return cli_main(sys.argv[1:])
    except KeyboardInterrupt:  # before or after the command's own handling (parsing arguments)
        _interrupted(signal.SIGINT, None)
        return 130
    finally:
        signal.signal(signal.SIGINT, _interrupted)
