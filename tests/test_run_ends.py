"""The bigram index holds a Han run's last character alone only where a word follows the
run (or the run is one character): search must still find every article a query's text is
in, whether a character ends a run, opens one, or stands between words — one-character
queries alone, among other terms, and at either end of a longer term."""

from __future__ import annotations

import pytest
from conftest import write_post

from newsreader.markers import PLACEHOLDER
from newsreader.store import bodies, search, tokens
from newsreader.store.library import Library
from newsreader.stories import coverage

# Each body puts 港 (and 国) somewhere else in a run: last of a long run before a full stop,
# before a comma and another run, before a number or a Latin word, alone between words, first.
BODIES = [
    "他昨天去了香港。",
    "香港，美国和中国都表态",
    "香港2024年的选举",
    "香港APEC峰会",
    "APEC港2024的消息",
    "a港b",
    "港口很忙",
    "美国人说中国",
    "中国2024",
    "中国，美国",
    "没有这个字的文章",
    "香港",
    "说中国。港",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    import os

    root = tmp_path_factory.mktemp("run-ends")
    for n, body in enumerate(BODIES):
        write_post(root / "posts", f"https://example.com/{n}", f"第{n}篇", f"2024-01-{n + 1:02d}T08:00:00+00:00",
                   body=body)
    home = tmp_path_factory.mktemp("run-ends-home")
    for key in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[key] = str(home / key)
    lib = Library()
    lib.index([str(root)])
    return lib


def texts(library: Library) -> dict[str, str]:
    """Every article's searchable text, normalised, by id."""
    out = {}
    for id_, title, summary, blob in library.db.execute(
            "SELECT a.id, a.title, a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid"):
        body = PLACEHOLDER.sub(" ", bodies.text_of(library.db, blob))
        out[id_] = tokens.normalise(f"{title}\n{summary}\n{body}")
    return out


def found(library: Library, query: str) -> set[str]:
    return {h.listing.id for h in library.search(query, limit=10_000)}


def test_the_index_holds_a_runs_last_character_alone_only_before_a_word():
    assert tokens.index_tokens("香港。") == "香港"
    assert tokens.index_tokens("香港，美国") == "香港 美国"
    assert tokens.index_tokens("香港2024") == "香港 港 2024"
    assert tokens.index_tokens("a港b") == "a 港 b"
    assert tokens.index_tokens("港") == "港"


@pytest.mark.parametrize("query", ["港", "国", "港 国", "年", "字", "港 美国", "港 APEC", "国 2024", "美国 港"])
def test_characters_and_terms_find_every_article_holding_them(library: Library, query: str):
    truth = {i for i, text in texts(library).items() if all(tokens.normalise(t) in text for t in query.split())}
    assert found(library, query) == truth
    assert search.count_matches(library.db, query) == len(truth)
    assert len(search.matching_rowids(library.db, query)) == len(truth)
    assert coverage.count_by_sql(library.db, query)["total"] == len(truth)


@pytest.mark.parametrize("query", ["港2024", "港apec", "香港2024", "中国2024", "2024年", "a港b", "apec港2024",
                                   "港口", "香港", "美国人"])
def test_terms_across_a_run_and_a_word_equal_the_substring_truth(library: Library, query: str):
    needle = tokens.normalise(query)
    truth = {i for i, text in texts(library).items() if needle in text.replace(" ", "")}
    assert found(library, query) == truth


@pytest.mark.parametrize("query", ["港，美国", "国，美国", "中国，美国", "国。港"])
def test_terms_across_two_runs_miss_no_article(library: Library, query: str):
    """Across a separator the index never was exact (any separator matches); it must still
    find every article holding the term as written."""
    needle = tokens.normalise(query)
    truth = {i for i, text in texts(library).items() if needle in text}
    assert truth and truth <= found(library, query)


def test_a_character_opening_a_term_before_another_run_is_asked_of_the_characters_index():
    plan = search.plan("港，美国")
    assert plan is not None and plan.table == "search" and plan.chars == '"港"'
    assert search.plan("港 美国") == search.Plan("search", '"美国"', '"美国"', chars='"港"',
                                               chars_in_title=f'"{tokens.TITLE_MARK}港"')


def test_a_cache_of_the_previous_tokens_is_rebuilt_keeping_what_the_user_did(tmp_path):
    """Caches made before this tokenizer hold every run's last character alone: the version
    in their meta differs, so they are rebuilt once — stars, read marks and the last article
    (the state file) are kept, and search answers from the new tokens."""
    import sqlite3

    from newsreader import paths

    for n, body in enumerate(BODIES):
        write_post(tmp_path / "posts", f"https://example.com/{n}", f"第{n}篇", f"2024-02-{n + 1:02d}T08:00:00+00:00",
                   body=body)
    library = Library()
    library.index([str(tmp_path / "posts")])
    ids = [i.id for i in library.listings()]
    library.set_starred(ids[0], True)
    library.set_read(ids[1])
    library.state.put("last_article", ids[2])
    library.close()
    db = sqlite3.connect(paths.cache_db())
    db.execute("UPDATE meta SET value = '4/opencc-1.1.9' WHERE key = 'tokens'")
    db.commit()
    db.close()
    warnings: list[str] = []
    library = Library(warn=warnings.append)
    library.ensure_indexed()
    assert len(warnings) == 1 and "another search tokenizer" in warnings[0]
    after = {i.id: i for i in library.listings()}
    assert set(after) == set(ids)
    assert after[ids[0]].starred and after[ids[1]].read and not after[ids[2]].read
    assert library.state.get("last_article") == ids[2]
    assert found(library, "港") == {i for i, text in texts(library).items() if "港" in text}
    assert library.db.execute("SELECT value FROM meta WHERE key = 'tokens'").fetchone()[0] == tokens.VERSION


def test_a_snippet_finds_a_character_that_ends_a_run_in_the_text(tmp_path):
    """The other term in the title only, 发 only as the 髮 ending 頭髮 deep in the text (a
    spelling a plain search for 发 or 發 misses): the snippet shows it, not the text's start —
    the bigram index cannot say the text lacks a character it holds only inside a run."""
    write_post(tmp_path / "p", "https://example.com/s", "美国新闻", "2024-03-01T08:00:00Z",
               body="今天天气很好，大家出门散步。" * 30 + "他剪了頭髮。")
    library = Library()
    library.index([str(tmp_path / "p")])
    [hit] = library.search("发 美国")
    assert "頭髮" in hit.snippet
