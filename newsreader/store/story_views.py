"""What the library reads from the story and edition tables (newsreader/stories): the
stories of a period or a day, one story, an article's story and editions, coverage.

A read-only cache made before those tables has none: every view then answers as if no
article were in a story.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from newsreader.safetext import echoed
from newsreader.store.errors import NotFound
from newsreader.store.outline import local_day_bounds
from newsreader.stories import queries as story_queries


class StoryViews:
    """The story part of :class:`~newsreader.store.library.Library`."""

    db: sqlite3.Connection

    @property
    def stories_ready(self) -> bool:
        """Whether the cache has the story tables (a read-only cache from before them has not)."""
        return self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_articles'").fetchone() is not None

    def hidden_editions(self, rowids: list[int]) -> set[int]:
        """Which of these articles are editions shown under another entry."""
        if not rowids or not self.stories_ready:
            return set()
        marks = ",".join("?" * len(rowids))
        return {r for (r,) in self.db.execute(
            f"SELECT rowid FROM story_articles WHERE rowid IN ({marks}) AND edition_of IS NOT NULL", rowids)}

    def annotations(self, ids: list[str]) -> dict[str, dict]:
        """``story`` and ``editions`` of each article, for JSON output."""
        if not self.stories_ready:
            return {i: {"story": None, "editions": []} for i in ids}
        return story_queries.article_notes(self.db, ids)

    def stories(self, *, outlet: str | None = None, since: date | None = None, until: date | None = None,
                min_outlets: int = 2, limit: int | None = None) -> list[story_queries.Story]:
        """Stories newest first that overlap the local days ``since``..``until``."""
        if not self.stories_ready:
            return []
        start = local_day_bounds(since)[0] if since else None
        end = local_day_bounds(until)[1] if until else None
        return story_queries.stories(self.db, start=start, end=end, outlet=outlet, min_outlets=min_outlets,
                                     limit=limit)

    def story(self, article_id: str) -> tuple[story_queries.Story, list[story_queries.Member],
                                              list[story_queries.Story]]:
        """The story of an article (any member's id): the story, its members oldest first, related."""
        found = story_queries.story(self.db, article_id) if self.stories_ready else None
        if found is None:
            raise NotFound(f"no article with id {echoed(article_id)}")
        return found

    def story_of(self, article_id: str) -> str | None:
        """The id of the story an article is in, or None."""
        return story_queries.story_of(self.db, article_id) if self.stories_ready else None

    def story_days(self, min_outlets: int = 2) -> list[tuple[date, int]]:
        """Local days on which multi-outlet stories began, newest first, with how many."""
        if not self.stories_ready:
            return []
        rows = self.db.execute(
            "SELECT date(first, 'unixepoch', 'localtime') AS day, count(*) FROM stories WHERE outlet_count >= ? "
            "GROUP BY day ORDER BY day DESC", (min_outlets,)).fetchall()
        return [(date.fromisoformat(d), n) for d, n in rows if d]

    def day_stories(self, day: date, min_outlets: int = 2) -> list[story_queries.Story]:
        """The multi-outlet stories that began on a local day."""
        start, end = local_day_bounds(day)
        return story_queries.day_stories(self.db, start, end, min_outlets) if self.stories_ready else []

    def coverage(self, query: str, *, by: str = "day", outlet: str | None = None,
                 since: date | None = None, until: date | None = None) -> dict:
        """Articles matching ``query`` per outlet per local day, ISO week or month."""
        from newsreader.stories import coverage

        if not self.stories_ready:  # a read-only cache from before the story tables: count by SQL
            return coverage.count_by_sql(self.db, query, by=by, outlet=outlet)
        start = local_day_bounds(since)[0] if since else None
        end = local_day_bounds(until)[1] if until else None
        return coverage.count(self.db, query, by=by, outlet=outlet, start=start, end=end)

