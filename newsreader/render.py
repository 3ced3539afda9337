"""Article bodies for people: Markdown (html2text) for the reader, plain text for pipes.

Both carry the media in place as numbered placeholders with their captions, and a
numbered list of media and links at the end of plain output. Markdown is rendered
when an article is shown, not at index time (html2text manages ~66 documents/s).
"""

from __future__ import annotations

import re

import html2text

from newsreader.model import Link, Media
from newsreader.sources.htmlclean import PLACEHOLDER

KIND_LABEL = {"image": "Image", "video": "Video", "audio": "Audio", "embed": "Embed"}


def duration_text(seconds: int | None) -> str:
    """``1:24`` or ``1:02:03``."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def media_label(number: int, media: list[Media]) -> str:
    """``[Image 1]``, ``[Video 2 · 1:24]`` for the medium numbered ``number`` (1-based)."""
    if not 1 <= number <= len(media):
        return f"[{number}]"
    item = media[number - 1]
    label = f"{KIND_LABEL.get(item.kind, item.kind.title())} {number}"
    if item.duration is not None:
        label += f" · {duration_text(item.duration)}"
    return f"[{label}]"


def _converter() -> html2text.HTML2Text:
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.unicode_snob = True
    converter.inline_links = True
    converter.protect_links = True
    converter.ignore_images = True
    converter.single_line_break = False
    converter.mark_code = False
    return converter


_BLANKS = re.compile(r"\n{3,}")
_EMPTY_EMPHASIS = re.compile(r"\*\*(\s*)\*\*|(?<!\w)_(\s*)_(?!\w)")


# html2text manages about 1.6 MB of HTML a second: past this a body is rendered from its text.
MARKDOWN_LIMIT = 2_000_000


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]#<>|])")


def _bold_labels(markdown_text: str, media: list[Media]) -> str:
    """Media placeholders as bold, escaped labels: ``**\\[Image 1\\]**``."""
    def label(match: re.Match) -> str:
        return "**" + _MARKDOWN_SPECIALS.sub(r"\\\1", media_label(int(match.group(1)), media)) + "**"

    return PLACEHOLDER.sub(label, markdown_text)


def markdown(body_html: str, media: list[Media], text: str = "") -> str:
    """The body as Markdown, media placeholders as bold labels.

    A body over :data:`MARKDOWN_LIMIT` characters of HTML becomes Markdown paragraphs of
    its visible ``text`` instead (links and emphasis are dropped, nothing else).
    """
    if (len(body_html) > MARKDOWN_LIMIT or not body_html) and text:
        return _bold_labels(_MARKDOWN_SPECIALS.sub(r"\\\1", text), media).strip() + "\n"
    converted = _converter().handle(body_html)
    converted = _EMPTY_EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or "", converted)
    converted = _bold_labels(converted, media)
    return _BLANKS.sub("\n\n", converted).strip() + "\n"


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
    so a link in the text can carry the number that opens it."""
    return {url: number for number, kind, url, _text in references(media, links) if kind == "link"}
