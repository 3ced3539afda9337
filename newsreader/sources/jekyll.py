"""Format 3: a Jekyll post — YAML front matter, then usually a feed-item wrapper, then HTML.

Front matter in real archives is not always valid YAML (unquoted colons, stray
quotes): when YAML refuses it, it is read line by line as ``key: value``.
"""

from __future__ import annotations

import html as htmllib
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from newsreader.model import Article, DateOnly
from newsreader.sources import feeditem, plainyaml
from newsreader.sources.common import ParseError, build, parse_time, plausible

NAME = "jekyll"

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\r?\n\s*(?:[A-Za-z_][\w-]*[ \t]*:|---)")
_KEY = re.compile(r"[A-Za-z_][\w-]*")
_MAX_FRONT_MATTER = 256 * 1024  # beyond this a front matter is read only this far
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def recognises(text: str) -> bool:
    """The file opens with a ``---`` line and a ``key:`` line: a front matter block (whose end
    :func:`parse` looks for, and names when it is missing)."""
    return bool(_OPENING.match(text[:4096]))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def lenient_front_matter(block: str) -> dict[str, Any]:
    """``key: value`` lines, quotes stripped, ``[a, b]`` read as a list. Linear in the block."""
    data: dict[str, Any] = {}
    for line in block[:_MAX_FRONT_MATTER].splitlines():
        key, colon, value = line.partition(":")
        key = key.strip()
        if not colon or not _KEY.fullmatch(key):
            continue
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            data[key] = [_unquote(v.strip()) for v in value[1:-1].split(",") if v.strip()]
        else:
            data[key] = _unquote(value)
    return data


_MAX_DEPTH = 64


def _too_deep(block: str) -> bool:
    """Nesting a front matter never needs and that would crash the YAML library's C
    composer (it recurses per level): flow brackets or block indentation many levels deep."""
    depth = deepest = 0
    for char in block:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    if deepest > _MAX_DEPTH:
        return True
    return any(len(line) - len(line.lstrip(" \t?:-")) > 2 * _MAX_DEPTH for line in block.splitlines())


def front_matter(block: str) -> dict[str, Any]:
    """The front matter as a dict: YAML where it is valid, else read leniently (also when it is
    too large or too deeply nested for YAML to be read safely and in bounded time)."""
    if len(block) > _MAX_FRONT_MATTER or _too_deep(block):
        return lenient_front_matter(block)
    data = plainyaml.read(block)  # plain one-line entries, as YAML reads them (much faster)
    if data is None:
        try:
            data = yaml.load(block, Loader=_Loader)
        except (yaml.YAMLError, RecursionError, ValueError, OverflowError):
            return lenient_front_matter(block)
    if not isinstance(data, dict):
        return lenient_front_matter(block)
    return {str(key): _bounded(value) for key, value in list(data.items())[:_MAX_ITEMS]}


_MAX_ITEMS = 200


def _bounded(value: Any, depth: int = 0) -> Any:
    """A YAML value cut to what a front matter can mean: lists of at most a few hundred items,
    two levels deep. YAML aliases can make a small file stand for billions of items
    (``&a [*b, *b, …]``); walking them all would never end."""
    if isinstance(value, (list, tuple)):
        if depth >= 2:
            return []
        return [_bounded(v, depth + 1) for v in list(value[:_MAX_ITEMS])]
    if isinstance(value, dict):
        return {} if depth >= 2 else {str(k): _bounded(v, depth + 1) for k, v in list(value.items())[:_MAX_ITEMS]}
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(text for text in (_text(v) for v in value if v is not None) if text)
    if isinstance(value, dict):  # `title: {a: 1}` read as a mapping: its text, never Python's repr
        return ", ".join(f"{_text(k)}: {_text(v)}".strip(": ") for k, v in value.items())
    return htmllib.unescape(str(value)).strip()


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _time(value: Any) -> datetime | None:
    """The front matter's ``date``: a time (UTC unless it says otherwise), or a date alone
    (``2020-10-09``), kept as a :class:`DateOnly` rather than made midnight UTC."""
    if isinstance(value, datetime):
        return parse_time(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return plausible(DateOnly.on(value))
    text = _text(value)
    if _DATE_ONLY.fullmatch(text):
        try:
            return plausible(DateOnly.on(date.fromisoformat(text)))
        except ValueError:
            return None
    return parse_time(text)


def parse(text: str, path: str) -> list[Article]:
    """Read one Jekyll post."""
    return [build(**fields(text, path))]


def fields(text: str, path: str) -> dict[str, Any]:
    """What a post gives :func:`~newsreader.sources.common.build`, its HTML not yet cleaned
    (the catalogue reads its header from these alone)."""
    match = _FRONT.match(text)
    if not match:
        raise ParseError("front matter opened with --- but never closed")
    meta = front_matter(match.group("yaml"))
    rest = text[match.end():]
    wrapper = feeditem.split(rest)
    html = wrapper.html if wrapper else rest
    url = _text(meta.get("from")) or _text(meta.get("url")) or _text(meta.get("link")) or (
        wrapper.url if wrapper else "")
    title = _text(meta.get("title")) or (wrapper.title if wrapper else "")
    if not title and not html.strip():
        raise ParseError("front matter with no title and no body")
    tags = meta.get("tags") or []
    categories = meta.get("categories") or []
    hints = tuple(_text(v) for v in (
        *(tags if isinstance(tags, list) else [tags]),
        *(categories if isinstance(categories, list) else [categories]),
        meta.get("author"),
    ) if _text(v))
    return dict(
        url=url,
        title=title,
        html=html,
        source=path,
        fmt=NAME,
        published=_time(meta.get("date")),
        captured=wrapper.captured if wrapper else None,
        summary=_text(meta.get("description") or meta.get("excerpt")),
        author=_text(meta.get("author")),
        category=_text(categories[0] if isinstance(categories, list) and categories else categories),
        keywords=tuple(_text(t) for t in (tags if isinstance(tags, list) else [tags]) if _text(t)),
        outlet_hints=hints,
        outlet_labels=tuple(_text(v) for v in (*(tags if isinstance(tags, list) else [tags]),
                                               *(categories if isinstance(categories, list) else [categories]))),
        folder=Path(path).parent.name if path else "",
    )
