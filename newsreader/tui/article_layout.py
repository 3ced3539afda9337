"""An article as the reader's lines: what is on screen first, the rest off the UI thread.

:func:`lay_out` builds every line of an article at a width (headline, byline, URL,
summary, body blocks, the media note) as styled ``Text``; it touches no widget, so the
reader runs it in a thread worker for long articles. :func:`preview` builds the first
screens only, from a bounded slice of the article's stored text, cheaply enough for the
UI thread whatever the article holds (a million-character line, 100,000 links).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from newsreader import labels, render, script
from newsreader.model import View
from newsreader.store.records import Detail
from newsreader.stories.display import OUTLETS_APART
from newsreader.tui import layout

SHOWN_CHARS = 300_000  # the reader lays out at most this much of a body (a long book chapter)
QUICK_HTML = 40_000  # a body of at most this much HTML …
QUICK_TEXT = 12_000  # … and this much text is laid out at once, on the UI thread
PREVIEW_CHARS = 3_000  # text shown while a longer article is laid out in a worker
PIECE_CHARS = 8_000  # a worker converts the script this much at a time

HEADLINE = Style(bold=True)
BYLINE = Style(dim=True)
RULE = Style(dim=True)
SUMMARY = Style(italic=True)
NOTE = Style(dim=True, italic=True)
_MEDIA_LABEL = re.compile(r"\[(?:Image|Video|Audio|Embed) \d+[^\]\n]{0,24}\]")


@dataclass(frozen=True)
class Request:
    """What a layout depends on; equal requests give equal lines."""

    article: Detail
    view: View
    variant: str
    width: int
    query: str = ""
    styles: layout.Styles = field(default_factory=layout.Styles)
    covered: str = ""
    """"also covered by: …" under the headline (empty when no other outlet has the story)."""
    badge: str = ""
    """简 or 繁 beside the byline when the article has another edition."""
    numbers: Mapping[str, int] | None = field(default=None, compare=False)
    """Link URL → its number in the media-and-links list (links then show ``[3]``); None:
    the article's own (:func:`render.link_numbers`)."""

    def convert(self, value: str) -> str:
        """``value`` in the request's script."""
        return script.convert(value, self.view, self.variant)


def is_quick(article: Detail) -> bool:
    """Whether the whole article can be laid out on the UI thread (well under 100 ms)."""
    return len(article.body_html) <= QUICK_HTML and len(article.text) <= QUICK_TEXT


# -- Markdown, cached per article (it is the costly step: html2text) ------------------------

_markdown_cache: OrderedDict[str, str] = OrderedDict()
_markdown_lock = threading.Lock()


def markdown(article: Detail) -> str:
    """The article's body as Markdown (a giant body: only its start, with a note)."""
    key = article.listing.id
    with _markdown_lock:
        if key in _markdown_cache:
            _markdown_cache.move_to_end(key)
            return _markdown_cache[key]
    if len(article.text) > SHOWN_CHARS:
        cut = article.text.rfind("\n\n", 0, SHOWN_CHARS)
        start = article.text[:cut if cut > 0 else SHOWN_CHARS]
        made = render.markdown("", article.media, start) + (
            f"\n_(The article goes on for {len(article.text) // 1000:,} thousand characters; "
            f"read it all with newsreader show {article.listing.id[:10]} | less)_\n")
    else:
        made = render.markdown(article.body_html, article.media, article.text)
    with _markdown_lock:
        _markdown_cache[key] = made
        while len(_markdown_cache) > 32:
            _markdown_cache.popitem(last=False)
    return made


# -- lines ---------------------------------------------------------------------------------


def covered_lines(covered: str, width: int) -> list[Text]:
    """"also covered by: A · B · C" wrapped between outlets, never inside a name ("RFI 法广"
    cut after 法); a name wider than the whole line still wraps by the CJK rules."""
    lines: list[str] = []
    for part in covered.split(OUTLETS_APART):
        # room kept for the " ·" that ends a line when the next outlet goes below
        if lines and cell_len(lines[-1] + OUTLETS_APART + part) + len(OUTLETS_APART.rstrip()) <= width:
            lines[-1] += OUTLETS_APART + part
        else:
            if lines:
                lines[-1] += OUTLETS_APART.rstrip()
            lines.append(part)
    return [piece for line in lines for piece in layout.wrap_text(Text(line, style=BYLINE), width)]


def head(request: Request) -> list[Text]:
    """Headline (bold), byline (dim), URL, a rule and the summary."""
    article, width = request.article, request.width
    lines: list[Text] = []
    title = Text(request.convert(article.listing.title), style=HEADLINE)
    layout.highlight(title, request.query, request.styles.highlight)
    lines.extend(layout.wrap_text(title, width))
    if request.covered:
        lines.extend(covered_lines(request.convert(request.covered), width))
    byline = labels.byline(article.listing, article.author, request.view, request.variant)
    if request.badge:
        byline = f"[{request.badge}] e ⇄  {byline}"
    lines.extend(layout.wrap_text(Text(byline, style=BYLINE), width))
    if article.listing.url:
        lines.append(Text(article.listing.url[: width * 3], style="dim underline"))
    lines.append(Text("─" * min(width, 40), style=RULE))
    if article.summary:
        summary = Text(request.convert(article.summary[:PREVIEW_CHARS]), style=SUMMARY)
        layout.highlight(summary, request.query, request.styles.highlight)
        lines.extend(layout.wrap_text(summary, width))
        lines.append(Text())
    return lines


def block_lines(kind: str, text: Text, width: int) -> list[Text]:
    """One body block's lines: a list item's bullet once with a hanging indent, a quote's
    bar on every line."""
    if kind == "item":
        return layout.wrap_text(text, width, "• ", hanging="  ")
    if kind == "quote":
        return layout.wrap_text(text, width, "│ ")
    return layout.wrap_text(text, width)


def tail(article: Detail) -> list[Text]:
    """The note under the body that points at ``m``."""
    if article.media or article.links:
        counts = f"{labels.count(len(article.media), 'media', 'media')}, {labels.count(len(article.links), 'link')}"
        return [Text(f"{counts} — press m", style="dim")]
    return []


def lay_out(request: Request, should_stop: Callable[[], bool] = lambda: False) -> list[Text] | None:
    """Every line of the article; None when ``should_stop`` said so part-way."""
    article = request.article
    lines = head(request)
    keep = render.code_lines(article.body_html, markdown=True)
    converted = []
    for piece in pieces(markdown(article)):
        if should_stop():
            return None
        converted.append(script.convert_markdown(piece, request.view, request.variant, keep))
    body = "".join(converted)
    numbers = request.numbers if request.numbers is not None else render.link_numbers(article.media, article.links)
    for n, (kind, text) in enumerate(layout.blocks(body, request.styles, numbers)):
        if n % 64 == 0 and should_stop():
            return None
        layout.highlight(text, request.query, request.styles.highlight)
        lines.extend(block_lines(kind, text, request.width))
        lines.append(Text())
    return lines + tail(article)


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of about ``size`` characters, at paragraph breaks where it can
    (else after a sentence, a line or a space): each piece is converted in one short call, so
    a worker never holds the interpreter for long (OpenCC holds it while it converts)."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for mark in ("\n\n", "。", "\n", " "):
            found = text.rfind(mark, start + size // 2, end)
            if found > 0:
                end = found + len(mark)
                break
        while end > start + 1 and text[end - 1] == "\\":  # never split an escape
            end -= 1
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def preview(request: Request) -> list[Text]:
    """The first screens, from at most :data:`PREVIEW_CHARS` of the stored text (plain
    paragraphs, media as labels), with a line saying the rest is being laid out."""
    article = request.article
    lines = head(request)
    start = article.text[:PREVIEW_CHARS]
    cut = start.rfind("\n\n")
    if len(article.text) > PREVIEW_CHARS and cut > PREVIEW_CHARS // 2:
        start = start[:cut]
    shown = render.plain(start, article.media)
    for paragraph in request.convert(shown).split("\n\n"):
        if not paragraph.strip():
            continue
        text = Text(" ".join(paragraph.split()) if "\n" in paragraph else paragraph.strip())
        for label in _MEDIA_LABEL.finditer(text.plain):
            text.stylize(request.styles.placeholder, label.start(), label.end())
        layout.highlight(text, request.query, request.styles.highlight)
        lines.extend(layout.wrap_text(text, request.width))
        lines.append(Text())
    lines.append(Text("… laying out the rest of this long article", style=NOTE))
    return lines


def strips(texts: list[Text], console: Console) -> list[Strip]:
    """Lines as strips, one cell-exact row each (safe in a worker thread)."""
    out = []
    for text in texts:
        text.end = ""
        text.no_wrap = True
        out.append(Strip(list(text.render(console)), text.cell_len))
    return out
