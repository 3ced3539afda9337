"""The media and links of an article, numbered; enter or 1–9 opens one outside newsreader."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from newsreader import labels, render, script
from newsreader.model import View
from newsreader.store.records import Detail
from newsreader.tui import actions

LISTED = 200  # entries the list shows (the numbers past it still open with the CLI)


class MediaScreen(ModalScreen[tuple[str, str] | None]):
    """Pick a medium or link; dismisses with (kind, url) to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = actions.bindings("media")

    def __init__(self, article: Detail, view: View, variant: str) -> None:
        super().__init__()
        self.article = article
        self.view = view
        self.variant = variant
        self.references = render.references(article.media, article.links)

    def compose(self) -> ComposeResult:
        with Vertical(id="media-box"):
            title = script.convert(self.article.listing.title, self.view, self.variant)
            yield Label(Text(f"Media and links — {title}"), id="media-title")
            if not self.references:
                yield Label(Text("This article has no media and no links.", style="dim"))
            options = []
            for number, kind, url, caption in self.references[:LISTED]:
                label = Text(f"{number:>2}  ", style="bold")
                label.append(f"{labels.reference_kind(number, kind, self.article.media):<11}", style="italic")
                label.append(script.convert(caption[:500], self.view, self.variant) or "(no caption)")
                label.append(f"\n    {url[:500]}", style="dim")
                options.append(Option(label, id=str(number)))
            yield OptionList(*options, id="media-list")
            more = len(self.references) - LISTED
            if more > 0:  # a list of 100,000 links would take the app seconds to build
                yield Label(Text(f"… and {more:,} more: newsreader show {self.article.listing.id[:10]}",
                                 style="dim"))
            yield Label(Text("enter or 1–9 opens · esc closes", style="dim"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an entry opens it."""
        self.action_pick(int(event.option.id or 0))

    def action_pick(self, number: int) -> None:
        """Open entry ``number`` (1-based)."""
        for n, kind, url, _caption in self.references:
            if n == number:
                self.dismiss((kind, url))
                return
        self.app.bell()
