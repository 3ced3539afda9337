"""Article bodies for people: Markdown (html2text) for the reader, plain text for pipes.

Both carry the media in place as numbered placeholders with their captions, and a
numbered list of media and links at the end of plain output. Markdown is rendered
when an article is shown, not at index time (html2text manages ~66 documents/s).
"""

from __future__ import annotations

import re

from newsreader.labels import duration_text, media_label  # noqa: F401 - duration_text re-exported
from newsreader.lazyre import lazy
from newsreader.markers import PLACEHOLDER
from newsreader.model import Link, Media
from newsreader.safetext import openable_url

_HAN = lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# -- text from the article is escaped wherever it becomes Markdown ------------------------

# Inline syntax anywhere in a line: escapes, code, emphasis, links, autolinks and HTML,
# GFM tables and strikethrough, ``&`` (``&amp;`` would be decoded as a reference), and ``#``
# (a heading's text may end in ``#``s, which CommonMark takes for a closing sequence).
_INLINE_SPECIALS = re.compile(r"[\\`*_\[\]<>|~&#]")
# Block syntax where a line (or a run of text that may start one) begins: list
# markers (``-``, ``+``, ``1.``, ``1)``), setext underlines and thematic breaks.
_BLOCK_START = re.compile(r"^([ \t]*)(\d{1,9}(?=[.)](?:\s|$))|)([.)]|[-+=](?=[\s\-+=]|$))", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """``text`` as Markdown that a CommonMark parser reads back as exactly that text.

    Every character that could start inline markup is backslash-escaped, and so is a
    block marker at the start of ``text`` or of any of its lines. ``text`` may be a
    piece of a line (html2text hands text over in pieces), so a marker at its start is
    escaped even when the piece turns out not to begin a line.
    """
    if not text:
        return text
    text = _INLINE_SPECIALS.sub(lambda m: "\\" + m.group(0), text)
    return _BLOCK_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


def _escape_paragraphs(text: str) -> str:
    """Plain text (paragraphs split by blank lines) as escaped Markdown; no line indented
    (four spaces would make a code block)."""
    return escape_markdown(re.sub(r"^[ \t]+", "", text, flags=re.MULTILINE))


MAX_NESTING = 6  # list and quote levels written as Markdown (deeper ones join the sixth)

_BLANKS = re.compile(r"\n{3,}")
_EMPTY_EMPHASIS = re.compile(r"\*\*(\s*)\*\*|(?<!\w)_(\s*)_(?!\w)")


# html2text manages about 1.6 MB of HTML a second: past this a body is rendered from its text.
MARKDOWN_LIMIT = 2_000_000
# html2text's cost is per tag too (50-100 µs each): 100,000 links took 20 s. Past this many
# tags (a normal article has a few hundred) a body is rendered from its text as well.
MARKDOWN_TAG_LIMIT = 10_000


def _bold_labels(markdown_text: str, media: list[Media]) -> str:
    """Media placeholders as bold, escaped labels: ``**\\[Image 1\\]**``."""
    def label(match: re.Match) -> str:
        return "**" + escape_markdown(media_label(int(match.group(1)), media)) + "**"

    return PLACEHOLDER.sub(label, markdown_text)


def markdown(body_html: str, media: list[Media], text: str = "") -> str:
    """The body as Markdown, media placeholders as bold labels.

    A body over :data:`MARKDOWN_LIMIT` characters of HTML, or with over
    :data:`MARKDOWN_TAG_LIMIT` tags, becomes Markdown paragraphs of its visible ``text``
    instead (links and emphasis are dropped, nothing else; the links stay in the list).
    """
    too_big = len(body_html) > MARKDOWN_LIMIT or body_html.count("<") > MARKDOWN_TAG_LIMIT
    if (too_big or not body_html) and text:
        return _bold_labels(_escape_paragraphs(text), media).strip() + "\n"
    from newsreader.html_markdown import Converter  # html2text: imported when a body is first shown

    converted = Converter().handle(body_html)
    converted = _EMPTY_EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or "", converted)
    converted = _bold_labels(converted, media)
    return _BLANKS.sub("\n\n", converted).strip() + "\n"


_CODE_ELEMENTS = "code, pre, kbd, samp, tt"


def code_lines(body_html: str, markdown: bool = False) -> list[str]:
    """The lines of code in a body (``<code>``, ``<pre>`` …) that hold Han characters,
    longest first: what a script conversion must leave alone (``markdown``: also each
    line as :func:`escape_markdown` writes it)."""
    if "<" not in body_html or not any(tag in body_html for tag in ("<code", "<pre", "<kbd", "<samp", "<tt")):
        return []
    from selectolax.lexbor import LexborHTMLParser  # only bodies that hold code are parsed here

    lines: set[str] = set()
    for node in LexborHTMLParser(body_html).css(_CODE_ELEMENTS):
        for line in (node.text(deep=True) or "").splitlines():
            line = line.strip()
            if line and _HAN.search(line):
                lines.add(line)
                if markdown:
                    lines.add(escape_markdown(line))
    return sorted(lines, key=len, reverse=True)


def plain(text: str, media: list[Media]) -> str:
    """The stored visible text with its placeholders as labels."""
    return PLACEHOLDER.sub(lambda m: media_label(int(m.group(1)), media), text)


def references(media: list[Media], links: list[Link]) -> list[tuple[int, str, str, str]]:
    """Media then links, numbered from 1 in one sequence: (number, kind, url, text)."""
    rows = [(n, m.kind, m.url, m.caption) for n, m in enumerate(media, 1)]
    rows += [(len(media) + n, "link", link.url, link.text) for n, link in enumerate(links, 1)]
    return rows


def link_numbers(media: list[Media], links: list[Link]) -> dict[str, int]:
    """Each link's URL → its number in :func:`references` (the `m` list, the end of ``show``),
    so a link in the text can carry the number that opens it. Keyed by the URL's openable
    form, the one :func:`markdown` writes as a link's target."""
    return {openable_url(url) or url: number for number, kind, url, _text in references(media, links)
            if kind == "link"}
