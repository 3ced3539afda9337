"""Archive formats: one parser module per format, behind one registry that sniffs content.

Each parser module offers ``NAME``, ``recognises(text) -> bool`` (cheap) and
``parse(text, path) -> list[Article]`` (raises :class:`ParseError`). The registry
tries them in order; a file's name never decides its format.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from newsreader import paths
from newsreader.model import Article
from newsreader.sources import dw, feeditem, jekyll
from newsreader.sources.common import ParseError
from newsreader.sources.decode import DecodeError, decode

__all__ = ["MAX_FILE_BYTES", "PARSERS", "ParseError", "fields_file", "fields_text", "parse_file", "parse_text",
           "read_regular"]

T = TypeVar("T")

# Order matters: a Jekyll post may hold a feed-item wrapper, so it is tried first; a feed
# headline opens with `[` as a JSON array does, so feed items are tried before DW JSON.
PARSERS: tuple[ModuleType, ...] = (jekyll, feeditem, dw)

# Larger files are refused with a message rather than parsed (memory and time stay bounded).
MAX_FILE_BYTES = 64 * 1024 * 1024


def _parser_for(text: str) -> tuple[ModuleType, str]:
    """The first parser that recognises the document, and its text as that parser reads it."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ParseError("empty file")
    for parser in PARSERS:
        if parser.recognises(stripped):
            return parser, stripped
    raise ParseError("not an article in a known format (DW JSON, feed item, Jekyll post)")


def parse_text(text: str, path: str = "") -> list[Article]:
    """The articles in one document's text, by the first parser that recognises it."""
    parser, stripped = _parser_for(text)
    return parser.parse(stripped, path)


def fields_text(text: str, path: str = "") -> dict[str, Any]:
    """What the document gives :func:`~newsreader.sources.common.build` (its HTML not cleaned):
    each parser's ``fields``, which its ``parse`` builds the article from."""
    parser, stripped = _parser_for(text)
    return parser.fields(stripped, path)


def _too_large(size: int) -> ParseError:
    return ParseError(f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)")


def _kind(mode: int) -> str:
    """What a file that is not a regular one is, in words (a file can turn into a folder
    between the walk and its reading)."""
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "something else"


def read_regular(path: str) -> bytes:
    """The bytes of a regular file (``path`` in newsreader's path text), at most
    :data:`MAX_FILE_BYTES`. A named pipe, a device or a socket is refused without
    blocking on it, and a file that grows past the cap while read is refused too."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(paths.external(path), flags)
    except OSError as error:
        raise ParseError(f"cannot read ({error.strerror or error})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ParseError(f"{_kind(info.st_mode)}, not a regular file; only regular files are read")
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(info.st_size)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise _too_large(total)
        return b"".join(chunks)
    except OSError as error:
        raise ParseError(f"cannot read ({error.strerror or error})") from None
    finally:
        os.close(fd)


def parse_file(path: str) -> list[Article]:
    """Read, decode and parse one archive file; every failure is a :class:`ParseError`."""
    return _read(path, parse_text)


def fields_file(path: str) -> dict[str, Any]:
    """Read, decode and take apart one archive file, as :func:`parse_file` does up to cleaning
    its HTML; every failure is a :class:`ParseError` (the same one :func:`parse_file` gives)."""
    return _read(path, fields_text)


def _read(path: str, then: Callable[[str, str], T]) -> T:
    data = read_regular(path)
    try:
        text = decode(data)
    except DecodeError as error:
        raise ParseError(str(error)) from None
    try:
        return then(text, path)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("nested too deeply to read") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as error:
        raise ParseError(f"unreadable content ({type(error).__name__}: {error})") from None
