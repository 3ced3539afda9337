"""Large archives: ties of one publication second, counts kept beside the rows."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, date, datetime

import pytest

from newsreader.store import bodies, counts, tokens
from newsreader.store.indexer import FileResult, IndexResult, Writer
from newsreader.store.library import Library
from newsreader.store.outline import Scope
from newsreader.store.prepare import Row
from newsreader.store.search import plan as search_plan


def row(n: int, published: int | None, outlet: str = "dw") -> Row:
    """A small stored article, built directly (parsing thousands of files is not the point)."""
    return Row(id=f"{n:016x}", url=f"https://example.com/{n}", outlet=outlet, title=f"标题{n}",
               summary="", author="", category="", keywords="[]", published=published,
               script="simplified", source=f"/archive/{n}.json", format="dw", data=bodies.pack("", "", [], []), quality=1,
               title_tokens=tokens.index_tokens(f"标题{n}"), body_tokens="",
               chars=tokens.char_tokens(tokens.index_forms(f"标题{n}")[1], set()))


def store(library: Library, rows: list[Row]) -> IndexResult:
    result = IndexResult()
    library.db.execute("BEGIN IMMEDIATE")
    writer = Writer(library.db, result)
    for r in rows:
        writer.apply(FileResult(r.source, 1, 1, rows=(r,)))
    writer.flush()
    library.db.execute("COMMIT")
    return result


@pytest.mark.hostile
def test_eight_thousand_files_of_one_second_store_in_linear_time(xdg):
    # the last second of a day: ties pushed past it must still be listed under that day
    second = int(datetime(2024, 3, 9, 23, 59, 59, tzinfo=UTC).timestamp())
    library = Library()
    start = time.process_time()
    store(library, [row(n, second) for n in range(8000)])
    elapsed = time.process_time() - start
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


def outline(library: Library) -> list:
    """Everything the outline shows: outlets, every period at every level, the totals."""
    seen: list = [library.counts()]
    for outlet in library.outlet_counts():
        seen.append(outlet)
        seen.append(library.days(outlet.key))
        stack = library.periods(outlet)
        while stack:
            period = stack.pop()
            seen.append(period)
            seen.append(library.counts(period.scope))
            if period.scope.level in ("year", "month"):
                stack.extend(library.periods(outlet, period.scope))
    return seen


def truth(library: Library, monkeypatch) -> list:
    """The outline counted from every row (the count tables bypassed)."""
    with monkeypatch.context() as patch:
        patch.setattr(counts, "fresh", lambda db: (False, False))
        patch.setattr(counts, "refresh", lambda db: False)
        return outline(library)


def check(library: Library, monkeypatch) -> None:
    tables = outline(library)
    assert counts.fresh(library.db) == (True, True)  # the tables answered, not the rows
    assert tables == truth(library, monkeypatch)


def spread_rows() -> list[Row]:
    base = int(datetime(2024, 3, 9, 20, 0, tzinfo=UTC).timestamp())
    return [row(n, base + n * n * 40_000 if n % 7 else None, outlet=("dw", "rfi", "bbc")[n % 3]) for n in range(60)]


def test_outline_counts_follow_index_reads_deletes_and_zone(xdg, monkeypatch):
    library = Library()
    store(library, spread_rows())
    check(library, monkeypatch)
    ids = [r[0] for r in library.db.execute("SELECT id FROM articles ORDER BY rowid")]
    for article_id in ids[::3]:
        library.set_read(article_id)
    library.set_read(ids[0], False)
    library.set_read(ids[0], False)  # no change: counted once
    check(library, monkeypatch)
    assert library.count() == 60
    # the read list changed behind the library's back (another program, a bulk mark)
    library.state.db.executemany("INSERT OR IGNORE INTO read VALUES (?, 0)", [(i,) for i in ids[1::4]])
    check(library, monkeypatch)
    # articles dropped and stored again, some of them read
    result = IndexResult()
    library.db.execute("BEGIN IMMEDIATE")
    writer = Writer(library.db, result)
    for article_id in ids[:20]:
        writer.delete_article(article_id)
    library.db.execute("COMMIT")
    check(library, monkeypatch)
    store(library, spread_rows()[:10])
    check(library, monkeypatch)
    # another zone: the days are counted again there
    monkeypatch.setenv("TZ", "Asia/Taipei")
    time.tzset()
    check(library, monkeypatch)
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    library.set_read(ids[40])
    check(library, monkeypatch)


def test_read_marks_while_another_process_indexes_never_wait_and_counts_stay_true(xdg, monkeypatch):
    library = Library()
    store(library, spread_rows())
    outline(library)
    blocker = sqlite3.connect(library.cache_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # as an index run in another process holds it
    ids = [r[0] for r in library.db.execute("SELECT id FROM articles")]
    start = time.perf_counter()
    for article_id in ids[:10]:
        library.set_read(article_id)
    library.mark_read(Scope("rfi"))
    assert time.perf_counter() - start < 5  # gave up on the counts at once each time
    assert outline(library) == truth(library, monkeypatch)
    blocker.execute("COMMIT")
    blocker.close()
    check(library, monkeypatch)  # recounted once the lock was free


def test_marking_a_scope_read_and_stars_keep_the_tables_true(xdg, monkeypatch):
    library = Library()
    store(library, spread_rows())
    check(library, monkeypatch)
    ids = [r[0] for r in library.db.execute("SELECT id FROM articles")]
    for article_id in ids[::5]:
        library.set_starred(article_id, True)
    outlet = library.outlet_counts()[0]
    year = library.periods(outlet)[0]
    assert library.mark_read(year.scope) > 0
    check(library, monkeypatch)
    assert library.mark_read(Scope("dw")) > 0
    check(library, monkeypatch)
    assert library.counts(Scope("dw")).unread == 0


def test_one_character_queries_use_the_characters_index_and_follow_deletes(xdg):
    library = Library()
    rows = [row(n, 1_700_000_000 + n) for n in range(30)]
    rows[7] = Row(**{**rows[7].__dict__, "title": "鑫標題",
                     "title_tokens": tokens.index_tokens("鑫標題"),
                     "chars": tokens.char_tokens(tokens.index_forms("鑫標題")[1], set())})
    store(library, rows)
    assert search_plan("鑫").table == "chars" and search_plan("鑫 标").table == "chars"
    assert search_plan("鑫标").table == "search" and search_plan("a").table == "search"
    hits = library.search("鑫")
    assert [h.listing.id for h in hits] == [rows[7].id] and hits[0].in_title
    assert len(library.search("标", limit=100)) == 30  # 標 folds to 标
    assert [h.listing.id for h in library.search("鑫 标")] == [rows[7].id]
    result = IndexResult()
    library.db.execute("BEGIN IMMEDIATE")
    Writer(library.db, result).delete_article(rows[7].id)
    library.db.execute("COMMIT")
    assert library.search("鑫") == []
    assert len(library.search("标", limit=100)) == 29


def test_counts_work_with_a_state_from_before_the_read_counter(tmp_path):
    old = tmp_path / "old-state.sqlite"
    with sqlite3.connect(old) as made:  # the first stage's tables, as a read-only file keeps them
        made.execute("CREATE TABLE read (article_id TEXT PRIMARY KEY, at REAL NOT NULL)")
    db = sqlite3.connect(":memory:")
    db.execute("ATTACH DATABASE ? AS state", (str(old),))
    assert counts.state_generation(db) == -2


def test_the_outline_counts_walk_the_starred_and_read_lists_not_every_article(xdg):
    """SQLite knows nothing of the attached state's lists, and joined to them it walked every
    article (0.15 s at 100,000 on each first screen): the work must follow the lists' length."""
    library = Library()
    store(library, [row(n, 1_700_000_000 + n * 600, "dw" if n % 2 else "rfi") for n in range(6000)])
    library.set_starred(f"{7:016x}", True)
    library.mark_read(article_ids=[f"{9:016x}"])
    library.db.execute("UPDATE meta SET value = '-5' WHERE key = 'read_gen'")  # read counts stale: walk the read list
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    library.outlet_counts()  # bring what can be brought up to date first
    library.db.execute("UPDATE meta SET value = '-5' WHERE key = 'read_gen'")
    library.db.set_progress_handler(step, 100)
    found = {o.key: (o.count, o.starred) for o in library.outlet_counts()}
    library.db.set_progress_handler(None, 100)
    assert found == {"dw": (3000, 1), "rfi": (3000, 0)}
    assert {o.key: o.unread for o in library.outlet_counts()} == {"dw": 2999, "rfi": 3000}
    # (walking every article took ~3.3 steps each; the lists and the count tables, ~1,500 in all)
    assert steps[0] * 100 < 6000, f"{steps[0] * 100} SQLite steps for two outlets' counts"


def test_under_asked_once_per_folder_says_what_under_says():
    """Re-indexing a million files asked under() two million times; Under asks it per folder
    and must agree with it for folder roots, file roots, trailing separators and the root."""
    from newsreader.store.walk import Under, under
    roots_cases = [["/a/b"], ["/a/b/"], ["/a/b/x.md"], ["/a/b", "/c/d.md"], ["/"], []]
    paths = ["/a/b/x.md", "/a/b/c/y.md", "/a/bc/z.md", "/a/b", "/c/d.md", "/c/d.mdx", "/x.md", "/a/b/x.md/q"]
    for roots in roots_cases:
        check = Under(roots)
        assert [check(p) for p in paths] == [under(p, roots) for p in paths], roots
