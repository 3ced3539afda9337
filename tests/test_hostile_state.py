"""The user's own data under attack: a damaged, read-only or full state file never costs a
traceback, never blames the cache, and keeps whatever SQLite's pages still hold."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from newsreader.store.library import Library
from newsreader.store.state import State, StateError

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

ID = "0123456789abcdef"


def state_path() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "newsreader" / "state.sqlite"


def some_ids(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.getrandbits(64):016x}" for _ in range(n)]


def fill_state(stars: list[str], reads: list[str], checkpoint: bool, sources: bool = True) -> None:
    state = State(state_path())
    with state.db:  # one transaction: thousands of single-star commits cost seconds of fsync
        state.db.execute("BEGIN")
        state.db.executemany("INSERT INTO starred VALUES (?, ?)", [(i, 1.7e9) for i in stars])
    state.set_read_many(reads)
    if sources:
        state.add_sources(["/archive/one", "/archive/two"])
    state.put("theme", "nord")
    if checkpoint:
        state.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    state.close()


def starred_now() -> set[str]:
    state = State(state_path())
    try:
        return {r[0] for r in state.db.execute("SELECT article_id FROM starred")}
    finally:
        state.close()


def one_line_about_the_state(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if "state file" in line]
    assert len(lines) == 1, stderr
    assert "cache" not in lines[0] and "Traceback" not in stderr
    assert str(state_path()) in lines[0]
    return lines[0]


@pytest.mark.parametrize("checkpoint", [True, False], ids=["in-file", "in-wal"])
def test_a_destroyed_header_is_recovered_whole_and_the_file_kept_aside(checkpoint: bool):
    stars, reads = some_ids(1500), some_ids(1500, seed=2)
    fill_state(stars, reads, checkpoint)
    path = state_path()
    data = bytearray(path.read_bytes())
    data[:100] = os.urandom(100)
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    result = run_cli("list", "--starred")
    line = one_line_about_the_state(result.stderr)
    assert "recovered 1500 stars, 1500 read marks and 2 sources" in line
    [aside] = path.parent.glob("state.sqlite.damaged-*[0-9]")
    assert aside.read_bytes() == damaged  # kept as it was, never deleted
    assert starred_now() == set(stars)
    again = run_cli("star", "--help")
    assert again.returncode == 0 and "state file" not in again.stderr  # recovered once, quiet after


def test_garbage_b_tree_pages_cost_only_the_rows_on_them():
    stars, reads = some_ids(3000), some_ids(3000, seed=2)
    fill_state(stars, reads, checkpoint=True)
    path = state_path()
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    rng = random.Random(7)
    for page in rng.sample(range(3, pages), 2):  # two pages in the middle: leaves or interiors
        data[page * 4096:(page + 1) * 4096] = rng.randbytes(4096)
    path.write_bytes(bytes(data))
    result = run_cli("outlets")
    assert result.returncode in (0, 1)
    line = one_line_about_the_state(result.stderr)
    assert "was damaged" in line and "recovered" in line
    kept = starred_now()
    assert kept <= set(stars)  # nothing invented from garbage
    assert len(kept) >= 3000 // 2, line  # a page holds ~150 stars: most survive two bad pages
    assert run_cli("star", "--help").returncode == 0


def test_a_star_removed_before_the_damage_stays_removed():
    stars = some_ids(400)
    fill_state(stars, [], checkpoint=False)
    state = State(state_path())
    state.set_starred(stars[0], False)
    state.close()
    data = bytearray(state_path().read_bytes())
    data[:100] = bytes(100)
    state_path().write_bytes(bytes(data))
    assert starred_now() == set(stars[1:])


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make ``folder`` read-only for real: a read-only bind mount as root (root ignores
    permissions), file modes otherwise."""
    if _can_mount() and subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode == 0:
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=True)
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def test_a_read_only_state_keeps_working_and_star_says_why_it_cannot(tmp_path: Path):
    fill_state([ID], [], checkpoint=True, sources=False)
    first, second = [line.split()[0] for line in run_cli("list").stdout.splitlines()[:2]]
    assert run_cli("star", first).returncode == 0  # while the state is writable
    with read_only(state_path().parent):
        listing = run_cli("list", "--starred")
        assert listing.returncode == 0 and "Traceback" not in listing.stderr
        assert listing.stdout.startswith(first)
        star = run_cli("star", second)
        assert star.returncode == 1
        assert star.stderr.count("\n") == 1 and "Traceback" not in star.stderr
        assert f"cannot save the star: the state file {state_path()}" in star.stderr
        assert "read-only" in star.stderr or "cannot be written" in star.stderr
        index = run_cli("index", str(tmp_path))
        assert "Traceback" not in index.stderr and "cannot save the sources" in index.stderr
    assert len(starred_now()) == 2 and ID in starred_now()


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 1 MB file system (a tmpfs as root), or None where none can be made."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if not _can_mount() or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                           str(folder)]).returncode:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill_up(folder: Path) -> None:
    with open(folder / "filler", "wb") as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()


def test_a_state_on_a_full_disk_says_the_disk_is_full(tiny_disk: Path | None, monkeypatch: pytest.MonkeyPatch):
    if tiny_disk is None:  # no mount: SQLite's own page cap gives the same SQLITE_FULL
        state = State(state_path())
        state.set_starred(ID)
        pages = state.db.execute("PRAGMA page_count").fetchone()[0]
        state.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StateError, match="is on a full disk"):
            state.set_read_many(some_ids(5000))
        assert state.is_starred(ID)
        return
    monkeypatch.setenv("XDG_DATA_HOME", str(tiny_disk))
    fill_state([ID], [], checkpoint=True, sources=False)
    assert run_cli("list").returncode == 0
    fill_up(tiny_disk)
    bulk = State(state_path())
    with pytest.raises(StateError, match=r"cannot save the read marks: .* is on a full disk"):
        bulk.set_read_many(some_ids(20000))
    bulk.close()
    article = run_cli("list").stdout.split()[0]
    star = run_cli("star", article)
    assert "Traceback" not in star.stderr
    if star.returncode:  # a small write may still fit in the WAL's free pages
        assert "full disk" in star.stderr and star.stderr.count("\n") == 1
    (tiny_disk / "filler").unlink()
    assert ID in starred_now()


def test_a_data_dir_that_is_a_file_means_nothing_saved_but_everything_readable(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    listing = run_cli("list")
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    star = run_cli("star", listing.stdout.split()[0])
    assert star.returncode == 1 and "cannot save the star" in star.stderr and star.stderr.count("\n") == 1


def test_library_tells_a_damaged_state_from_a_damaged_cache():
    library = Library()
    library.ensure_indexed()
    library.state.set_starred(ID)
    assert library.state.healthy()
    said: list[str] = []
    library.warn = said.append
    library.state.warn = said.append
    library.state.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(state_path().read_bytes())
    data[:100] = bytes(100)
    state_path().write_bytes(bytes(data))
    assert not library.state.healthy()
    library.repair(Exception("database disk image is malformed"))
    assert len(said) == 1 and "state file" in said[0] and "cache" not in said[0]
    assert library.listings(starred=True) == [] and library.state.is_starred(ID)
    library.close()


@pytest.mark.parametrize("shape", ["folder", "dangling-link", "dev-null", "foreign-tables", "truncated"])
def test_state_files_that_are_not_state_files(shape: str):
    fill_state([ID], [], checkpoint=True, sources=False)
    path = state_path()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    if shape == "folder":
        path.unlink()
        path.mkdir()
    elif shape == "dangling-link":
        path.unlink()
        path.symlink_to(path.parent / "nowhere" / "state.sqlite")
    elif shape == "dev-null":  # takes every write and keeps none: stars said saved, then gone
        path.unlink()
        path.symlink_to(os.devnull)
    elif shape == "foreign-tables":
        path.unlink()
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE starred (a, b, c)")
        other.commit()
        other.close()
    else:
        os.truncate(path, path.stat().st_size // 2)
    result = run_cli("list")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    line = one_line_about_the_state(result.stderr)
    unusable = shape in ("folder", "dangling-link", "dev-null")
    assert ("neither shown nor saved" in line) if unusable else ("kept it as" in line)
    assert os.path.lexists(path)
    if unusable:
        star = run_cli("star", result.stdout.split()[0])
        assert star.returncode == 1 and "cannot save the star" in star.stderr, star.stderr
    if shape == "dev-null":
        assert "not a regular file but a character device" in line


def _break_page(number: int) -> None:
    data = bytearray(state_path().read_bytes())
    data[(number - 1) * 4096:number * 4096] = random.Random(number).randbytes(4096)
    state_path().write_bytes(bytes(data))


def _roots() -> dict[str, int]:
    db = sqlite3.connect(state_path())
    try:
        return dict(db.execute("SELECT name, rootpage FROM sqlite_master"))
    finally:
        db.close()


def test_a_damaged_interior_page_costs_only_the_rows_on_it():
    """The root of the stars' b-tree is garbage: the leaves below it are found (nothing points
    to them, the free list does not hold them) and given back to the stars — only the few
    rows the interior page itself held are gone. They were all lost before."""
    stars, reads = some_ids(3000), some_ids(3000, seed=2)
    fill_state(stars, reads, checkpoint=True)
    _break_page(_roots()["starred"])
    result = run_cli("list", "--starred")
    line = one_line_about_the_state(result.stderr)
    kept = starred_now()
    assert kept <= set(stars) and len(kept) >= 2900, line  # an interior page holds ~20 of them
    state = State(state_path())
    assert {r[0] for r in state.db.execute("SELECT article_id FROM read")} == set(reads)
    state.close()


def test_deleted_stars_on_free_pages_never_come_back():
    """Pages freed by unstarring still hold the old rows (without secure_delete): they are
    on the free list, never taken for pages cut off by damage."""
    stars = some_ids(3000)
    state = State(state_path())
    state.db.execute("PRAGMA secure_delete = OFF")
    state.db.execute("BEGIN")
    state.db.executemany("INSERT INTO starred VALUES (?, ?)", [(i, 1.7e9) for i in stars])
    state.db.execute("COMMIT")
    state.db.execute("BEGIN")
    state.db.executemany("DELETE FROM starred WHERE article_id = ?", [(i,) for i in stars[:2000]])
    state.db.execute("COMMIT")
    state.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    state.close()
    _break_page(_roots()["starred"])
    kept = starred_now()
    assert kept <= set(stars[2000:]) and len(kept) >= 950


def test_stars_and_read_marks_both_cut_off_are_not_mixed_up():
    """Both roots gone: a page below them could hold stars or read marks (same shape, both
    cover every key) — not guessed, said, and left in the kept file."""
    stars, reads = some_ids(3000), some_ids(3000, seed=2)
    fill_state(stars, reads, checkpoint=True)
    roots = _roots()
    _break_page(roots["starred"])
    _break_page(roots["read"])
    line = one_line_about_the_state(run_cli("outlets").stderr)
    assert "could not be told apart" in line and "state.sqlite.damaged-" in line
    assert starred_now() <= set(stars)


def test_a_companion_that_is_a_folder_is_named_and_said_once():
    """A -wal that is a folder: star named only "unable to open database file". A damaged
    state whose recovery lock is a folder said two lines, one wrong ("neither shown")."""
    fill_state([ID], [], checkpoint=True, sources=False)
    wal = Path(f"{state_path()}-wal")
    wal.unlink(missing_ok=True)
    wal.mkdir()
    star = run_cli("star", run_cli("list").stdout.split()[0])
    assert star.returncode == 1 and "state.sqlite-wal beside it is a folder" in star.stderr, star.stderr
    wal.rmdir()
    data = bytearray(state_path().read_bytes())
    data[:100] = bytes(100)
    state_path().write_bytes(bytes(data))
    Path(f"{state_path()}.lock").mkdir()
    line = one_line_about_the_state(run_cli("list", "--starred").stderr)
    assert "cannot be moved aside (Is a directory: state.sqlite.lock)" in line


def test_a_state_that_cannot_be_read_never_costs_the_cache_its_articles(tmp_path: Path):
    """The remembered sources live in the state: with the state unreadable they are unknown,
    and the next command re-indexed the bundled sample in place of the user's archive."""
    archive = tmp_path / "mine"
    archive.mkdir()
    (archive / "item.txt").write_text("<!--1698786902000-->\n[我的文章](https://www.rfi.fr/cn/mine)\n------\n"
                                      "<p>正文。</p>\n", encoding="utf-8")
    assert run_cli("index", str(archive)).returncode == 0
    path = state_path()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.mkdir()
    listing = run_cli("list")
    assert listing.returncode == 0 and "我的文章" in listing.stdout and "拜登" not in listing.stdout, listing
