"""The command palette: every action of the table as "area: verb", and articles by title."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from newsreader import labels
from newsreader.store.search import Hit as SearchHit
from newsreader.tui import actions
from newsreader.tui.messages import ArticleChosen


class NewsCommands(Provider):
    """Actions (from :mod:`newsreader.tui.actions`) and article titles."""

    async def _run(self, action: actions.Action) -> None:
        main = getattr(self.app, "main", None)
        target = main if action.scope in ("main", "tree", "reader") and main is not None else self.app
        if action.scope == "tree":
            target = main.query_one("#outline")  # type: ignore[union-attr]
        elif action.scope == "reader":
            target = main.query_one("#reader")  # type: ignore[union-attr]
        await self.app.run_action(action.action, target)

    async def discover(self) -> Hits:
        """Every action with a palette name."""
        for action in actions.palette_actions():
            yield DiscoveryHit(action.palette, partial(self._run, action), help=action.description)

    async def search(self, query: str) -> Hits:
        """Actions whose names match, then articles whose titles do."""
        matcher = self.matcher(query)
        for action in actions.palette_actions():
            score = matcher.match(action.palette)
            if score > 0:
                yield Hit(score, matcher.highlight(action.palette), partial(self._run, action),
                          help=action.description)
        if not query.strip():
            return
        main = getattr(self.app, "main", None)
        if main is None:
            return
        hits: list[SearchHit] = await asyncio.to_thread(main.library.search, query, limit=20)
        for hit in hits:
            if not hit.in_title:
                continue
            listing = hit.listing
            yield Hit(0.5, Text(f"article: {listing.title}"),
                      partial(main.post_message, ArticleChosen(listing.id, reveal=True)),
                      help=f"{listing.outlet_name()} · {labels.local_day(listing.published)}")
