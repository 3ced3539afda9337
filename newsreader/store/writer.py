"""Applying parsed files to the cache: one article per canonical URL, the fullest copy shown.

The writer runs inside the indexer's transaction; everything it does to one file is
undone with it, so a kill between commits loses only the uncommitted files.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from newsreader.store import bodies, counts, tokens
from newsreader.store.prepare import MAX_SEARCHED_CHARS, FileResult, Row, search_text


@dataclass
class IndexResult:
    """What a run did."""

    seen: int = 0
    parsed: int = 0
    articles_added: int = 0
    articles_updated: int = 0
    articles_removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped_unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    completed: int = 0  # files parsed in full after their catalogue rows (the second phase)
    listed_after: float = 0.0  # seconds from the start until every article was listed


def max_nudge(db: sqlite3.Connection) -> int:
    """How far above its publication second (x TIES) any dated article's rowid was pushed by
    ties: range queries by date widen their upper rowid bound by this much."""
    row = db.execute("SELECT value FROM meta WHERE key = 'max_nudge'").fetchone()
    return int(row[0]) if row else 0


# Search entries held back at most this many articles before they are written anyway.
PENDING_AT_MOST = 4096


class Writer:
    """Applies parsed files to the cache inside the caller's transaction.

    The search indexes' entries of new articles wait in :attr:`pending` and go in, in rowid
    order, when :meth:`flush` is called — which the caller must do before it commits. FTS5
    writes its in-memory terms out as a new segment whenever a rowid is not above the last
    one it was given: articles in file order (dates at random) made a tiny segment almost
    every article, and merging them was a third of the writer's CPU.
    """

    def __init__(self, db: sqlite3.Connection, result: IndexResult) -> None:
        self.db = db
        self.result = result
        self._last_tie: dict[int, int] = {}
        self.counter = counts.Counter(db)
        self._max_nudge = max_nudge(db)
        self.pending: dict[int, tuple[str, str, str]] = {}  # rowid: title tokens, body tokens, chars

    def flush(self) -> None:
        """Write the held-back search entries, in rowid order (call before every commit)."""
        if not self.pending:
            return
        entries = sorted(self.pending.items())
        self.pending = {}
        self.db.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)",
                            [(rowid, title, body) for rowid, (title, body, _c) in entries])
        self.db.executemany("INSERT INTO chars (rowid, c) VALUES (?, ?)",
                            [(rowid, chars) for rowid, (_t, _b, chars) in entries])
        self.db.executemany("INSERT INTO titles (rowid, title) VALUES (?, ?)",
                            [(rowid, title) for rowid, (title, _b, _c) in entries])

    def _fts_delete(self, rowid: int, title: str, summary: str, frame: bytes) -> None:
        text = bodies.text_of(self.db, frame)
        title_tokens, title_chars = tokens.index_forms(title)
        body_tokens, body_chars = tokens.index_forms(search_text(summary, text)[:MAX_SEARCHED_CHARS])
        self.db.execute("INSERT INTO search (search, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                        (rowid, title_tokens, body_tokens))
        self.db.execute("INSERT INTO titles (titles, rowid, title) VALUES ('delete', ?, ?)", (rowid, title_tokens))
        self.db.execute("INSERT INTO chars (chars, rowid, c) VALUES ('delete', ?, ?)",
                        (rowid, tokens.char_tokens(title_chars, body_chars)))

    def delete_article(self, article_id: str) -> None:
        """Remove an article and its search entry."""
        row = self.db.execute("SELECT a.rowid, a.title, a.summary, b.data, a.outlet, a.published FROM articles a "
                              "LEFT JOIN bodies b ON b.rowid = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
        if row:
            if row[3] is not None:
                if self.pending.pop(row[0], None) is None:  # a held-back entry never reached the index
                    self._fts_delete(*row[:4])
                self.db.execute("DELETE FROM bodies WHERE rowid = ?", (row[0],))
            else:  # catalogued only: nothing of it in bodies or the search index
                self.db.execute("DELETE FROM shallow WHERE rowid = ?", (row[0],))
            self.db.execute("DELETE FROM articles WHERE rowid = ?", (row[0],))
            self.counter.removed(row[4], row[5], article_id)

    def _free_rowid(self, row: Row) -> int:
        """The article's preferred rowid, or on a tie the next free one: upward for a dated
        article (so date order holds), downward for an undated one.

        Ties are found with one query each, not probed one by one, and the last rowid given
        for each preferred key is remembered, so thousands of files of one second stay linear.
        """
        preferred = row.sort_key()
        if not self.db.execute("SELECT 1 FROM articles WHERE rowid = ?", (preferred,)).fetchone():
            return preferred
        start = self._last_tie.get(preferred, preferred)
        if row.published is not None:
            found = self.db.execute(
                "SELECT a.rowid + 1 FROM articles a WHERE a.rowid >= ? AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.rowid = a.rowid + 1) ORDER BY a.rowid LIMIT 1",
                (start,)).fetchone()
        else:
            found = self.db.execute(
                "SELECT a.rowid - 1 FROM articles a WHERE a.rowid <= ? AND NOT EXISTS "
                "(SELECT 1 FROM articles b WHERE b.rowid = a.rowid - 1) ORDER BY a.rowid DESC LIMIT 1",
                (start,)).fetchone()
        rowid = found[0] if found else start
        self._last_tie[preferred] = rowid
        if row.published is not None and rowid - preferred > self._max_nudge:
            self._max_nudge = rowid - preferred
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('max_nudge', ?)", (str(self._max_nudge),))
        return rowid

    def _insert(self, row: Row) -> None:
        rowid = self._free_rowid(row)
        self.db.execute(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, row.id, row.url, row.outlet, row.title, row.summary, row.author, row.category,
             row.keywords, row.published, row.script, row.source, row.format, row.quality, row.date_only),
        )
        self.counter.added(row.outlet, row.published, row.id)
        if row.full:
            self._insert_body(rowid, row)
        else:
            self.db.execute("INSERT INTO shallow VALUES (?)", (rowid,))

    def _insert_body(self, rowid: int, row: Row) -> None:
        self.db.execute("INSERT INTO bodies VALUES (?, ?)", (rowid, row.data))
        self.pending[rowid] = (row.title_tokens, row.body_tokens, row.chars)
        if len(self.pending) >= PENDING_AT_MOST:
            self.flush()

    def _replace(self, existing: tuple, row: Row) -> None:
        """Put ``row`` in the place of the stored version of its article (``existing``: rowid,
        quality, source, outlet, published, title, summary). Its rowid, and so its place in
        every list, stays while its date and outlet do: which copy is shown, or a catalogue
        row made full, never reorders articles of the same second."""
        rowid, quality, _source, outlet, published, title, summary = existing
        if (outlet, published) != (row.outlet, row.published):
            self.delete_article(row.id)
            self._insert(row)
            return
        if quality >= 0:
            if self.pending.pop(rowid, None) is None:  # a held-back entry never reached the index
                (frame,) = self.db.execute("SELECT data FROM bodies WHERE rowid = ?", (rowid,)).fetchone()
                self._fts_delete(rowid, title, summary, frame)
            self.db.execute("DELETE FROM bodies WHERE rowid = ?", (rowid,))
        else:
            self.db.execute("DELETE FROM shallow WHERE rowid = ?", (rowid,))
        self.db.execute(
            "UPDATE articles SET url = ?, title = ?, summary = ?, author = ?, category = ?, keywords = ?, "
            "script = ?, source = ?, format = ?, quality = ?, date_only = ? WHERE rowid = ?",
            (row.url, row.title, row.summary, row.author, row.category, row.keywords, row.script, row.source,
             row.format, row.quality, row.date_only, rowid))
        if row.full:
            self._insert_body(rowid, row)
        else:
            self.db.execute("INSERT INTO shallow VALUES (?)", (rowid,))

    def put(self, row: Row, path: str) -> None:
        """Store an article read from ``path``: new, a fuller copy, or one more file of it.

        A catalogue row (``row.full`` false) is stored only where the full row would go
        (a new article, or a new version of the one this file shows); which of several
        files' copies is the fullest is left to their full rows, which replace a catalogue
        row whatever its file. (So when copies of one URL carry different dates, the article
        may move when the full parse settles its copy, and an article of the same second
        listed in between keeps the next rowid: the one place the two phases may order
        same-second articles unlike a single full pass.)
        """
        self.db.execute("INSERT OR IGNORE INTO article_files VALUES (?, ?)", (row.id, path))
        existing = self.db.execute(
            "SELECT rowid, quality, source, outlet, published, title, summary FROM articles WHERE id = ?",
            (row.id,)).fetchone()
        if existing is None:
            self._insert(row)
            self.result.articles_added += 1
            return
        quality, source = existing[1], existing[2]
        if not row.full:
            if source == path:
                self._replace(existing, row)
                self.result.articles_updated += 1
        elif source == path or (row.quality, path) > (quality, source):
            self._replace(existing, row)
            if quality >= 0:  # (a catalogue row made full is not news)
                self.result.articles_updated += 1

    def forget_file(self, path: str, keep: AbstractSet[str] = frozenset()) -> list[str]:
        """Drop a file's links to articles (except ``keep``); delete articles left with no file.

        Returns the other files of articles whose shown copy came from ``path``: they must be
        parsed again so the article is shown from a copy that still exists.
        """
        reparse: list[str] = []
        ids = [r[0] for r in self.db.execute("SELECT article_id FROM article_files WHERE path = ?", (path,))]
        for article_id in ids:
            if article_id in keep:
                continue
            self.db.execute("DELETE FROM article_files WHERE article_id = ? AND path = ?", (article_id, path))
            others = [r[0] for r in self.db.execute(
                "SELECT path FROM article_files WHERE article_id = ?", (article_id,))]
            if not others:
                self.delete_article(article_id)
                self.result.articles_removed += 1
            else:
                source = self.db.execute("SELECT source FROM articles WHERE id = ?", (article_id,)).fetchone()
                if source and source[0] == path:
                    reparse.extend(others)
        return reparse

    def apply(self, result: FileResult) -> list[str]:
        """Store one parsed file; returns files to parse again (see :meth:`forget_file`).

        A file not read for a reason outside it (``result.retry``: the process reading it died
        or froze) keeps what the cache held of it, and is read again by the next run."""
        if result.retry:
            self.db.execute("INSERT OR REPLACE INTO files VALUES (?, -1, -1, ?)", (result.path, result.error))
            return []
        new_ids = {row.id for row in result.rows}
        reparse = self.forget_file(result.path, keep=new_ids)
        for row in result.rows:
            self.put(row, result.path)
        self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                        (result.path, result.size, result.mtime_ns, result.error or None))
        if any(not row.full for row in result.rows):
            self.db.execute("INSERT OR IGNORE INTO pending (path) VALUES (?)", (result.path,))
        else:
            self.db.execute("DELETE FROM pending WHERE path = ?", (result.path,))
        return reparse

