"""The outlet's own printed time (and the byline printed with it), found in the body and taken out.

Feeds print it in several ways: RFI's ``<div>31/10/2023 - 22:00</div>`` (Paris time), a
feed service's header ``<div><i>Author<br>2021-01-20T16:54:23.481Z</i></div>`` or
``<div><i>Wed, 20 Jan 2021 22:52:28 GMT</i></div>``, or ``<time datetime="…">``. The
time found is returned as ISO 8601 text for :func:`newsreader.sources.common.parse_time`.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

from selectolax.lexbor import LexborNode

_RFI_TIME = re.compile(r"^\s*(\d{2})/(\d{2})/(\d{4})\s*-\s*(\d{2}):(\d{2})\s*$")
_ISO_TIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?\s*$")
_RFC_TIME = re.compile(r"^\s*(?:[A-Z][a-z]{2}, )?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? (?:GMT|UTC|[+-]\d{4})\s*$")
_INLINE = frozenset({"i", "em", "span", "b", "strong", "small"})


def _attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else ""


def lines_of(node: LexborNode) -> list[str]:
    """The text lines of a block that holds only text and ``<br>``s, directly or through one
    inline element (``<div><i>Author<br>time</i></div>``); [] for anything else, or anything
    longer than a header line. Bounded work."""
    child = node.child
    if child is None or child.next is not None:
        return []
    holder = node
    if child.tag in _INLINE:
        holder = child
    elif child.tag != "-text":
        return []
    lines: list[str] = [""]
    part = holder.child
    for _ in range(8):
        if part is None:
            break
        if part.tag == "-text":
            lines[-1] += part.text_content or ""
        elif part.tag == "br":
            lines.append("")
        else:
            return []
        part = part.next
    else:
        return []
    lines = [" ".join(line.split()) for line in lines]
    return [line for line in lines if line] if sum(map(len, lines)) <= 120 else []


def _distinct_names(byline: str) -> str:
    """A byline with each name once (``MAGGIE HABERMAN,MAGGIE HABERMAN`` as the feed prints it)."""
    names: list[str] = []
    for name in re.split(r"\s*[,，、]\s*", byline.strip()):
        if name and name.casefold() not in (n.casefold() for n in names):
            names.append(name)
    return ", ".join(names)


def as_iso(text: str) -> str:
    """``text`` as ISO 8601 if it is a printed time we read (ISO or RFC 2822), else ''."""
    if _ISO_TIME.match(text):
        return text.strip()
    if _RFC_TIME.match(text):
        try:
            return parsedate_to_datetime(text.strip()).isoformat()
        except (TypeError, ValueError):
            return ""
    return ""


# Every printed time the blocks are read for holds a colon and two digits ("22:00"); a block's
# lines are stretches of the page's text, so a page whose text has none has no such block.
_COLON = re.compile(r":\d\d")


def own_time(root: LexborNode) -> tuple[str, str]:
    """Find and remove the outlet's printed time: (ISO text or '', the author printed with it or '')."""
    blocks = root.css("div, p") if _COLON.search(root.text(deep=True) or "") else []
    for block in blocks:
        lines = lines_of(block)
        if not lines:
            continue
        match = _RFI_TIME.match(lines[-1])
        if match and len(lines) == 1:
            block.decompose()
            day, month, year, hour, minute = match.groups()
            return f"{year}-{month}-{day}T{hour}:{minute}:00", ""
        iso = as_iso(lines[-1])
        if iso and len(lines) <= 2:
            block.decompose()
            return iso, _distinct_names(lines[0]) if len(lines) == 2 else ""
    for node in root.css("time"):
        value = _attr(node, "datetime") or _attr(node, "pudate")
        if value.strip():
            return value.strip(), ""
    return "", ""
