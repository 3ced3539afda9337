"""Opening media and links outside newsreader: the user's browser or a configured program.

Only http, https and mailto URLs are ever opened, never through a shell: a configured
command is run as an argument list with the URL last. What is opened is always the
form :func:`~newsreader.safetext.openable_url` gives: it starts with its scheme (so it
is never taken for an option), carries nothing a shell or a mail client's ``attach=``
could act on, and is percent-encoded ASCII.
"""

from __future__ import annotations

import subprocess
import webbrowser
from collections.abc import Callable

from newsreader.safetext import openable_url, printable_line


class OpenError(RuntimeError):
    """A URL that could not (or may not) be opened; the message is for the user."""


def open_url(url: str, kind: str = "link", commands: dict[str, list[str]] | None = None,
             browser: Callable[[str], bool] = webbrowser.open) -> str:
    """Open ``url`` with the command configured for ``kind`` or the web browser.

    Returns a short description of what was done; raises :class:`OpenError`.
    """
    safe = openable_url(url)
    if not safe:
        raise OpenError(f"not opened: only http, https and mailto links are opened ({printable_line(url[:60])!r})")
    command = (commands or {}).get(kind)
    if command:
        try:
            subprocess.Popen([*command, safe], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError as error:
            raise OpenError(f"could not run {command[0]}: {error.strerror or error}") from None
        return f"opened with {command[0]}"
    try:
        opened = browser(safe)
    except Exception as error:
        raise OpenError(f"could not open a browser: {error}") from None
    if not opened:
        raise OpenError("no web browser found (set $BROWSER)")
    return "opened in the browser"
