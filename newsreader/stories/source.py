"""Reading articles out of the cache as story docs: title and the start of summary and body."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from newsreader.store import bodies
from newsreader.store.indexer import max_nudge
from newsreader.store.prepare import TIES
from newsreader.stories.features import PROFILE_CHARS, Doc, make_doc

_COLUMNS = "a.rowid, a.id, a.outlet, a.published, a.title, a.summary, b.data, a.script, a.url"


def lead_text(db: sqlite3.Connection, summary: str, frame: bytes, chars: int = PROFILE_CHARS) -> str:
    """The summary and the start of the body (only as much of the body as is needed is inflated)."""
    try:
        head = bodies.text_of(db, frame, chars * 4)
    except sqlite3.DatabaseError:
        head = ""
    return (summary + "\n" + head)[:chars] if summary else head[:chars]


def read_docs(db: sqlite3.Connection, start: int | None = None, end: int | None = None) -> Iterator[Doc]:
    """Dated articles published in ``[start, end)`` (epoch seconds), oldest first, as docs."""
    where, args = ["a.published IS NOT NULL", "a.rowid >= 0"], []
    if start is not None:  # rowids are publication times x TIES, a tie nudged up: the range finds rows fast
        where.append("a.rowid >= ? AND a.published >= ?")
        args.extend([start * TIES, start])
    if end is not None:
        where.append("a.rowid < ? AND a.published < ?")
        args.extend([end * TIES + max_nudge(db) + 1, end])
    sql = (f"SELECT {_COLUMNS} FROM articles a JOIN bodies b ON b.rowid = a.rowid "
           f"WHERE {' AND '.join(where)} ORDER BY a.rowid")
    for rowid, id_, outlet, published, title, summary, blob, script, url in db.execute(sql, args):
        yield make_doc(rowid, id_, outlet, published, title, lead_text(db, summary, blob), script, url)
