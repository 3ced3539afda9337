"""Large archives: ties of one publication second, counts kept beside the rows."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

from newsreader.store.indexer import FileResult, IndexResult, Writer
from newsreader.store.library import Library
from newsreader.store.prepare import Row


def row(n: int, published: int | None, outlet: str = "dw") -> Row:
    """A small stored article, built directly (parsing thousands of files is not the point)."""
    return Row(id=f"{n:016x}", url=f"https://example.com/{n}", outlet=outlet, title=f"标题{n}",
               summary="", author="", category="", keywords="[]", published=published,
               script="simplified", source=f"/archive/{n}.json", format="dw", body=b"",
               text=b"", media="[]", links="[]", quality=1, title_tokens=f"标题 题{n}",
               body_tokens="")


def store(library: Library, rows: list[Row]) -> IndexResult:
    result = IndexResult()
    writer = Writer(library.db, result)
    library.db.execute("BEGIN IMMEDIATE")
    for r in rows:
        writer.apply(FileResult(r.source, 1, 1, rows=(r,)))
    library.db.execute("COMMIT")
    return result


def test_eight_thousand_files_of_one_second_store_in_linear_time(xdg):
    # the last second of a day: ties pushed past it must still be listed under that day
    second = int(datetime(2024, 3, 9, 23, 59, 59, tzinfo=UTC).timestamp())
    library = Library()
    start = time.perf_counter()
    store(library, [row(n, second) for n in range(8000)])
    elapsed = time.perf_counter() - start
    assert elapsed < 20, f"8,000 ties took {elapsed:.1f} s"  # probing one by one took over a minute
    rowids = [r[0] for r in library.db.execute("SELECT rowid FROM articles")]
    assert len(set(rowids)) == 8000
    day = library.day_listings("dw", date(2024, 3, 9))
    assert len(day) == 8000
    assert library.listings(until=date(2024, 3, 9), limit=None).__len__() == 8000
    assert library.listings(since=date(2024, 3, 10)) == []
    # a second run adds one more of that second with one query, not 8,000 probes
    store(library, [row(8000, second)])
    assert len(library.day_listings("dw", date(2024, 3, 9))) == 8001


def test_undated_ties_go_downward_and_stay_undated(xdg):
    library = Library()
    rows = [row(n, None) for n in range(300)]
    rows = [Row(**{**r.__dict__, "id": "0000000" + r.id[7:]}) for r in rows]  # one preferred key
    store(library, rows)
    assert len(library.day_listings("dw", None)) == 300
    assert all(r[0] < 0 for r in library.db.execute("SELECT rowid FROM articles"))
