"""benchmarks/fabricate.py: a big cache made from a small indexed one must be one the real
code could have made — nothing to re-index, search equal to the brute-force truth, counts
that add up, every copy readable — since the figures at a million articles rest on it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import ROOT, write_post

from newsreader.store import bodies, counts, search, tokens
from newsreader.store.library import Library

sys.path.insert(0, str(ROOT / "benchmarks"))
import fabricate
import synth


def use_home(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    for key, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(key, str(home / sub))


def test_a_fabricated_cache_is_one_the_indexer_could_have_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    archive = tmp_path / "archive"
    synth.build(archive / "synthetic", 30, seed=5, body_chars=600, corpus=False)
    write_post(archive / "undated", "https://www.rfi.fr/cn/x", "没有日期的香港新闻", None)
    base_home, home, root = tmp_path / "base", tmp_path / "big", tmp_path / "big-archive"
    use_home(monkeypatch, base_home)
    base = Library()
    base.index([str(archive)])
    base_count = base.count()
    base.close()
    assert base_count == 31

    made = fabricate.fabricate(base_count * 3, base_home, archive, home, root, outlets_per=2)
    fabricate.finish(home, root)
    use_home(monkeypatch, home)  # (finish set the process's XDG dirs; the fixture restores them)
    library = Library()
    assert made == library.count() == 93

    result = library.index()
    assert (result.parsed, result.skipped_unchanged, result.articles_removed) == (0, 93, 0)
    assert library.count() == 93
    files = [p for p in root.rglob("*") if p.is_file()]
    assert len(files) == 93 and all(os.stat(p).st_nlink == 4 for p in files)  # the base file and 3 copies

    db = library.db
    texts = {rowid: tokens.normalise(f"{title}\n{summary}\n{bodies.text_of(db, data)}")
             for rowid, title, summary, data in db.execute(
                 "SELECT a.rowid, a.title, a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid")}
    for query in ["的", "港", "拜登", "习近平", "香港新闻", "APEC", "中国 美国"]:
        needles = [tokens.normalise(t) for t in query.split()]
        truth = {r for r, text in texts.items() if all(n in text for n in needles)}
        assert set(search.matching_rowids(db, query)) == truth, query
        assert len(library.search(query, limit=100)) == len(truth)

    outlets = counts.outlets(db)
    assert sum(n for _o, n, _u, _new in outlets) == 93 and len(outlets) == 2 * 3
    ids = [i for (i,) in db.execute("SELECT id FROM articles")]
    assert len(set(ids)) == 93 and all(library.article(i).text for i in ids[::7])
    rowids = sorted(r for r, p in db.execute("SELECT rowid, published FROM articles WHERE published IS NOT NULL"))
    assert all(r >= 0 for r in rowids)
    assert db.execute("SELECT count(*) FROM articles WHERE published IS NULL AND rowid < 0").fetchone()[0] == 3
    library.close()
