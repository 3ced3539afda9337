"""The reader pane: one article laid out for Chinese text, scrolled line by line.

A short article is laid out at once. A long one (see :func:`article_layout.is_quick`)
shows its first screens at once and is laid out whole in a thread worker, which posts
the lines back: nothing the article holds makes the UI thread wait.
"""

from __future__ import annotations

import gc

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import work
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from newsreader.model import View
from newsreader.store.records import Detail
from newsreader.tui import actions, article_layout, layout
from newsreader.tui.article_layout import Request

MAX_MEASURE = 92  # cells: a comfortable line length for Chinese prose
SHOWN_CHARS = article_layout.SHOWN_CHARS


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

    class LaidOut(Message):
        """A worker laid out a long article's lines."""

        def __init__(self, request: Request, lines: list[Strip]) -> None:
            super().__init__()
            self.request = request
            self.lines = lines

    def __init__(self, variant: str = "tw", **kwargs) -> None:
        super().__init__(**kwargs)
        self.variant = variant
        self.article: Detail | None = None
        self.error: str = ""
        self.covered = ""
        """"also covered by: …" under the headline (empty when no other outlet has the story)."""
        self.badge = ""
        """简 or 繁 beside the byline when the article has another edition."""
        self.loading = False
        self.complete = True
        """Whether every line of the article is laid out (False while a worker works)."""
        self._lines: list[Strip] = []
        self._laid_out_for: tuple | None = None
        self._request: Request | None = None
        self._wanted_y = 0.0

    # -- content -------------------------------------------------------------------------

    def show_article(self, article: Detail | None, error: str = "", loading: bool = False) -> None:
        """Show an article (or an error, or that it is being read, in its place) from the top."""
        self.article = article
        self.error = error
        self.loading = loading
        self._laid_out_for = None
        self.scroll_to(0, 0, animate=False)
        self._layout()

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

    def _width(self) -> int:
        return max(min(self.scrollable_content_region.width - 1, MAX_MEASURE), 10)

    def _layout(self) -> None:
        """Lay out what is shown: all of it at once, or the first screens and the rest in a worker."""
        if not self.is_attached or self.scrollable_content_region.width < 4:
            return  # not sized yet: on_resize lays out once it is
        width = self._width()
        key = (id(self.article), self.error, self.loading, self.covered, self.badge, self.view, self.highlight_query, width, self.app.theme)
        if key == self._laid_out_for:
            return
        self._laid_out_for = key
        console = self.app.console
        self.complete = True
        if self.article is None:
            message = self.error or ("Reading a very large article…" if self.loading else
                                     "Select an article on the left (enter), or press / to search.")
            shown = Text(message, style="bold red" if self.error else "dim")
            self._show(article_layout.strips(layout.wrap_text(shown, width), console))  # wrapped, never cut
            return
        request = Request(self.article, self.view, self.variant, width, self.highlight_query, self._styles(),
                          covered=self.covered, badge=self.badge)
        self._request = request
        if article_layout.is_quick(self.article):
            self._show(article_layout.strips(article_layout.lay_out(request) or [], console))
            return
        self.complete = False
        self._wanted_y = self.scroll_y  # where the reader was (a script toggle keeps it)
        self._show(article_layout.strips(article_layout.preview(request), console))
        self._lay_out_in_worker(request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="layout", description="lay out an article")
    def _lay_out_in_worker(self, request: Request) -> None:
        worker = get_current_worker()
        # Tens of thousands of new objects would set off full collections of the cyclic
        # garbage collector, which stop every thread (the UI's too) for as long as they
        # take. None run while the lines are made; then the objects there are are frozen
        # out of later full collections (they are still freed when unreferenced).
        gc.disable()
        try:
            texts = article_layout.lay_out(request, lambda: worker.is_cancelled)
            lines = article_layout.strips(texts, self.app.console) if texts is not None else None
        finally:
            gc.enable()
        if lines is None or worker.is_cancelled:
            return
        gc.freeze()
        self.post_message(self.LaidOut(request, lines))

    def on_article_view_laid_out(self, message: LaidOut) -> None:
        """The whole of a long article arrived: show it where the reader is."""
        if message.request is self._request:
            self.complete = True
            self._show(message.lines, keep_scroll=True)
            self.scroll_to(y=self._wanted_y, animate=False)

    def _show(self, lines: list[Strip], keep_scroll: bool = False) -> None:
        self._lines = lines
        self.virtual_size = Size(self._width(), len(lines))
        if not keep_scroll:
            self.scroll_to(y=min(self.scroll_y, max(len(lines) - 1, 0)), animate=False)
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
        if self.article is not None and self.complete and self.scroll_target_y >= self.max_scroll_y:
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
