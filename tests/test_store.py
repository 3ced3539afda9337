"""The cache: incremental indexing, one article per URL, stable ids, vanished files, damage."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from newsreader import paths
from newsreader.store.library import Library


def messages() -> tuple[list[str], callable]:
    seen: list[str] = []
    return seen, seen.append


def test_bundled_sample_when_no_source(xdg):
    library = Library()
    assert library.sources() == [str(paths.bundled_seeds())]
    assert library.needs_index()
    library.ensure_indexed()
    assert library.count() == 5
    assert {o.key for o in library.outlet_counts()} == {"dw", "epochtimes", "rfi", "nytimes"}
    assert not library.needs_index()


def test_incremental_reindex_changes_and_vanished_files(archive: Path):
    library = Library()
    failed: list[tuple[str, str]] = []
    first = library.index([str(archive)], report=lambda p, r: failed.append((p, r)))
    assert first.articles_added == 9  # 5 seeds + 4 fixtures that are articles
    assert {Path(p).name for p, _ in failed} == {"notes.txt", "truncated.json", "not-article.json"}
    again = library.index()
    assert again.parsed == 0 and again.skipped_unchanged == first.seen

    rfi = archive / "seeds" / "002_99f4a36bfbb7c279.txt"
    text = rfi.read_text(encoding="utf-8").replace("白宫：拜登希望", "白宫：拜登很希望")
    rfi.write_text(text, encoding="utf-8")
    os.utime(rfi, ns=(rfi.stat().st_atime_ns, rfi.stat().st_mtime_ns + 10**9))
    changed = library.index()
    assert changed.parsed == 1 and changed.articles_updated == 1
    assert any(i.title == "白宫：拜登很希望与习近平进行建设性对话" for i in library.listings())

    (archive / "seeds" / "004_7e52b1f52cc177fb.txt").unlink()
    removed = library.index()
    assert removed.articles_removed == 1
    assert library.count() == 8
    assert not library.search("秘鲁")  # the search index forgot it too


def test_walked_files_outside_every_source_are_dropped(archive: Path):
    """A file walked this run stays only when it is under a source: the re-index's shortcut
    (every root under a source) must not keep files of a root that is none."""
    from newsreader.store import indexer

    library = Library()
    library.index([str(archive)])
    kept = library.count()
    assert kept
    seeds = str(archive / "seeds")
    result = indexer.index(library.db, [seeds], all_roots=[str(archive / "elsewhere")])
    assert result.articles_removed == kept  # nothing is under the only source
    assert library.count() == 0
    library.close()


def test_one_article_per_url_with_all_its_files(tmp_path: Path, archive: Path):
    copy = archive / "seeds" / "nested" / "again.md"
    copy.parent.mkdir()
    shutil.copy(archive / "seeds" / "001_0d9c6f3eb2f12570.txt", copy)
    library = Library()
    library.index([str(archive / "seeds")])
    assert library.count() == 5
    [item] = [i for i in library.listings() if i.outlet == "epochtimes"]
    detail = library.article(item.id)
    assert len(detail.sources) == 2
    # the copy vanishes: the article stays, shown from the file that is left
    copy.unlink()
    library.index()
    assert library.count() == 5
    assert library.article(item.id).sources == [str(archive / "seeds" / "001_0d9c6f3eb2f12570.txt")]


def test_ids_stable_across_rebuild_and_state_survives(archive: Path):
    library = Library()
    library.index([str(archive / "seeds")])
    before = {i.id: i.title for i in library.listings()}
    starred = next(iter(before))
    library.set_starred(starred, True)
    library.set_read(starred)
    library.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(paths.cache_db()) + suffix).unlink(missing_ok=True)
    library = Library()
    library.ensure_indexed()
    after = {i.id: i for i in library.listings()}
    assert set(after) == set(before)
    assert after[starred].starred and after[starred].read


@pytest.mark.parametrize("damage", ["garbage", "truncate", "old-version"])
def test_damaged_cache_is_rebuilt_with_one_warning(archive: Path, damage: str):
    library = Library()
    library.index([str(archive / "seeds")])
    some_id = library.listings()[0].id
    library.set_starred(some_id, True)
    library.close()
    cache = paths.cache_db()
    if damage == "garbage":
        cache.write_bytes(os.urandom(8192))
    elif damage == "truncate":
        data = cache.read_bytes()
        cache.write_bytes(data[: len(data) // 3])
    else:
        import sqlite3
        db = sqlite3.connect(cache)
        db.execute("PRAGMA user_version = 99")
        db.commit()
        db.close()
    Path(str(cache) + "-wal").unlink(missing_ok=True)
    warnings: list[str] = []
    library = Library(warn=warnings.append)
    try:
        library.ensure_indexed()
        items = library.listings()
    except Exception as error:  # a truncated file may only show damage when read
        from newsreader.store.schema import is_corruption
        assert is_corruption(error)
        library.rebuild(str(error))
        library.ensure_indexed()
        items = library.listings()
    assert len(items) == 5
    assert len(warnings) == 1 and "rebuilding" in warnings[0]
    assert library.listing(some_id).starred
