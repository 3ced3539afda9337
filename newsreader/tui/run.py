"""Start the app from the command line (the only place the CLI imports Textual)."""

from __future__ import annotations

import sys


def run_app() -> int:
    """Open the library (rebuilding a damaged cache) and run the app; 0 when it ends."""
    from newsreader import config
    from newsreader.safetext import printable_line
    from newsreader.store.library import Library
    from newsreader.tui.app import NewsReaderApp

    settings = config.load()
    for problem in settings.problems:
        print(f"newsreader: {printable_line(problem)}", file=sys.stderr)
    library = Library()
    try:
        NewsReaderApp(library, settings).run()
    finally:
        library.close()
    return 0
