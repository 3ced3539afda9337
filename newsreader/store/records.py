"""What the store hands out: article listings and full articles, with their JSON forms."""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsreader import outlets
from newsreader.model import Link, Media, View


def utc(epoch: int | None) -> datetime | None:
    """An epoch in seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, as the JSON output has it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


# Columns a listing needs, and the read/starred flags from the attached state database.
LISTING_COLUMNS = (
    "a.rowid, a.id, a.outlet, a.title, a.published, a.url, a.source, "
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
        """From a row of :data:`LISTING_COLUMNS`."""
        rowid, id_, outlet, title, published, url, source, read, starred = row[:9]
        return cls(rowid, id_, outlet, title, utc(published), url, source, bool(read), bool(starred))

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
            "url": self.url,
            "source": self.source,
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
    def from_row(cls, listing: Listing, row: tuple, sources: list[str]) -> Detail:
        """From ``summary, author, category, keywords, script, format, body, text, media, links``."""
        summary, author, category, keywords, script, fmt, body, text, media, links = row
        return cls(
            listing=listing, summary=summary, author=author, category=category,
            keywords=_json_list(keywords), script=script, format=fmt,
            body_html=zlib.decompress(body).decode("utf-8"),
            text=zlib.decompress(text).decode("utf-8"),
            media=[Media(**m) for m in _json_list(media) if isinstance(m, dict)],
            links=[Link(**link) for link in _json_list(links) if isinstance(link, dict)],
            sources=sources,
        )


def _json_list(value: str) -> list:
    try:
        data = json.loads(value)
    except ValueError:
        return []
    return data if isinstance(data, list) else []
