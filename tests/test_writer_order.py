"""The writer holds new articles' search entries back and writes them in rowid order: FTS5
starts a new segment whenever a rowid is not above the last, so file order (dates at random)
made a segment per article. What is held back must behave as if it had been written."""

from __future__ import annotations

import random

from newsreader.store import bodies, tokens
from newsreader.store.indexer import FileResult, IndexResult, Writer
from newsreader.store.library import Library
from newsreader.store.prepare import Row

BASE = 1_700_000_000


def row(n: int, text: str, quality: int = 1, path: str = "") -> Row:
    title = f"标题{n}"
    body_tokens, body_chars = tokens.index_forms(text)
    title_tokens, title_chars = tokens.index_forms(title)
    return Row(id=f"{n:016x}", url=f"https://example.com/{n}", outlet="dw", title=title, summary="", author="",
               category="", keywords="[]", published=BASE + 3600 * n, script="simplified",
               source=path or f"/archive/{n}.json", format="dw", data=bodies.pack("", text, [], []),
               quality=quality, title_tokens=title_tokens, body_tokens=body_tokens,
               chars=tokens.char_tokens(title_chars, body_chars))



def test_articles_in_random_order_are_found_and_written_in_few_segments(xdg):
    library = Library()
    numbers = list(range(300))
    random.Random(4).shuffle(numbers)
    library.db.execute("BEGIN IMMEDIATE")
    writer = Writer(library.db, IndexResult())
    for n in numbers:
        writer.apply(FileResult(f"/archive/{n}.json", 1, 1, rows=(row(n, f"港口新闻第{n}号。共同的词"),)))
    assert writer.pending, "entries are held back until flush"
    writer.flush()
    library.db.execute("COMMIT")
    hits = library.search("共同", limit=1000)
    assert len(hits) == 300
    assert [h.listing.published for h in hits] == sorted((h.listing.published for h in hits), reverse=True)
    assert [h.listing.id for h in library.search("第17号")] == [f"{17:016x}"]
    assert len(library.search("港", limit=1000)) == 300  # the characters index too
    # written in rowid order: a few segments (in file order FTS5 wrote over a hundred)
    assert written_segments(library, "search") < 20
    assert written_segments(library, "chars") < 20


def written_segments(library: Library, table: str) -> int:
    """FTS5's count of segments written so far: the third varint of its structure record
    (after a 4-byte cookie, the number of levels and of segments)."""
    data = library.db.execute(f"SELECT block FROM {table}_data WHERE id = 10").fetchone()[0]
    at, values = 4, []
    for _ in range(3):
        value = 0
        while True:
            byte = data[at]
            at += 1
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        values.append(value)
    return values[2]


def test_an_article_replaced_or_dropped_before_the_flush_leaves_no_trace(xdg):
    library = Library()
    library.db.execute("BEGIN IMMEDIATE")
    writer = Writer(library.db, IndexResult())
    writer.apply(FileResult("/a/1.json", 1, 1, rows=(row(1, "旧的正文"),)))
    writer.apply(FileResult("/a/1.json", 1, 2, rows=(row(1, "新的正文更长一些", quality=5, path="/a/1.json"),)))
    writer.apply(FileResult("/a/2.json", 1, 1, rows=(row(2, "要删除的文章"),)))
    writer.delete_article(f"{2:016x}")
    writer.flush()
    library.db.execute("COMMIT")
    assert library.search("旧的") == [] and library.search("删除") == []
    assert [h.listing.id for h in library.search("新的")] == [f"{1:016x}"]
    library.db.execute("CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, search, instance)")
    assert {r[0] for r in library.db.execute("SELECT DISTINCT doc FROM temp.v")} == {
        library.db.execute("SELECT rowid FROM articles").fetchone()[0]}
    # written in an earlier transaction, then replaced: the index's entry is deleted, not held
    library.db.execute("BEGIN IMMEDIATE")
    writer = Writer(library.db, IndexResult())
    writer.apply(FileResult("/a/1.json", 1, 3, rows=(row(1, "第三个版本的正文最长", quality=9, path="/a/1.json"),)))
    writer.flush()
    library.db.execute("COMMIT")
    assert library.search("新的") == []
    assert [h.listing.id for h in library.search("第三个")] == [f"{1:016x}"]
