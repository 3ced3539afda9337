"""Search against ground truth by brute force: every article whose visible text, in one
script, contains the query — no more, no fewer — in title-first, newest-first order."""

from __future__ import annotations

import re
import shutil
import sys

import pytest
from conftest import FIXTURES, ROOT, SEEDS, run_cli

from newsreader.markers import PLACEHOLDER
from newsreader.store import bodies, tokens
from newsreader.store.library import Library

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth

CHINESE_QUERIES = [
    # one character, both scripts
    "港", "台", "臺", "习", "習", "的", "会", "會", "峰",
    # two
    "王毅", "台湾", "臺灣", "拜登", "中国", "中國", "峰会", "网络", "網絡",
    # three
    "习近平", "習近平", "旧金山", "舊金山", "白宫发",
    # four and more
    "亚太经济合作", "國家主席", "拜习会晤", "美國總統拜登",
]
LATIN_QUERIES = ["APEC", "apec", "Biden", "the", "Jake Sullivan", "G20"]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    root = tmp_path_factory.mktemp("search-archive")
    shutil.copytree(SEEDS, root / "seeds")
    shutil.copytree(FIXTURES, root / "fixtures")
    synth.build(root / "synthetic", 120, seed=11, body_chars=1500, corpus=False)
    import os
    home = tmp_path_factory.mktemp("search-home")
    for key in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[key] = str(home / key)
    lib = Library()
    lib.index([str(root)])
    return lib


def visible(library: Library) -> dict[str, tuple[str, str, int]]:
    """Every article's searchable text, folded to one script: id → (title, all text, rowid)."""
    out = {}
    for id_, rowid, title, summary, blob in library.db.execute(
            "SELECT a.id, a.rowid, a.title, a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid"):
        body = PLACEHOLDER.sub(" ", bodies.text_of(library.db, blob))
        out[id_] = (tokens.normalise(title), tokens.normalise(f"{title}\n{summary}\n{body}"), rowid)
    return out


def expected_order(truth: dict, matches: set[str], in_title: set[str]) -> list[str]:
    return sorted(matches, key=lambda i: (i not in in_title, -truth[i][2]))


@pytest.mark.parametrize("query", CHINESE_QUERIES)
def test_chinese_queries_match_substrings_in_either_script(library: Library, query: str):
    truth = visible(library)
    needle = tokens.normalise(query)
    matches = {i for i, (_t, text, _r) in truth.items() if needle in text}
    in_title = {i for i in matches if needle in truth[i][0]}
    hits = library.search(query, limit=10_000)
    assert {h.listing.id for h in hits} == matches
    assert [h.listing.id for h in hits] == expected_order(truth, matches, in_title)
    assert {h.listing.id for h in hits if h.in_title} == in_title


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+", text))


@pytest.mark.parametrize("query", LATIN_QUERIES)
def test_latin_words_match_whole_words_any_case(library: Library, query: str):
    truth = visible(library)
    parts = [tokens.normalise(p) for p in query.split()]
    matches = {i for i, (_t, text, _r) in truth.items() if all(p in words(text) for p in parts)}
    assert {h.listing.id for h in library.search(query, limit=10_000)} == matches


def test_several_terms_must_all_match_and_quotes_keep_a_phrase(library: Library):
    truth = visible(library)
    both = {i for i, (_t, text, _r) in truth.items() if "拜登" in text and "王毅" in text}
    assert {h.listing.id for h in library.search("拜登 王毅", limit=10_000)} == both
    phrase = {i for i, (_t, text, _r) in truth.items() if "习近平主席" in text}
    assert {h.listing.id for h in library.search('"习近平 主席"', limit=10_000)} <= {
        i for i, (_t, text, _r) in truth.items() if "习近平" in text and "主席" in text}
    assert {h.listing.id for h in library.search('"習近平主席"', limit=10_000)} == phrase


def test_markup_attributes_and_entities_are_not_searched(library: Library):
    for query in ("href", "weserv", "nbsp", "selfpromo", "noopener", "twsrc", "figcaption"):
        assert library.search(query) == [], query


def test_limit_outlet_and_snippet(library: Library):
    hits = library.search("习近平", limit=3)
    assert len(hits) == 3
    rfi = library.search("习近平", outlet="rfi", limit=100)
    assert rfi and all(h.listing.outlet == "rfi" for h in rfi)
    assert all("习近平" in tokens.normalise(h.snippet) or h.in_title for h in rfi)


def test_search_cli_json_and_exit_codes():
    result = run_cli("search", "臺灣", "--json")
    assert result.returncode == 0
    import json
    items = json.loads(result.stdout)
    assert items and {"id", "outlet", "title", "published", "snippet"} <= set(items[0])
    assert run_cli("search", "没有这个词组合").returncode == 1
    assert run_cli("search", "台湾", "--limit", "1", "--json").stdout.count('"id"') == 1


@pytest.mark.parametrize("query", CHINESE_QUERIES + LATIN_QUERIES + ["标题", "中国 美国", "不在 拜登"])
def test_page_snippets_say_what_the_whole_text_says(library: Library, query: str):
    """A page's snippets decode only a window of each text, and a title hit whose text the
    index says holds no term only its start: each must be what snippet() makes of the
    article's whole summary and text."""
    from newsreader.store.search import snippet
    for hit in library.search(query, limit=50):
        summary, blob = library.db.execute(
            "SELECT a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid WHERE a.id = ?",
            (hit.listing.id,)).fetchone()
        assert hit.snippet == snippet(summary + "\n" + bodies.text_of(library.db, blob), query), hit.listing.title
