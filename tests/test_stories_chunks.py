"""The stories update over many days runs in chunks, each its own transaction: the result equals a
recompute, and an update killed between chunks keeps what it committed and is finished by the
next one."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import write_post
from test_stories import EARTHQUAKE, TYPHOON, _tables, convert, library_for, paragraphs

from newsreader.stories import compute


def _events_over_days(folder: Path, days: range, month: str = "2023-09") -> None:
    """Each day two outlets report the typhoon (one in traditional) and one the earthquake."""
    for day in days:
        stamp = f"{month}-{day:02d}"
        write_post(folder, f"https://www.rfi.fr/cn/中国/{stamp}-台风", f"台风海鸥在广东湛江登陆 第{day}天",
                   f"{stamp}T02:10:00Z", paragraphs(TYPHOON))
        write_post(folder, f"https://www.cna.com.tw/news/acn/{stamp}.aspx", f"颱風海鷗登陸廣東湛江 第{day}天",
                   f"{stamp}T03:00:00Z", paragraphs([convert("s2twp", line) for line in TYPHOON]))
        write_post(folder, f"https://www.dw.com/zh/地震/a-{day}", f"日本北海道外海强震 第{day}天",
                   f"{stamp}T06:00:00Z", paragraphs(EARTHQUAKE))


_REGROUP = compute._regroup


class Killed(BaseException):
    """Stands for a kill: nothing after it runs, and the open transaction is not committed."""


def _regroups(monkeypatch: pytest.MonkeyPatch, fail_after: int | None = None) -> list[tuple[int, int]]:
    """Record each chunk's range; with ``fail_after``, the chunk after that many dies mid-way."""
    ranges: list[tuple[int, int]] = []
    regroup = _REGROUP

    def counted(db, start, end, gone, ahead=True):  # type: ignore[no-untyped-def]
        if fail_after is not None and len(ranges) == fail_after:
            regroup(db, start, end, gone, ahead)
            raise Killed  # killed before this chunk's commit
        ranges.append((start, end))
        return regroup(db, start, end, gone, ahead)

    monkeypatch.setattr(compute, "_regroup", counted)
    return ranges


def test_an_update_over_many_days_runs_in_chunks_and_equals_a_recompute(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a"
    _events_over_days(folder, range(1, 21))
    library = library_for(folder)
    _events_over_days(folder / "late", range(2, 20, 3), month="2023-10")  # new files, days apart
    _events_over_days(folder / "early", range(3, 20, 4))  # and files of old days, out of order
    monkeypatch.setattr(compute, "CHUNK", 10)
    ranges = _regroups(monkeypatch)
    library.index()
    assert len(ranges) >= 4
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))  # consecutive, no day twice
    assert library.db.execute("SELECT count(*) FROM meta WHERE key = 'stories_todo'").fetchone()[0] == 0
    chunked = _tables(library)
    compute.recompute(library.db)
    after = _tables(library)
    for i, (x, y) in enumerate(zip(after, chunked, strict=True)):
        assert sorted(set(x) - set(y)) == sorted(set(y) - set(x)), i


def test_an_update_killed_between_chunks_keeps_them_and_the_next_finishes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed in its third chunk, the update keeps the two committed; the next update goes on
    from the recorded rest and leaves the tables as an update never killed leaves them."""
    monkeypatch.setattr(compute, "CHUNK", 10)
    whole = tmp_path / "whole"  # the same archive, updated without a kill
    _events_over_days(whole, range(1, 21))
    library = library_for(whole)
    _events_over_days(whole / "early", range(2, 20, 3))
    library.index()
    expected = _tables(library)
    library.close()

    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):  # a cache of its own
        monkeypatch.setenv(name, str(tmp_path / "other" / name))
    folder = tmp_path / "killed"
    _events_over_days(folder, range(1, 21))
    library = library_for(folder)
    _events_over_days(folder / "early", range(2, 20, 3))
    ranges = _regroups(monkeypatch, fail_after=2)
    with pytest.raises(Killed):
        library.index()
    assert len(ranges) == 2
    left = library.db.execute("SELECT value FROM meta WHERE key = 'stories_todo'").fetchone()
    assert left is not None and int(left[0].split()[0]) == ranges[-1][1]  # the rest is recorded
    assert library.db.execute("SELECT count(*) FROM story_pending").fetchone()[0] == 0
    kept = library.db.execute("SELECT count(*) FROM story_articles s JOIN articles a ON a.rowid = s.rowid "
                              "WHERE a.published >= ? AND a.published < ?", ranges[0]).fetchone()[0]
    assert kept == library.db.execute("SELECT count(*) FROM articles WHERE published >= ? AND published < ?",
                                      ranges[0]).fetchone()[0]  # the first chunk's rows are kept
    again = _regroups(monkeypatch)
    assert compute.update(library.db) is not None  # nothing new: it goes on from the recorded rest
    assert again and again[0][0] == ranges[-1][1]  # committed chunks are not redone
    assert library.db.execute("SELECT count(*) FROM meta WHERE key = 'stories_todo'").fetchone()[0] == 0
    assert _tables(library) == expected


def test_a_writer_waiting_for_the_lock_gets_it_between_chunks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another writer (a star, the next index) that asks for the lock during a long update takes
    it at the next gap between chunks, not after the whole update."""
    import sqlite3
    import threading

    folder = tmp_path / "a"
    _events_over_days(folder, range(1, 21))
    library = library_for(folder)
    _events_over_days(folder / "early", range(2, 20, 3))
    monkeypatch.setattr(compute, "CHUNK", 10)
    ranges = _regroups(monkeypatch)
    path = library.db.execute("PRAGMA database_list").fetchone()[2]
    got: list[int] = []

    def waiter() -> None:
        other = sqlite3.connect(path, timeout=60, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # waits for the update's lock
        got.append(len(ranges))
        other.execute("COMMIT")
        other.close()

    started = threading.Thread(target=waiter)
    regroup = compute._regroup

    def first_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not started.is_alive() and not got:
            started.start()  # asks for the lock while the first chunk holds it
        return regroup(*args, **kwargs)

    monkeypatch.setattr(compute, "_regroup", first_then_wait)
    library.index()
    started.join(60)
    assert len(ranges) >= 4
    assert got and got[0] < len(ranges)  # it got the lock before the update's last chunk
