"""What the store hands out: article listings and full articles, with their JSON forms."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from newsreader import outlets, paths
from newsreader.model import DateOnly, Link, Media, View
from newsreader.safetext import printable, printable_line
from newsreader.store.bodies import Body


def utc(epoch: float | None) -> datetime | None:
    """An epoch in seconds as an aware UTC datetime; a listing's ``published`` with its
    half-second date-only mark (see :data:`LISTING_COLUMNS`) as a :class:`DateOnly`."""
    if epoch is None:
        return None
    if isinstance(epoch, float) and epoch % 1:
        return DateOnly.fromtimestamp(int(epoch), UTC)
    return datetime.fromtimestamp(int(epoch), UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the JSON output has it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


# Columns a listing needs, and the read/starred flags from the attached state database.
# ``published`` carries the date-only flag as half a second (published + 0.5 when the source gave
# only a date), so the columns keep their number and order for every query built on them.
LISTING_COLUMNS = (
    "a.rowid, a.id, a.outlet, a.title, a.published + 0.5 * a.date_only, a.url, a.source, "
    "EXISTS (SELECT 1 FROM state.read r WHERE r.article_id = a.id), "
    "EXISTS (SELECT 1 FROM state.starred s WHERE s.article_id = a.id)"
)


@dataclass(frozen=True)
class Listing:
    """An article as a list shows it."""

    rowid: int
    id: str
    outlet: str
    title: str
    published: datetime | None
    url: str
    source: str
    read: bool
    starred: bool

    @classmethod
    def from_row(cls, row: sqlite3.Row | tuple) -> Listing:
        """From a row of :data:`LISTING_COLUMNS`. Text is made printable (safetext) here, as
        it leaves the cache for any front end — a cache written by an older version included;
        ``source`` stays the path it is (the exits show it printable)."""
        rowid, id_, outlet, title, published, url, source, read, starred = row[:9]
        return cls(rowid, id_, outlet, printable_line(title), utc(published), printable_line(url), source,
                   bool(read), bool(starred))

    @property
    def date_only(self) -> bool:
        """The source gave a date without a time of day: show the date alone."""
        return isinstance(self.published, DateOnly)

    def outlet_name(self, view: View = View.ORIGINAL) -> str:
        """The outlet's display name in a script."""
        return outlets.get(self.outlet).name(view)

    def to_json(self) -> dict:
        """The fields of a ``list --json`` item."""
        return {
            "id": self.id,
            "outlet": self.outlet,
            "outlet_name": self.outlet_name(),
            "title": self.title,
            "published": iso(self.published),
            "date_only": self.date_only,
            "url": self.url,
            "source": paths.display(self.source),
            "read": self.read,
            "starred": self.starred,
        }


@dataclass(frozen=True)
class Detail:
    """An article in full, as ``show`` and the reader present it."""

    listing: Listing
    summary: str
    author: str
    category: str
    keywords: list[str]
    script: str
    format: str
    body_html: str
    text: str
    media: list[Media] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @classmethod
    def from_row(cls, listing: Listing, row: tuple, body: Body, sources: list[str]) -> Detail:
        """From ``summary, author, category, keywords, script, format`` and the article's frame."""
        summary, author, category, keywords, script, fmt = row[:6]
        return cls(
            listing=listing, summary=printable(summary), author=printable_line(author),
            category=printable_line(category),
            keywords=[printable_line(k) for k in _json_list(keywords) if isinstance(k, str)],
            script=script, format=fmt,
            body_html=printable(body.html),
            text=printable(body.text),
            media=[_printable_medium(m) for m in body.media],
            links=[Link(printable_line(link.text), printable_line(link.url)) for link in body.links],
            sources=sources,
        )


def _printable_medium(medium: Media) -> Media:
    return replace(medium, url=printable_line(medium.url), caption=printable_line(medium.caption),
                   poster=printable_line(medium.poster) if medium.poster else medium.poster,
                   hls_url=printable_line(medium.hls_url) if medium.hls_url else medium.hls_url)


def _json_list(value: str) -> list:
    try:
        data = json.loads(value)
    except ValueError:
        return []
    return data if isinstance(data, list) else []
