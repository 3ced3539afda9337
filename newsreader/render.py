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


def markdown(body_html: str, media: list[Media]) -> str:
    """The body as Markdown, media placeholders as bold labels."""
    text = _converter().handle(body_html)
    text = _EMPTY_EMPHASIS.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = PLACEHOLDER.sub(lambda m: "**" + media_label(int(m.group(1)), media).replace("[", "\\[").replace("]", "\\]") + "**", text)
    return _BLANKS.sub("\n\n", text).strip() + "\n"


def plain(text: str, media: list[Media]) -> str:
    """The stored visible text with its placeholders as labels."""
    return PLACEHOLDER.sub(lambda m: media_label(int(m.group(1)), media), text)


def references(media: list[Media], links: list[Link]) -> list[tuple[int, str, str, str]]:
    """Media then links, numbered from 1 in one sequence: (number, kind, url, text)."""
    rows = [(n, m.kind, m.url, m.caption) for n, m in enumerate(media, 1)]
    rows += [(len(media) + n, "link", link.url, link.text) for n, link in enumerate(links, 1)]
    return rows
