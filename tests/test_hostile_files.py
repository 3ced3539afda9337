"""Hostile files and names: pipes, devices, names that are not UTF-8, unpaired surrogates,
unreadable and over-deep folders. Only regular files are read; what is skipped is named."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader import paths
from newsreader.cli import output
from newsreader.sources import ParseError, read_regular
from newsreader.store import walk
from newsreader.store.library import Library

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

SEED_TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())}
FEED_ITEM = SEED_TEXTS["002_99f4a36bfbb7c279.txt"]
DW_JSON = SEED_TEXTS["000_0cb8acfcbe239174.txt"]
GBK_FOLDER = "新闻".encode("gbk")  # b'\xd0\xc2\xce\xc5': not UTF-8, as old zip archives extract
GBK_FILE = "标题.txt".encode("gbk")


def messages() -> tuple[list[tuple[str, str]], walk.Report]:
    said: list[tuple[str, str]] = []
    return said, lambda path, why: said.append((path, why))


def test_pipes_and_devices_are_skipped_with_a_word_and_nothing_hangs(tmp_path: Path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "item.txt").write_text(FEED_ITEM, encoding="utf-8")
    os.mkfifo(root / "pipe")
    os.symlink("/dev/zero", root / "zero")
    os.symlink(tmp_path / "nowhere", root / "dangling")
    started = time.monotonic()
    result = run_cli("index", str(root))
    assert result.returncode == 0, result.stderr
    for name, why in (("pipe", "named pipe"), ("zero", "a device"), ("dangling", "link to nothing")):
        assert f"{root / name}: skipped: " in result.stderr and why in result.stderr, name
    assert "Traceback" not in result.stderr
    listing = run_cli("list")  # and afterwards every command still answers (it hung forever)
    assert listing.returncode == 0 and listing.stdout.count("\n") == 1
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "/dev/null"])
def test_a_pipe_or_device_given_to_index_is_refused_not_read(tmp_path: Path, target: str):
    if target == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
    result = run_cli("index", target)
    assert result.returncode == 2 and "not a regular file" in result.stderr
    assert result.stderr.count("\n") == 1
    assert target not in run_cli("sources").stdout  # not remembered: later commands never touch it


def test_a_remembered_pipe_source_does_not_make_every_command_reindex(tmp_path: Path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    (tmp_path / "item.txt").write_text(FEED_ITEM, encoding="utf-8")
    library = Library()
    library.state.add_sources([str(fifo), str(tmp_path / "item.txt")])
    said, report = messages()
    result = library.index(report=report)
    assert result is not None and result.articles_added == 1
    assert said == [(str(fifo), "skipped: a named pipe (FIFO), only regular files are read")]
    assert not library.needs_index()


def test_reading_refuses_non_regular_files_and_reports_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ParseError, match="not a regular file"):
        read_regular(str(fifo))  # returns at once, never blocks on the pipe
    with pytest.raises(ParseError, match="not a regular file"):
        read_regular("/dev/zero")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    monkeypatch.setattr("newsreader.sources.MAX_FILE_BYTES", 4096)
    with pytest.raises(ParseError, match="too large"):
        read_regular(str(big))


def test_names_that_are_not_utf8_are_indexed_listed_and_shown_escaped(tmp_path: Path):
    root = tmp_path / "archive"
    folder = os.path.join(os.fsencode(root), GBK_FOLDER)
    os.makedirs(folder)
    with open(os.path.join(folder, GBK_FILE), "w", encoding="utf-8") as handle:
        handle.write(FEED_ITEM)
    result = run_cli("index", str(root))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "1 articles added" in result.stderr
    listing = run_cli("list", "--json")
    assert listing.returncode == 0, listing.stderr
    [item] = json.loads(listing.stdout)
    assert item["source"] == f"{root}/\\xd0\\xc2\\xce\\xc5/\\xb1\\xea\\xcc\\xe2.txt"
    shown = run_cli("show", item["id"], "--format", "json")
    assert json.loads(shown.stdout)["sources"] == [item["source"]]
    again = run_cli("index")  # the stored name finds the file again: nothing re-read, nothing dropped
    assert "1 files, 0 read (1 unchanged)" in again.stderr and "0 removed" in again.stderr
    # the name itself as a source, given on the command line
    gbk_root = os.fsdecode(folder)
    remembered = run_cli("index", gbk_root)
    assert remembered.returncode == 0, remembered.stderr
    assert f"{root}/\\xd0\\xc2\\xce\\xc5" in run_cli("sources").stdout
    assert run_cli("sources", "--remove", gbk_root).returncode == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b),
                min_size=1, max_size=4))
def test_path_text_round_trips_every_byte_name_and_keeps_prefixes(parts: list[bytes]):
    raw = b"/" + b"/".join(parts)
    text = paths.internal(raw)
    text.encode("utf-8")  # storable: valid Unicode
    assert os.fsencode(paths.external(text)) == raw
    parent = paths.internal(b"/" + b"/".join(parts[:-1]))
    assert text.startswith(parent.rstrip("/") + "/")
    shown = paths.display(text)
    shown.encode("utf-8")
    assert "\x00" not in shown


def test_an_unpaired_surrogate_in_a_title_is_replaced_not_a_traceback(tmp_path: Path):
    data = json.loads(DW_JSON)
    data["name"] = "标题\ud800尾"
    data["teaser"] = "\udfff摘要"
    data["permaLink"] = "https://www.dw.com/zh/\ud800/a-1"  # fields no cleaning passes through
    for block in data["body"]:
        if isinstance(block.get("content"), dict) and block["content"].get("type") == "Image":
            block["content"]["name"] = "图\ud83d"
    (tmp_path / "dw.json").write_text(json.dumps(data), encoding="utf-8")  # JSON escapes: \\ud800
    result = run_cli("index", str(tmp_path))
    assert result.returncode == 0 and "1 articles added" in result.stderr, result.stderr
    for args in (("list",), ("list", "--json"), ("export",), ("search", "标题")):
        out = run_cli(*args)
        assert out.returncode == 0 and "Traceback" not in out.stderr, args
        assert "标题\ufffd尾" in out.stdout


def test_unreadable_and_over_deep_folders_are_skipped_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "archive"
    deep = root / "d1" / "d2" / "d3" / "d4"
    deep.mkdir(parents=True)
    (root / "d1" / "ok.txt").write_text(FEED_ITEM, encoding="utf-8")
    (deep / "far.txt").write_text("not read", encoding="utf-8")
    locked = root / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("not read", encoding="utf-8")
    monkeypatch.setattr(walk, "MAX_DEPTH", 3)
    real_scandir = os.scandir

    def scandir(path):  # root reads every folder, so the refusal is injected (as a user's EACCES)
        if os.fsdecode(path) == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    said, report = messages()
    result = Library().index([str(root)], report=report)
    assert result is not None and result.articles_added == 1
    assert (str(locked), "skipped: cannot read the folder (Permission denied)") in said
    assert (str(deep), "skipped: a folder more than 3 folders deep") in said
    assert sorted(p for p, _ in result.skipped) == sorted([str(deep), str(locked)])


def test_a_folder_too_deep_for_the_system_is_skipped_with_a_word(tmp_path: Path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "ok.txt").write_text(FEED_ITEM, encoding="utf-8")
    fd = os.open(root, os.O_RDONLY)
    try:  # build a chain longer than PATH_MAX, one relative step at a time
        for _ in range(40):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    said, report = messages()
    result = Library().index([str(root)], report=report)
    assert result is not None and result.articles_added == 1
    assert said and all("skipped:" in why for _, why in said)


def test_xdg_folders_whose_names_are_not_utf8(tmp_path: Path):
    odd = os.path.join(os.fsencode(tmp_path), b"xdg\xff\xb0")
    os.makedirs(odd)
    env = {"XDG_CACHE_HOME": os.fsdecode(odd + b"/c"), "XDG_DATA_HOME": os.fsdecode(odd + b"/d")}
    listing = run_cli("list", env=env)
    assert listing.returncode == 0 and len(listing.stdout.splitlines()) == 5, listing.stderr
    star = run_cli("star", listing.stdout.split()[0], env=env)
    assert star.returncode == 0, star.stderr
    starred = run_cli("list", "--starred", env=env)
    assert starred.returncode == 0 and len(starred.stdout.splitlines()) == 1, starred.stderr
    assert os.path.exists(odd + b"/d/newsreader/state.sqlite")


def test_a_backslash_x_in_a_name_never_looks_like_an_undecodable_byte(tmp_path: Path):
    """A file literally named '\\xb0.txt' and one named with the byte 0xB0 were shown alike
    (in messages, JSON and sources): a backslash that could start an escape is shown doubled."""
    root = tmp_path / "names"
    root.mkdir()
    literal, byte = os.path.join(os.fsencode(root), b"\\xb0.txt"), os.path.join(os.fsencode(root), b"\xb0.txt")
    for name in (literal, byte):
        with open(name, "wb") as handle:
            handle.write(b"not an article")
    result = run_cli("index", str(root))
    said = sorted(line.split(": ")[1] for line in result.stderr.splitlines() if "known format" in line)
    assert said == [f"{root}/\\\\xb0.txt", f"{root}/\\xb0.txt"], result.stderr
    assert paths.display(paths.internal(b"/a/\\\\xb0")) == "/a/\\\\\\\\xb0"  # two backslashes: both doubled
    assert paths.display(paths.internal(b"/a/\\\xb0")) == "/a/\\\\\\xb0"  # a backslash, then the byte
    assert paths.display("C:\\Users\\nobody") == "C:\\Users\\nobody"  # nothing to mistake: as it is
    assert output.shown("标题 \\xb0") == "标题 \\xb0"  # text that is not a path is never changed


_PIECES = st.lists(st.sampled_from([b"\\", b"x", b"b", b"0", b"f", b"\xb0", b"\\x", b"\xff", b"a"]), max_size=8)


@settings(max_examples=400, deadline=None)
@given(_PIECES, _PIECES)
def test_two_different_names_never_display_alike(one: list[bytes], other: list[bytes]):
    first, second = b"".join(one), b"".join(other)
    if first != second:
        assert paths.display(paths.internal(first)) != paths.display(paths.internal(second))
