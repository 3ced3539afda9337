"""The command palette: every action as "area: verb", and articles found by their titles."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from newsreader.tui.app import NewsReaderApp

ACTIONS: list[tuple[str, str, str]] = [
    ("article: next", "next_article", "Open the next article"),
    ("article: previous", "previous_article", "Open the previous article"),
    ("article: star or unstar", "toggle_star", "Keep this article"),
    ("article: open in browser", "open_article", "Open the article's own URL"),
    ("article: media and links", "media", "List the media and links"),
    ("script: cycle original / simplified / traditional", "toggle_script", "Change the script"),
    ("search: find articles", "search", "Search titles and text"),
    ("app: help", "help", "Every key binding"),
    ("app: change theme", "change_theme", "Pick a theme (remembered)"),
    ("app: re-index sources", "reindex", "Read changed files now"),
    ("app: quit", "quit", "Leave newsreader"),
]


class NewsCommands(Provider):
    """Actions and article titles."""

    async def discover(self) -> Hits:
        for name, action, help_text in ACTIONS:
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)
        if len(query.strip()) >= 1:
            app = cast("NewsReaderApp", self.app)
            hits = await app.search_titles(query)
            for hit in hits:
                yield Hit(0.5, Text(f"article: {hit.listing.title}"), partial(app.open_listing, hit.listing),
                          help=f"{hit.listing.outlet} · {hit.listing.published:%Y-%m-%d}" if hit.listing.published
                          else hit.listing.outlet)
