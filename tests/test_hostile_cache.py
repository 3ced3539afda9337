"""The cache's storage under attack: a full disk mid-index, a read-only cache, a cache that
is a folder, XDG dirs that are files. One clear line, never a traceback, and the last
committed cache stays usable."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from newsreader.store import schema
from newsreader.store.library import CacheError, Library

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile


def can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 2 MB file system for the cache (a tmpfs, as root), or None where none can be made."""
    folder = tmp_path / "small"
    folder.mkdir()
    if not can_mount() or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)],
                                         capture_output=True).returncode:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def cache_file() -> Path:
    return Path(os.environ["XDG_CACHE_HOME"]) / "newsreader" / "cache.sqlite"


def test_a_full_disk_stops_index_with_one_line_and_keeps_the_cache(small_disk: Path | None, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    big = tmp_path / "big"
    synth.build(big, 150, body_chars=6000, corpus=False)  # more than 2 MB holds
    first = tmp_path / "first"
    shutil.copytree(ROOT / "seeds", first)
    if small_disk is None:  # no mount here: SQLite's page cap gives the same SQLITE_FULL mid-transaction
        library = Library()
        library.index([str(first)])
        before = library.count()
        assert before == 5
        pages = library.db.execute("PRAGMA page_count").fetchone()[0]
        library.db.execute(f"PRAGMA max_page_count = {pages + 40}")
        with pytest.raises(CacheError, match=r"indexing stopped: .* is on a full disk; it keeps"):
            library.index([str(big)])
        assert library.count() >= before and library.listings(limit=1)
        return
    monkeypatch.setenv("XDG_CACHE_HOME", str(small_disk))
    assert run_cli("index", str(first)).returncode == 0  # five articles, committed
    full = run_cli("index", str(big))
    assert full.returncode == 1, full.stderr
    assert "Traceback" not in full.stderr and "cannot rollback" not in full.stderr
    [line] = [line for line in full.stderr.splitlines() if "full disk" in line]
    assert line.startswith("newsreader: indexing stopped: the cache at ") and "keeps what was indexed" in line
    db = sqlite3.connect(cache_file())
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    kept = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    assert kept >= 5
    listing = run_cli("list", "--limit", "3")  # usable: says the disk is full once, then lists
    assert listing.returncode == 0 and listing.stdout.count("\n") == 3, listing.stderr
    # without parsing every changed file again only to fail at the first write
    assert listing.stderr.count("\n") == 1 and "is on a full disk: showing what it holds" in listing.stderr
    assert run_cli("search", "拜登").returncode == 0
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    again = run_cli("index")  # room again: the next run completes
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert len(run_cli("list").stdout.splitlines()) == 5 + 150


def test_a_read_only_cache_is_shown_and_index_says_why_not(tmp_path: Path):
    assert run_cli("list").returncode == 0
    folder = cache_file().parent
    mounted = can_mount() and subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode == 0
    modes = {}
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        else:
            modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
            for p in modes:
                p.chmod(0o555 if p.is_dir() else 0o444)
        listing = run_cli("list")
        assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 5, listing.stderr
        assert "cannot be written" in listing.stderr and "Traceback" not in listing.stderr
        (tmp_path / "more").mkdir()
        index = run_cli("index", str(tmp_path / "more"))
        assert index.returncode == 1 and "cannot index" in index.stderr and "Traceback" not in index.stderr
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        for p, mode in modes.items():
            p.chmod(mode)


def test_a_cache_that_is_a_folder_is_worked_around_in_memory():
    cache_file().mkdir(parents=True)
    listing = run_cli("list")
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 5, listing.stderr
    [line] = listing.stderr.splitlines()
    assert "is not a file" in line and "into memory" in line
    assert cache_file().is_dir()  # not deleted: it is not ours to remove


@pytest.mark.parametrize("variable", ["XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"])
def test_an_xdg_variable_pointing_at_a_file(tmp_path: Path, variable: str):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    listing = run_cli("list", env={variable: str(blocker)})
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 5, listing.stderr
    assert "Traceback" not in listing.stderr and len(listing.stderr.splitlines()) <= 1
    star = run_cli("star", listing.stdout.split()[0], env={variable: str(blocker)})
    assert "Traceback" not in star.stderr
    if variable == "XDG_DATA_HOME":
        assert star.returncode == 1 and "cannot save the star" in star.stderr
    else:
        assert star.returncode == 0, star.stderr


def test_rollback_after_sqlite_ended_the_transaction_keeps_the_real_error(tmp_path: Path):
    db = schema.connect(tmp_path / "x.sqlite")
    db.execute("CREATE TABLE t (x)")
    db.execute("PRAGMA max_page_count = 3")
    db.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError, match="full"):
        try:
            db.executemany("INSERT INTO t VALUES (?)", [(b"x" * 4000,) for _ in range(50)])
        except sqlite3.OperationalError:
            schema.rollback(db)  # a plain ROLLBACK raised "no transaction is active" here
            raise
    assert schema.describe(sqlite3.OperationalError("database or disk is full"), tmp_path / "x.sqlite") \
        == "is on a full disk"
