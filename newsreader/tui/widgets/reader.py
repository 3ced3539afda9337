"""The reader pane: one article laid out for Chinese text, scrolled line by line."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader import labels, render, script
from newsreader.model import View
from newsreader.store.records import Detail
from newsreader.tui import actions, layout

MAX_MEASURE = 92  # cells: a comfortable line length for Chinese prose
SHOWN_CHARS = 300_000  # the reader lays out at most this much of a body (a long book chapter)


class ArticleView(ScrollView, can_focus=True):
    """Headline, outlet, local time, author, URL, then the body with media placeholders."""

    BINDINGS = actions.bindings("reader")

    view: reactive[View] = reactive(View.ORIGINAL)
    highlight_query: reactive[str] = reactive("")
    """The search whose terms are highlighted (empty: none)."""

    class AtEnd(Message):
        """Page down at the end of the article (the main screen goes on to the next unread)."""

    class LinkChosen(Message):
        """A click on a link's number or a media label: entry ``number`` of the `m` list."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def __init__(self, variant: str = "tw", **kwargs) -> None:
        super().__init__(**kwargs)
        self.variant = variant
        self.article: Detail | None = None
        self.error: str = ""
        self.covered = ""
        """"also covered by: …" under the headline (empty when no other outlet has the story)."""
        self.badge = ""
        """简 or 繁 beside the byline when the article has another edition."""
        self._lines: list[Strip] = []
        self._laid_out_for: tuple | None = None
        self._markdown_cache: dict[str, str] = {}

    # -- content -------------------------------------------------------------------------

    def show_article(self, article: Detail | None, error: str = "") -> None:
        """Show an article (or an error in its place) from the top."""
        self.article = article
        self.error = error
        self._laid_out_for = None
        self.scroll_to(0, 0, animate=False)
        self._layout()

    def _markdown(self, article: Detail) -> str:
        cached = self._markdown_cache.get(article.listing.id)
        if cached is None:
            if len(article.text) > SHOWN_CHARS:  # a pathological giant: lay out only its start
                cut = article.text.rfind("\n\n", 0, SHOWN_CHARS)
                start = article.text[:cut if cut > 0 else SHOWN_CHARS]
                cached = render.markdown("", article.media, start) + (
                    f"\n_(The article goes on for {len(article.text) // 1000:,} thousand characters; "
                    f"read it all with newsreader show {article.listing.id[:10]} | less)_\n")
            else:
                cached = render.markdown(article.body_html, article.media, article.text)
            if len(self._markdown_cache) > 64:
                self._markdown_cache.clear()
            self._markdown_cache[article.listing.id] = cached
        return cached

    def _styles(self) -> layout.Styles:
        variables = self.app.theme_variables if self.is_attached else {}
        accent = variables.get("accent", "cyan")
        primary = variables.get("primary", "blue")
        return layout.Styles(
            heading=Style(bold=True, color=primary) if primary.startswith("#") else Style(bold=True),
            placeholder=Style(bold=True, color=accent) if accent.startswith("#") else Style(bold=True),
            link_number=Style(bold=True, color=accent) if accent.startswith("#") else Style(bold=True),
            link=Style(underline=True),
            highlight=Style(reverse=True, bold=True),
        )

    def _texts(self, width: int) -> list[Text]:
        """Every line of the article at ``width`` cells."""
        if self.article is None:
            message = self.error or "Select an article on the left (enter), or press / to search."
            return [Text(message, style="bold red" if self.error else "dim")]
        article, view, styles = self.article, self.view, self._styles()

        def conv(value: str) -> str:
            return script.convert(value, view, self.variant)

        lines: list[Text] = []
        title = Text(conv(article.listing.title), style=Style(bold=True))
        layout.highlight(title, self.highlight_query, styles.highlight)
        lines.extend(layout.wrap_text(title, width))
        if self.covered:
            lines.extend(layout.wrap_text(Text(conv(self.covered), style="dim"), width))
        meta = labels.byline(article.listing, article.author, view, self.variant)
        if self.badge:
            meta = f"[{self.badge}] e ⇄  {meta}"
        lines.extend(layout.wrap_text(Text(meta, style="italic"), width))
        if article.listing.url:
            lines.append(Text(article.listing.url[: width * 3], style="dim underline"))
        lines.append(Text("─" * min(width, 40), style="dim"))
        if article.summary:
            summary = Text(conv(article.summary), style="italic")
            layout.highlight(summary, self.highlight_query, styles.highlight)
            lines.extend(layout.wrap_text(summary, width))
            lines.append(Text())
        body = script.convert_markdown(self._markdown(article), view, self.variant,
                                       render.code_lines(article.body_html, markdown=True))
        numbers = render.link_numbers(article.media, article.links)
        for kind, text in layout.blocks(body, styles, numbers):
            layout.highlight(text, self.highlight_query, styles.highlight)
            indent = {"item": "• ", "quote": "│ "}.get(kind, "")
            lines.extend(layout.wrap_text(text, width, indent))
            lines.append(Text())
        if article.media or article.links:
            lines.append(Text(f"{len(article.media)} media, {len(article.links)} links — press m", style="dim"))
        return lines

    def _layout(self) -> None:
        if not self.is_attached or self.scrollable_content_region.width < 4:
            return  # not sized yet: on_resize lays out once it is
        width = max(min(self.scrollable_content_region.width - 1, MAX_MEASURE), 10)
        key = (id(self.article), self.error, self.view, self.highlight_query, width, self.app.theme if self.is_attached else "")
        if key == self._laid_out_for:
            return
        self._laid_out_for = key
        console = self.app.console
        strips = []
        for text in self._texts(width):
            text.end = ""
            text.no_wrap = True
            segments = list(text.render(console))
            strips.append(Strip(segments, text.cell_len))
        self._lines = strips
        self.virtual_size = Size(width, len(strips))
        self.refresh()

    def watch_view(self) -> None:
        self._layout()

    def watch_highlight_query(self) -> None:
        self._layout()

    def on_resize(self) -> None:
        self._layout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid_out_for = None
        if self.is_attached:
            self._layout()

    def action_page_down(self) -> None:
        """Page down; at the end of an article, say so (on to the next unread)."""
        if self.article is not None and self.scroll_target_y >= self.max_scroll_y:
            self.post_message(self.AtEnd())
            return
        self.scroll_page_down(animate=False)

    def action_open_link(self, number: int) -> None:
        """Open entry ``number`` of the `m` list (a click on a link's ``[3]`` runs this)."""
        self.post_message(self.LinkChosen(number))

    def action_top(self) -> None:
        """Jump to the headline."""
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        """Jump to the end (at once: animating across a long article takes seconds)."""
        self.scroll_end(animate=False)

    # -- rendering -----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """One screen line: the laid-out line at the scroll position, padded to the width."""
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self._lines):
            return Strip([Segment(" " * width, style)], width)
        strip = self._lines[index].crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width).apply_style(style)
