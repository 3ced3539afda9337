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
from typing import Any

from newsreader.model import Article
from newsreader.sources.common import ParseError, build, from_epoch_ms

NAME = "feed-item"

# The capture comment: one token (epoch milliseconds, or what a broken collector wrote:
# NaN, undefined, a number out of range however long), on the first line. The token holds no
# space, so the match is linear in the line's length.
_CAPTURE = re.compile(r"<!--[ \t]*([^<>\s]*)[ \t]*-->[ \t]*")
_RULE = re.compile(r"[ \t]*-{3,}[ \t]*")
_MAX_HEADLINE_LINES = 8  # a headline wrapped over more lines than this is not one
# How far into a file :func:`recognises` looks for a wrapper: a headline line longer than this
# (a megabyte) without a capture comment before it is not taken for one. Past the sniffing,
# a headline line of any length is read (linearly); the article's title is bounded (common.MAX_TITLE).
_SNIFF = 1 << 20
_SPACE = re.compile(r"\s")


@dataclass
class Wrapper:
    """The parts of a feed-item wrapper; any may be missing."""

    captured: datetime | None
    title: str
    url: str
    html: str


def _line(text: str, start: int) -> tuple[str, int]:
    """The line at ``start`` (without its end: LF, CRLF or a bare CR) and where the next begins."""
    end = text.find("\n", start)
    if end < 0:
        end = len(text)
    carriage = text.find("\r", start, end)  # (only up to the LF: never a scan of the whole file)
    if carriage >= 0:
        end = carriage
    if end == len(text):
        return text[start:], end
    after = end + 2 if text.startswith("\r\n", end) else end + 1
    return text[start:end], after


def _skip_blank(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\r\n":
        start += 1
    return start


def _headline(line: str) -> tuple[str, str] | None:
    """``[title](url)`` as (title, url): the URL is the text after the last ``](`` that holds
    no whitespace. Linear in the line's length (no backtracking regex): only the last ``](``
    can qualify, since the URL after any earlier one holds the last one's."""
    line = line.strip()
    if not (line.startswith("[") and line.endswith(")")):
        return None
    cut = line.rfind("](")
    if cut <= 0 or _SPACE.search(line, cut + 2, len(line) - 1):
        return None
    return line[1:cut], line[cut + 2:-1]


def _headline_over_rule(text: str, start: int) -> tuple[tuple[str, str], int] | None:
    """The headline link at ``start`` and where the HTML after its rule begins. The link may
    run over several lines (a title the collector wrapped): its lines are read until one ends
    in ``)`` with a rule under it, at most _MAX_HEADLINE_LINES lines; the line breaks stay in
    the title (the article's title cleaning folds them)."""
    if not text.startswith("[", start):
        return None
    position = start
    for _ in range(_MAX_HEADLINE_LINES):
        line, after = _line(text, position)
        if after >= len(text):
            return None
        if line.rstrip().endswith(")"):
            rule, rest = _line(text, after)
            if _RULE.fullmatch(rule):
                headline = _headline(text[start:position] + line)
                return (headline, rest) if headline is not None else None
        position = after
    return None


def split(text: str) -> Wrapper | None:
    """Take the wrapper apart, or None if ``text`` does not start with one."""
    position = _skip_blank(text, 0)
    captured = None
    first, after = _line(text, position)
    match = _CAPTURE.fullmatch(first)
    if match:
        captured = from_epoch_ms(match.group(1))
        position = _skip_blank(text, after)
        first, after = _line(text, position)
    found = _headline_over_rule(text, position)
    if found is not None:
        (title, url), rest = found
        return Wrapper(captured, htmllib.unescape(title), url, text[rest:])
    headline = _headline(first)
    if match is not None and ((match.group(1).isascii() and match.group(1).isdigit()) or headline is not None):
        return Wrapper(captured, "", "", text[position:])
    return None


def recognises(text: str) -> bool:
    """A capture comment or a headline link over a ``---`` rule opens the file."""
    return split(text.lstrip("\ufeff")[:_SNIFF]) is not None


def parse(text: str, path: str) -> list[Article]:
    """Read one archived feed item."""
    return [build(**fields(text, path))]


def fields(text: str, path: str) -> dict[str, Any]:
    """What a feed item gives :func:`~newsreader.sources.common.build`, its HTML not yet cleaned."""
    wrapper = split(text.lstrip("\ufeff"))
    if wrapper is None:
        raise ParseError("not a feed item (no capture comment or headline link)")
    if not wrapper.title and not wrapper.url and not wrapper.html.strip():
        raise ParseError("feed item with no headline and no body")
    return dict(url=wrapper.url, title=wrapper.title, html=wrapper.html, source=path, fmt=NAME,
                captured=wrapper.captured)
