"""Format 2: an archived feed item — a capture-time comment, a Markdown headline link, HTML.

::

    <!--1698786902000-->
    [headline](https://www.rfi.fr/cn/…)
    ------
    <div>31/10/2023 - 22:00</div><img src="…"><p>…</p>…
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import datetime

from newsreader.model import Article
from newsreader.sources.common import ParseError, build, from_epoch_ms

NAME = "feed-item"

_CAPTURE = re.compile(r"\A\s*<!--\s*(\d{9,14})\s*-->[ \t]*\r?\n")
_HEADLINE = re.compile(r"\A\s*\[(?P<title>.*)\]\((?P<url>[^\s)]*(?:\([^\s)]*\)[^\s)]*)*)\)[ \t]*\r?\n[ \t]*-{3,}[ \t]*(?:\r?\n|\Z)")


@dataclass
class Wrapper:
    """The parts of a feed-item wrapper; any may be missing."""

    captured: datetime | None
    title: str
    url: str
    html: str


def split(text: str) -> Wrapper | None:
    """Take the wrapper apart, or None if ``text`` does not start with one."""
    captured = None
    rest = text
    match = _CAPTURE.match(rest)
    if match:
        captured = from_epoch_ms(match.group(1))
        rest = rest[match.end():]
    headline = _HEADLINE.match(rest)
    if headline:
        return Wrapper(captured, htmllib.unescape(headline.group("title")), headline.group("url"),
                       rest[headline.end():])
    if match:
        return Wrapper(captured, "", "", rest)
    return None


def recognises(text: str) -> bool:
    """A capture comment or a headline link over a ``---`` rule opens the file."""
    head = text.lstrip("\ufeff")[:8192]
    return bool(_CAPTURE.match(head) or _HEADLINE.match(head))


def parse(text: str, path: str) -> list[Article]:
    """Read one archived feed item."""
    wrapper = split(text.lstrip("\ufeff"))
    if wrapper is None:
        raise ParseError("not a feed item (no capture comment or headline link)")
    if not wrapper.title and not wrapper.url and not wrapper.html.strip():
        raise ParseError("feed item with no headline and no body")
    return [build(url=wrapper.url, title=wrapper.title, html=wrapper.html, source=path, fmt=NAME,
                  captured=wrapper.captured)]
