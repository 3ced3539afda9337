"""An article's header — what a list shows — from a parser's fields, without cleaning its HTML.

:func:`~newsreader.sources.common.build` cleans the body to settle two things the list
needs: the outlet's own printed time (which overrides the metadata's date) and, for an
article without a URL, its id (made from the text). :func:`header` settles the same
fields the same way without the cleaning whenever it can be sure of the result, and says
so by returning None when it cannot (the caller then parses the file in full). Being sure
means: the HTML holds no text that could be a printed time and no ``<time>`` element, or
the first such text sits in a plain ``<div>``/``<p>`` block near the top of the page
whose reading by the parser is certain (no entity, comment, table, script or template
before it that could move or hide text), or there is no printed time and the first
``<time>`` element is certain the same way.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsreader import outlets
from newsreader.safetext import clean, clean_line
from newsreader.sources import printed
from newsreader.sources.common import bounded_title, canonical_url, headline, printed_time
from newsreader.sources.htmlclean import MARK_CLOSE, MARK_OPEN, MAX_DEPTH


@dataclass(frozen=True)
class Header:
    """The fields of an article :func:`~newsreader.sources.common.build` would give that do
    not depend on its cleaned body (author does, and is left to the full parse)."""

    url: str
    title: str
    outlet: str
    published: datetime | None
    summary: str
    category: str
    keywords: tuple[str, ...]
    source: str
    format: str


# Text that could be read as a printed time (printed.own_time's patterns, with any run of
# whitespace where a line's whitespace collapses to one space), or a <time> element.
# Case-insensitive: a superset of what own_time accepts, which is all this must be. Every one
# ends in ":" and two digits, which a fast scan finds; the pattern then runs on the text
# before each (Python's regex engine is slow to scan for a digit class through a page).
_TIMELIKE = re.compile(
    r"\d{2}/\d{2}/\d{4}\s*-\s*\d{2}:\d{2}|\d{4}-\d{2}-\d{2}(?:T|\s+)\d{2}:\d{2}"
    r"|\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{2}:\d{2}", re.I)
_COLON = re.compile(r":\d\d")
_WINDOW = 500  # characters before a ":dd" looked at: a longer match holds a run of 100 spaces
_WIDE_GAP = re.compile(r"\s{100}")
_TIME_TAG = re.compile(r"<time\b", re.I)
# Fullwidth digits are CJK to the source-line unwrapping, which may join them across a line break.
_FULLWIDTH_DIGITS = "０１２３４５６７８９"
# Attributes as the HTML parser reads them, in a strict form only: names, then values quoted
# without quotes or angle brackets in them, or unquoted; anything else is not read here.
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*"""
# The only markup a page may open with for its first printed time to be read here: plain
# blocks, line breaks and images (no entity, comment, table, script, template, formatting
# element or anything else the HTML parser moves, hides or reconstructs around text).
_PLAIN_PREFIX = re.compile(rf"(?:[^<&]++|<(?:/?(?:div|p)|br|img){_ATTRIBUTES}/?>)*+")
# A block printed.lines_of reads: one text child, or one inline element of text and <br>s.
_BLOCK = re.compile(rf"<(div|p){_ATTRIBUTES}>(?:([^<&]*)|<(i|em|span|b|strong|small){_ATTRIBUTES}>"
                    rf"((?:[^<&]++|<br\s*/?>)*+)</\3>)</\1>")
_BREAK = re.compile(r"<br\s*/?>")
# What the HTML tokenizer reads as anything but markup and text: before one, a tag's reach is unsure.
_HIDING = r"(?:template|script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext|svg|math" \
          r"|table|select|object)\b"
_HAZARD = re.compile(rf"<(?:!|\?|/?(?i:{_HIDING}))")  # (a literal first: found by a fast scan)
_TAG = re.compile(rf"</?[A-Za-z][\w-]*{_ATTRIBUTES}/?>")
# Before the first <time> element: well-formed tags only, none that hides or moves elements.
_TAGS_PREFIX = re.compile(rf"(?:[^<]++|</?(?!{_HIDING})[A-Za-z][\w-]*{_ATTRIBUTES}/?>)*+", re.I)
_TIME_OPEN = re.compile(rf"<time({_ATTRIBUTES})/?>", re.I)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def _block_time(parts: list[str]) -> str | None:
    """What :func:`printed.own_time` makes of a block whose text (or whose one inline
    element's text) is ``parts`` — runs of text, '' for each ``<br>`` — as the parser reads
    it: the printed time, or None when that block is not one (own_time looks further)."""
    if len(parts) >= 8:
        return None
    lines = [""]
    for part in parts:
        if part:
            lines[-1] += part
        else:
            lines.append("")
    lines = [" ".join(line.split()) for line in lines]
    if sum(map(len, lines)) > 120:
        return None
    lines = [line for line in lines if line]
    if not lines:
        return None
    match = printed._RFI_TIME.match(lines[-1])
    if match and len(lines) == 1:
        day, month, year, hour, minute = match.groups()
        return f"{year}-{month}-{day}T{hour}:{minute}:00"
    iso = printed.as_iso(lines[-1])
    return iso if iso and len(lines) <= 2 else None


def _parts(inner: str) -> list[str]:
    """Text runs and ``<br>`` markers ('') of an inline element's content, as its children."""
    parts: list[str] = []
    position = 0
    for brk in _BREAK.finditer(inner):
        if brk.start() > position:
            parts.append(inner[position:brk.start()])
        parts.append("")
        position = brk.end()
    if position < len(inner):
        parts.append(inner[position:])
    return parts


def _time_attribute(tag: str) -> str | None:
    """``datetime`` (else ``pudate``) of one ``<time>`` tag's attributes as the parser reads
    them (the first of a repeated name counts), or None when unsure or blank."""
    values: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(tag):
        name = match.group(1).lower()
        value = next((v for v in match.group(2, 3, 4) if v is not None), "")
        values.setdefault(name, value)
    value = values.get("datetime", "") or values.get("pudate", "")
    if "&" in value or not value.strip():
        return None
    return value.strip()


def _decoded(match: re.Match[str]) -> str:
    """An entity as the text it stands for, except markup characters, kept as the entity."""
    text = htmllib.unescape(match.group(0))
    return match.group(0) if any(c in "<>&\"'" for c in text) else text


def _timelike(text: str) -> list[re.Match[str]] | None:
    """Every time-like text (as _TIMELIKE.finditer finds them where they do not overlap), in
    order; None when unsure (a run of whitespace so long a match might begin out of sight)."""
    found: dict[int, re.Match[str]] = {}
    for colon in _COLON.finditer(text):
        start = max(0, colon.start() - _WINDOW)
        if start and _WIDE_GAP.search(text, start, colon.end()):
            return None
        for match in _TIMELIKE.finditer(text, start, colon.end()):
            found.setdefault(match.start(), match)
    hits: list[re.Match[str]] = []
    for position in sorted(found):
        if not hits or position >= hits[-1].end():
            hits.append(found[position])
    return hits


def _text_hit(text: str) -> re.Match[str] | bool | None:
    """The first time-like text outside tags; None if there is none; False when unsure."""
    hits = _timelike(text)
    if hits is None:
        return False
    if not hits:
        return None
    hazard = _HAZARD.search(text)
    limit = hazard.start() if hazard else len(text)
    for hit in hits:
        opening = text.rfind("<", 0, hit.start())
        if opening <= text.rfind(">", 0, hit.start()):
            return hit  # in text
        if opening >= limit:
            return False  # past a comment, script or the like: a tag there is unsure
        tag = _TAG.match(text, opening)
        if tag is None or tag.end() <= hit.start():
            return False  # a '<' that may be text
    return None


def own_time(html: str) -> str | None:
    """The outlet's printed time in ``html`` as :func:`htmlclean.clean_html` finds it ('' for
    none), when that is certain without parsing the page; else None."""
    if MARK_OPEN in html or MARK_CLOSE in html or html.count("<") > MAX_DEPTH:
        return None
    text = _ENTITY.sub(_decoded, html) if "&" in html else html
    if any(digit in text for digit in _FULLWIDTH_DIGITS):
        return None
    hit = _text_hit(text)
    if hit is False:
        return None
    if isinstance(hit, re.Match):
        block_start = max(text.rfind("<div", 0, hit.start()), text.rfind("<p", 0, hit.start()))
        block = _BLOCK.match(text, block_start) if block_start >= 0 else None
        if block is None or not block.start() < hit.start() < block.end():
            return None
        if not _PLAIN_PREFIX.fullmatch(text, 0, block.start()):
            return None  # something before it the parser may move, hide or rebuild
        inner = block.group(2)
        return _block_time([inner] if inner is not None else _parts(block.group(4)))
    tag = _TIME_TAG.search(html)
    if tag is None:
        return ""
    if not _TAGS_PREFIX.fullmatch(html, 0, tag.start()):
        return None
    opening = _TIME_OPEN.match(html, tag.start())
    return _time_attribute(opening.group(1)) if opening else None


def header(fields: dict[str, Any]) -> Header | None:
    """The header :func:`~newsreader.sources.common.build` would give the article of
    ``fields`` (a parser's ``fields``), or None when it cannot be settled without the body."""
    url = canonical_url(fields["url"])
    if not url:
        return None  # the id is made from the text
    own = own_time(fields["html"])
    if own is None:
        return None
    key = outlets.key_for(url, *fields.get("outlet_hints", ()), folder=fields.get("folder", ""))
    outlet = outlets.get(key)
    title = bounded_title(headline(fields["title"], outlet.names(), fields.get("outlet_labels", ())))
    published, captured = fields.get("published"), fields.get("captured")
    moment = printed_time(own, outlet.timezone, published or captured)
    return Header(
        url=url,
        title=title or "(untitled)",
        outlet=key,
        published=moment or published or captured,
        summary=clean(fields.get("summary", "")).strip(),
        category=clean_line(fields.get("category", "")),
        keywords=tuple(clean_line(k) for k in fields.get("keywords", ()) if clean_line(k)),
        source=fields["source"],
        format=fields["fmt"],
    )
