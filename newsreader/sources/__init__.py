"""Archive formats: one parser module per format, behind one registry that sniffs content.

Each parser module offers ``NAME``, ``recognises(text) -> bool`` (cheap) and
``parse(text, path) -> list[Article]`` (raises :class:`ParseError`). The registry
tries them in order; a file's name never decides its format.
"""

from __future__ import annotations

import os
from types import ModuleType

from newsreader.model import Article
from newsreader.sources import dw, feeditem, jekyll
from newsreader.sources.common import ParseError
from newsreader.sources.decode import DecodeError, decode, looks_binary

__all__ = ["MAX_FILE_BYTES", "PARSERS", "ParseError", "parse_file", "parse_text"]

# Order matters: a Jekyll post may hold a feed-item wrapper, so it is tried first.
PARSERS: tuple[ModuleType, ...] = (dw, jekyll, feeditem)

# Larger files are refused with a message rather than parsed (memory and time stay bounded).
MAX_FILE_BYTES = 64 * 1024 * 1024


def parse_text(text: str, path: str = "") -> list[Article]:
    """The articles in one document's text, by the first parser that recognises it."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ParseError("empty file")
    for parser in PARSERS:
        if parser.recognises(stripped):
            return parser.parse(stripped, path)
    raise ParseError("not an article in a known format (DW JSON, feed item, Jekyll post)")


def parse_file(path: str) -> list[Article]:
    """Read, decode and parse one archive file; every failure is a :class:`ParseError`."""
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise ParseError(f"too large ({size // (1024 * 1024)} MB; the limit is "
                             f"{MAX_FILE_BYTES // (1024 * 1024)} MB)")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ParseError(f"cannot read ({error.strerror or error})") from None
    if looks_binary(data[:4096]):
        raise ParseError("binary file, not text")
    try:
        text = decode(data)
    except DecodeError as error:
        raise ParseError(str(error)) from None
    try:
        return parse_text(text, path)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise ParseError(f"unreadable content ({type(error).__name__}: {error})") from None
