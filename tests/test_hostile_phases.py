"""The two-phase index under attack: files that change, vanish or turn into something else
between the catalogue (phase 1) and the full parse (phase 2), or between a run stopped
after phase 1 and the one that resumes it. Each costs that file only, is named, and leaves
nothing half done (no file waiting for a full parse that will never come)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SEEDS

from newsreader.store import indexer
from newsreader.store.errors import NotFound
from newsreader.store.library import Library

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile


def _mutate(kind: str, path: Path) -> None:
    if kind == "vanished":
        path.unlink()
    elif kind == "a folder":
        path.unlink()
        path.mkdir()
    elif kind == "a symlink loop":
        path.unlink()
        os.symlink(path.name, path)
    elif kind == "a named pipe":
        path.unlink()
        os.mkfifo(path)
    elif kind == "a device":
        path.unlink()
        os.symlink("/dev/zero", path)
    elif kind == "binary":
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    elif kind == "another article":
        shutil.copy(sorted(SEEDS.iterdir())[0], path)


KINDS = ["vanished", "a folder", "a symlink loop", "a named pipe", "a device", "binary", "another article"]


def _archive(tmp_path: Path) -> tuple[Path, list[Path]]:
    archive = tmp_path / "archive"
    shutil.copytree(SEEDS, archive)
    return archive, sorted(archive.iterdir())[1:4]


@pytest.mark.parametrize("kind", KINDS)
def test_files_that_change_between_the_phases_cost_those_files_only(tmp_path: Path, kind: str):
    archive, victims = _archive(tmp_path)
    library = Library()
    said: list[tuple[str, str]] = []

    def listed() -> None:
        for path in victims:
            _mutate(kind, path)

    result = library.index([str(archive)], listed=listed, report=lambda path, why: said.append((path, why)))
    assert result is not None and result.completed == 5
    assert indexer.pending(library.db) == 0 and library.searchable()[0] == library.count()
    if kind == "another article":
        assert not said and library.count() == 2  # three copies of the first article: one entry
    else:
        assert sorted(path for path, _why in said) == [str(p) for p in victims]
        assert library.count() == 2
    if kind == "a folder":
        assert all("a folder" in why for _path, why in said), said
    for item in library.listings():
        assert library.article(item.id).text  # what is listed opens
    again = library.index()
    assert again is not None and indexer.pending(library.db) == 0
    library.close()


def test_a_run_stopped_after_the_catalogue_resumes_whatever_changed_meanwhile(tmp_path: Path):
    """Stopped (killed, interrupted) once every article was listed: the listed articles open
    from their files; files deleted, spoiled, moved or turned into folders before the next run
    are settled by it, and nothing waits for a full parse after it."""
    archive, _ = _archive(tmp_path)
    files = sorted(archive.iterdir())
    library = Library()
    stop: list[bool] = []
    library.index([str(archive)], listed=lambda: stop.append(True), should_stop=lambda: bool(stop))
    assert indexer.pending(library.db) == 5 and library.searchable() == (0, 5)
    files[0].unlink()
    files[1].write_text("garbage", encoding="utf-8")
    files[3].rename(archive / "moved.txt")
    files[4].unlink()
    files[4].mkdir()
    library.close()
    library = Library()
    opened = missing = 0
    for item in library.listings():
        try:
            library.article(item.id)
            opened += 1
        except NotFound as error:  # its file is gone or spoiled: said, never a traceback
            assert "not yet indexed" in str(error)
            missing += 1
    assert (opened, missing) == (1, 4)
    result = library.index()
    assert result is not None and indexer.pending(library.db) == 0
    assert library.searchable() == (2, 2)  # the untouched one and the moved one
    assert [path for path, _why in result.failed] == [str(files[1])]
    library.close()
