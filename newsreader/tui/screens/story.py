"""A story side by side: every outlet's article (oldest first), related stories below.

Enter on an article opens it (the screen closes with its id); enter on a related story
shows that story here instead. Copies of one text by several outlets are marked ``＝``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from newsreader import cjk, labels, script
from newsreader.model import View
from newsreader.store.library import Library
from newsreader.tui import actions


class StoryScreen(ModalScreen[str | None]):
    """One story's articles and related stories; dismisses with the id of an article to open."""

    BINDINGS: ClassVar[list[BindingType]] = actions.bindings("story")

    DEFAULT_CSS = """
    StoryScreen { align: center middle; }
    #story-box { width: 90%; height: 90%; border: round $accent; padding: 0 1; background: $surface; }
    #story-articles { height: 2fr; }
    #story-related { height: 1fr; }
    """

    def __init__(self, library: Library, article_id: str, view: View, variant: str) -> None:
        super().__init__()
        self.library = library
        self.article_id = article_id
        self.view = view
        self.variant = variant
        self.story_id = ""
        self.shown_id = ""
        """The article whose story is shown (a related story's, after enter on one)."""
        self.article_ids: list[str] = []
        self.related_ids: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="story-box"):
            yield Label("", id="story-title")
            yield Label("", id="story-summary")
            yield OptionList(id="story-articles")
            yield Label(Text("Related stories", style="bold"), id="story-related-label")
            yield OptionList(id="story-related")
            yield Label(Text("enter opens · t script · ＝ the same text as another outlet's · esc closes",
                             style="dim"))

    def on_mount(self) -> None:
        """Show the story of the article the screen was opened on."""
        self.show_story(self.article_id)
        self.query_one("#story-articles", OptionList).focus()

    def conv(self, text: str) -> str:
        """Text in the screen's script."""
        return script.convert(text, self.view, self.variant)

    def action_toggle_script(self) -> None:
        """The next script for the story and for the main screen below it (as t does there)."""
        main = getattr(self.app, "main", None)
        if main is not None:
            main.action_toggle_script()
            self.view = main.view
        else:
            self.view = self.view.next()
        articles = self.query_one("#story-articles", OptionList)
        at = articles.highlighted
        self.show_story(self.shown_id or self.article_id)
        if at is not None and at < articles.option_count:
            articles.highlighted = at

    def show_story(self, article_id: str) -> None:
        """Fill the screen with the story of ``article_id``."""
        self.shown_id = article_id
        story, members, related = self.library.story(article_id)
        self.story_id = story.id
        self.query_one("#story-title", Label).update(Text(self.conv(story.title), style="bold"))
        outlet_names = " · ".join(labels_outlet(m.listing.outlet, self.view) for m in _unique(members))
        self.query_one("#story-summary", Label).update(
            Text(f"{labels.count(len(members), 'article')} · {outlet_names}", style="dim"))
        width = max((cjk.cell_len(m.listing.outlet_name(self.view)) for m in members), default=8)
        articles = self.query_one("#story-articles", OptionList)
        articles.clear_options()
        self.article_ids = [m.listing.id for m in members]
        for member in members:
            listing = member.listing
            row = Text(cjk.pad(listing.outlet_name(self.view), width), style="italic")
            row.append(f"  {labels.local_time(listing.published, with_zone=False)}  ", style="dim")
            row.append("＝ " if member.same_text else "   ", style="bold")
            row.append(self.conv(listing.title), style="bold" if listing.id == article_id else "")
            row.append(f"  {member.length}字", style="dim")
            articles.add_option(Option(row, id=listing.id))
        index = self.article_ids.index(article_id) if article_id in self.article_ids else 0
        if self.article_ids:
            articles.highlighted = index
        box = self.query_one("#story-related", OptionList)
        box.clear_options()
        self.related_ids = [r.id for r in related]
        for item in related:
            row = Text(f"{labels.local_day(_utc(item.first))}  ", style="dim")
            row.append(self.conv(item.title))
            row.append(f"  {item.articles} · {', '.join(item.outlets)}", style="dim")
            box.add_option(Option(row, id=item.id))
        self.query_one("#story-related-label", Label).display = bool(related)
        box.display = bool(related)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an article opens it; on a related story shows that story."""
        event.stop()
        if not event.option.id:
            return
        if event.option_list.id == "story-articles":
            self.dismiss(event.option.id)
        else:
            self.show_story(event.option.id)
            self.query_one("#story-articles", OptionList).focus()


def _unique(members: list) -> list:
    seen: set[str] = set()
    out = []
    for member in members:
        if member.listing.outlet not in seen:
            seen.add(member.listing.outlet)
            out.append(member)
    return out


def labels_outlet(key: str, view: View) -> str:
    """An outlet's name in a script."""
    from newsreader import outlets

    return outlets.get(key).name(view)


def _utc(epoch: int):
    from newsreader.store.records import utc

    return utc(epoch)
