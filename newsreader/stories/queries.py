"""Reading stories and editions back: what the CLI and the app ask.

A story is addressed by any member's id, so an id the user kept (a mark, the app's last
place) still finds its story after a recompute changed which article is the earliest.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from newsreader.store import bodies
from newsreader.store.records import LISTING_COLUMNS, Listing, iso, utc
from newsreader.stories import editions as edition_rules

LEAD_BYTES = 300  # the lead compared for copies of a wire story (with the title and summary)
OPENING_BYTES = 3600  # the opening compared for a text carried whole (~1,200 Han characters)
# SQL that is true for an article shown as an entry (not a hidden edition); ``a`` is articles.
SHOWN = "NOT EXISTS (SELECT 1 FROM story_articles e WHERE e.rowid = a.rowid AND e.edition_of IS NOT NULL)"


@dataclass(frozen=True)
class Story:
    """A story as ``stories --json`` lists it."""

    id: str
    title: str
    first: int
    last: int
    articles: int
    outlets: list[str]
    members: list[str] = field(default_factory=list)

    def to_json(self, members: bool = True) -> dict:
        """The contract's fields (``members`` left out for related stories)."""
        data: dict = {"id": self.id, "title": self.title, "first": iso(utc(self.first)),
                      "last": iso(utc(self.last)), "articles": self.articles, "outlets": self.outlets}
        if members:
            data["members"] = self.members
        return data


@dataclass(frozen=True)
class Member:
    """One article of a story: its listing, its length, and whether another outlet's member
    carries the same text (a wire copy)."""

    listing: Listing
    length: int
    same_text: bool
    script: str


def story_of(db: sqlite3.Connection, article_id: str) -> str | None:
    """The id of the story ``article_id`` is in (its entry's, for a hidden edition), or None."""
    row = db.execute("SELECT story, edition_of FROM story_articles WHERE id = ?", (article_id,)).fetchone()
    if not row:
        return None
    if row[0] is None and row[1]:
        return story_of(db, row[1])
    return row[0]


def article_notes(db: sqlite3.Connection, ids: list[str]) -> dict[str, dict]:
    """``{id: {"story": ..., "editions": [{id, url, script}, ...]}}`` for list items and articles."""
    out: dict[str, dict] = {i: {"story": None, "editions": []} for i in ids}
    if not ids:
        return out
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(f"SELECT id, story, edition_of FROM story_articles WHERE id IN ({marks})", chunk).fetchall()
        entries: dict[str, str] = {}
        for article_id, story, shown in rows:
            out[article_id]["story"] = story
            entries[article_id] = shown or article_id
        hidden_of_shown = {e for e in entries.values()}
        if not hidden_of_shown:
            continue
        marks = ",".join("?" * len(hidden_of_shown))
        group_rows = db.execute(
            f"SELECT s.id, coalesce(s.edition_of, s.id), a.url, a.script, s.story FROM story_articles s "
            f"JOIN articles a ON a.rowid = s.rowid WHERE s.edition_of IN ({marks}) OR s.id IN ({marks})",
            [*hidden_of_shown, *hidden_of_shown]).fetchall()
        by_entry: dict[str, list[tuple[str, str, str]]] = {}
        story_of_entry: dict[str, str | None] = {}
        for article_id, entry, url, script, story in group_rows:
            by_entry.setdefault(entry, []).append((article_id, url, script))
            if article_id == entry:
                story_of_entry[entry] = story
        for article_id, entry in entries.items():
            out[article_id]["editions"] = [{"id": i, "url": u, "script": s}
                                           for i, u, s in by_entry.get(entry, []) if i != article_id]
            if out[article_id]["story"] is None:
                out[article_id]["story"] = story_of_entry.get(entry)
    return out


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _story(row: tuple) -> Story:
    story_id, title, first, last, articles, outlets = row[:6]
    return Story(story_id, title, first, last, articles, outlets.split())


def stories(db: sqlite3.Connection, *, start: int | None = None, end: int | None = None,
            outlet: str | None = None, min_outlets: int = 2, limit: int | None = None) -> list[Story]:
    """Stories newest first (by their last article) that overlap [start, end), with members."""
    where: list[str] = ["outlet_count >= ?"]
    args: list[object] = [min_outlets]
    if start is not None:
        where.append("last >= ?")
        args.append(start)
    if end is not None:
        where.append("first < ?")
        args.append(end)
    if outlet:
        where.append("(' ' || outlets || ' ') LIKE ?")
        args.append(f"% {outlet} %")
    sql = (f"SELECT id, title, first, last, articles, outlets FROM stories WHERE {' AND '.join(where)} "
           "ORDER BY last DESC, id")
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    found = [_story(r) for r in db.execute(sql, args)]
    if not found:
        return found
    members: dict[str, list[str]] = {}
    for chunk in _chunks([s.id for s in found]):
        marks = ",".join("?" * len(chunk))
        for story_id, article_id in db.execute(
                f"SELECT s.story, s.id FROM story_articles s WHERE s.story IN ({marks}) AND s.edition_of IS NULL "
                "ORDER BY s.rowid", chunk):
            members.setdefault(story_id, []).append(article_id)
    return [Story(s.id, s.title, s.first, s.last, s.articles, s.outlets, members.get(s.id, [])) for s in found]


def story(db: sqlite3.Connection, article_id: str) -> tuple[Story, list[Member], list[Story]] | None:
    """The story of an article (by any member's id): the story, its members oldest first, and its
    related stories. An article in no story is a story of one (with its related stories)."""
    story_id = story_of(db, article_id)
    group = story_id or _entry(db, article_id)
    rows = db.execute(
        f"SELECT {LISTING_COLUMNS}, a.script, a.quality, a.summary, b.data FROM story_articles s "
        "JOIN articles a ON a.rowid = s.rowid JOIN bodies b ON b.rowid = a.rowid "
        "WHERE (s.story = ? OR s.id = ?) AND s.edition_of IS NULL ORDER BY a.rowid",
        (group, group)).fetchall()
    if not rows:
        return None
    listings = [Listing.from_row(r) for r in rows]
    leads, openings, lengths = [], [], []
    for row in rows:
        lengths.append(row[-3])  # the length of the text, as the index recorded it
        opening = bodies.text_of(db, row[-1], OPENING_BYTES)
        openings.append(opening)
        lead = opening.encode()[:LEAD_BYTES].decode("utf-8", "ignore")
        leads.append(row[3] + "\n" + (row[-2] + "\n" if row[-2] else "") + lead)
    copies = edition_rules.copies([listing.outlet for listing in listings], leads, openings, [r[9] for r in rows])
    members = [Member(listing, lengths[n], copies[n], rows[n][9]) for n, listing in enumerate(listings)]
    outlets: list[str] = []
    for listing in listings:
        if listing.outlet not in outlets:
            outlets.append(listing.outlet)
    head = db.execute("SELECT title FROM stories WHERE id = ?", (story_id,)).fetchone() if story_id else None
    first = listings[0].published
    last = listings[-1].published
    info = Story(story_id or listings[0].id, head[0] if head else listings[0].title,
                 int(first.timestamp()) if first else 0, int(last.timestamp()) if last else 0,
                 len(listings), outlets, [m.id for m in listings])
    return info, members, related_of(db, group)


def _entry(db: sqlite3.Connection, article_id: str) -> str:
    row = db.execute("SELECT edition_of FROM story_articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row and row[0] else article_id


def related_of(db: sqlite3.Connection, group: str) -> list[Story]:
    """The stories (or lone articles) directly linked to a group, best first, at most five."""
    out: list[Story] = []
    seen: set[str] = {group}
    for (related,) in db.execute("SELECT related FROM story_related WHERE story = ? ORDER BY score DESC",
                                 (group,)).fetchall():
        target = story_of(db, related) or related
        if target in seen:
            continue
        seen.add(target)
        row = db.execute("SELECT id, title, first, last, articles, outlets FROM stories WHERE id = ?",
                         (target,)).fetchone()
        if row:
            out.append(_story(row))
            continue
        alone = db.execute("SELECT id, title, published, published, 1, outlet FROM articles WHERE id = ?",
                           (target,)).fetchone()
        if alone:
            out.append(_story(alone))
    return out[:5]


def day_stories(db: sqlite3.Connection, start: int, end: int, min_outlets: int = 2) -> list[Story]:
    """The multi-outlet stories whose first article falls in [start, end), biggest first."""
    rows = db.execute("SELECT id, title, first, last, articles, outlets FROM stories "
                      "WHERE first >= ? AND first < ? AND outlet_count >= ? ORDER BY outlet_count DESC, "
                      "articles DESC, first", (start, end, min_outlets)).fetchall()
    return [_story(r) for r in rows]
