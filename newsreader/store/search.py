"""Search over the FTS5 index: title hits first, then body hits, each newest first.

Ranking is cheap by construction: the index's rowids are the articles' sort keys
(publication time in the high bits), so ``ORDER BY rowid DESC LIMIT n`` reads only
the newest hits instead of scoring every one.
"""

from __future__ import annotations

import sqlite3
import zlib
from dataclasses import dataclass

from newsreader.sources.htmlclean import PLACEHOLDER
from newsreader.store import tokens
from newsreader.store.records import LISTING_COLUMNS, Listing


@dataclass(frozen=True)
class Hit:
    """A search result: the article, whether its title matched, and a snippet of the text."""

    listing: Listing
    in_title: bool
    snippet: str


def _rowids(db: sqlite3.Connection, expression: str, outlet: str | None, limit: int) -> list[int]:
    if outlet:
        sql = ("SELECT search.rowid FROM search JOIN articles a ON a.rowid = search.rowid "
               "WHERE search MATCH ? AND a.outlet = ? ORDER BY search.rowid DESC LIMIT ?")
        return [r[0] for r in db.execute(sql, (expression, outlet, limit))]
    sql = "SELECT rowid FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT ?"
    return [r[0] for r in db.execute(sql, (expression, limit))]


def snippet(text: str, query: str, width: int = 60) -> str:
    """About ``width`` characters of ``text`` around the first place a query term occurs."""
    text = " ".join(PLACEHOLDER.sub(" ", text).split())
    folded = tokens.normalise(text)
    position = -1
    for term in tokens.terms(query):
        needle = tokens.normalise(term).strip()
        if needle:
            position = folded.find(needle)
            if position >= 0:
                break
    if len(folded) != len(text):  # conversion changed lengths: cut the converted text instead
        text = folded
    if position < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, position - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def search(db: sqlite3.Connection, query: str, *, outlet: str | None = None, limit: int = 50) -> list[Hit]:
    """The best ``limit`` hits for ``query`` (see module doc for the order)."""
    expression = tokens.match_expression(query)
    if expression is None or limit <= 0:
        return []
    title_ids = _rowids(db, "{title} : (" + expression + ")", outlet, limit)
    ids = list(title_ids)
    if len(ids) < limit:
        seen = set(ids)
        more = _rowids(db, expression, outlet, limit + len(ids))
        ids.extend(r for r in more if r not in seen)
        ids = ids[:limit]
    if not ids:
        return []
    in_title = set(title_ids)
    placeholders = ",".join("?" * len(ids))
    rows = {r[0]: r for r in db.execute(
        f"SELECT {LISTING_COLUMNS}, a.summary, b.text FROM articles a JOIN bodies b ON b.rowid = a.rowid "
        f"WHERE a.rowid IN ({placeholders})", ids)}
    hits = []
    for rowid in ids:
        row = rows.get(rowid)
        if row is None:
            continue
        listing = Listing.from_row(row)
        body = row[9] + "\n" + zlib.decompress(row[10]).decode("utf-8")
        hits.append(Hit(listing, rowid in in_title, snippet(body, query)))
    return hits
