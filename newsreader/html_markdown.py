"""The HTML-to-Markdown converter of :func:`newsreader.render.markdown`: html2text with
article text escaped. Its own module so that html2text is imported only when a body is
first shown, not by every command and the app's first screen."""

from __future__ import annotations

import html2text

from newsreader.render import MAX_NESTING, escape_markdown
from newsreader.safetext import openable_url


class Converter(html2text.HTML2Text):
    """html2text with every piece of article text escaped, so only the structure the
    cleaner kept (paragraphs, headings, lists, quotes, emphasis, links) is markup.

    html2text escapes text only partly (not ``**``, ``_``, ``<`` or anything that came
    from a character reference); here all text goes through :func:`escape_markdown`.
    Inline ``code`` is shown as escaped text (a backtick in it would end the span), and
    ``pre`` as a paragraph with its line breaks kept, its text escaped like any other.
    """

    def __init__(self) -> None:
        super().__init__(bodywidth=0)
        self.convert_charrefs = True  # text arrives decoded and whole between tags
        self.unicode_snob = True
        self.inline_links = True
        self.protect_links = True
        self.ignore_images = True
        self.single_line_break = False
        self.mark_code = False
        self.verbatim = 0
        self.links_written: list[bool] = []
        self.depth = {"list": 0, "blockquote": 0}

    def _nested_too_deep(self, tag: str, start: bool) -> bool:
        """Whether a list or quote opens (or closes) past :data:`MAX_NESTING` levels: those
        levels are not written (each level indents every line inside it, so a thousand
        levels made megabytes of indentation); their content joins the deepest kept one."""
        kind = "list" if tag in ("ul", "ol") else "blockquote"
        if start:
            self.depth[kind] += 1
            return self.depth[kind] > MAX_NESTING
        self.depth[kind] = max(self.depth[kind] - 1, 0)
        return self.depth[kind] >= MAX_NESTING

    def handle_tag(self, tag: str, attrs: dict, start: bool) -> None:
        """Tags as html2text writes them, but ``code`` dropped, ``pre`` as a paragraph, lists
        and quotes at most :data:`MAX_NESTING` deep, and a link's target in the form it may be
        opened in (or no link at all)."""
        if tag in ("code", "kbd", "tt"):
            return
        if tag in ("ul", "ol", "blockquote") and self._nested_too_deep(tag, start):
            return
        if tag == "a":
            if start:
                href = openable_url(attrs.get("href") or "")
                self.links_written.append(bool(href))
                if not href:
                    return
                attrs = {"href": href}
            elif not (self.links_written and self.links_written.pop()):
                return
        if tag == "pre":
            self.verbatim += 1 if start else -1 if self.verbatim else 0
            tag = "p"
        super().handle_tag(tag, attrs, start)

    def handle_data(self, data: str, entity_char: bool = False) -> None:
        """Article text, escaped; in a ``pre`` block each line break kept as a hard break."""
        if not data:
            return
        if not self.verbatim:
            super().handle_data(escape_markdown(data), True)
            return
        for n, line in enumerate(data.split("\n")):
            if n:
                super().handle_tag("br", {}, True)
            if line.strip():
                super().handle_data(escape_markdown(line), True)
