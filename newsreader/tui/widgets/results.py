"""Search results: outlet, day, title and a snippet per hit, title hits marked ``T``."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsreader import cjk, labels, script
from newsreader.model import View
from newsreader.store.search import Hit
from newsreader.tui.layout import highlight
from newsreader.tui.messages import ArticleChosen

HIGHLIGHT = Style(reverse=True, bold=True)


class Results(OptionList):
    """The hits of one search; enter (or a click) on one posts :class:`ArticleChosen`."""

    def __init__(self, variant: str = "tw", **kwargs) -> None:
        super().__init__(**kwargs)
        self.variant = variant
        self.hits: list[Hit] = []
        self.query_text = ""
        self.opened = -1
        """The index of the hit last opened from this list (-1: none since the search)."""
        self.view = View.ORIGINAL
        self.wrapped_at = 0

    def show(self, hits: list[Hit], query: str, view: View) -> None:
        """Replace the list with ``hits`` for ``query``, labelled in ``view``'s script."""
        if hits is not self.hits:
            self.opened = -1
        self.hits = hits
        self.query_text = query
        self.view = view
        self.wrapped_at = self._text_width()
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(Option(self.label(hit, view), id=hit.listing.id) for hit in hits)
        if hits:
            self.highlighted = min(highlighted or 0, len(hits) - 1)

    def label(self, hit: Hit, view: View) -> Text:
        """One hit: outlet and day, title, snippet (plain text, never markup), the title and
        the snippet broken into lines by the reader's CJK rules (no line starts with 。)."""
        label = Text("T " if hit.in_title else "  ", style="bold")
        label.append(hit.listing.outlet_name(view), style="italic")
        label.append(f"  {labels.local_day(hit.listing.published)}\n", style="dim")
        label.append(self._wrapped(script.convert(hit.listing.title, view, self.variant)), style="bold")
        label.append("\n" + self._wrapped(script.convert(hit.snippet, view, self.variant)), style="dim")
        highlight(label, self.query_text, HIGHLIGHT)
        return label

    def _text_width(self) -> int:
        """Cells a line of a label may take (0 before the list has a size: Rich folds then)."""
        return max(self.scrollable_content_region.width - 2, 0)

    def _wrapped(self, text: str) -> str:
        width = self.wrapped_at
        return "\n".join(cjk.wrap(text, width)) if width >= 8 else text

    def on_resize(self) -> None:
        """Break the labels again at the new width."""
        if self.hits and self._text_width() != self.wrapped_at:
            self.show(self.hits, self.query_text, self.view)

    def step(self, current: str | None, step: int) -> str | None:
        """The id of the hit ``step`` away from the one open (the highlighted one when the open
        article was not opened from these results); None past either end."""
        ids = [hit.listing.id for hit in self.hits]
        if not ids:
            return None
        if self.opened >= 0 and current in ids:
            index = ids.index(current) + step
        else:
            index = self.highlighted or 0
        if not 0 <= index < len(ids):
            return None
        self.highlighted = index
        self.opened = index
        return ids[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a hit opens it."""
        event.stop()
        if event.option.id:
            self.opened = event.option_index
            self.post_message(ArticleChosen(event.option.id))
