"""Kills and concurrency: a killed index leaves a usable cache; writers and readers coexist."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth

N = 400  # files: enough for a run of several batches on both cores


@pytest.fixture
def big_archive(tmp_path: Path) -> Path:
    target = tmp_path / "big"
    synth.build(target, N, body_chars=3000, corpus=False)
    return target


def start_index(path: Path, commit_every: float | None = None) -> subprocess.Popen:
    env = {**os.environ} | ({"NEWSREADER_COMMIT_EVERY": str(commit_every)} if commit_every else {})
    return subprocess.Popen([sys.executable, "-m", "newsreader", "index", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _progress(cache: Path) -> tuple[int, int]:
    """(articles listed, files still waiting for their full parse) as a reader sees them now."""
    try:
        db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM pending)").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return 0, 0


def _wait_for_a_partial_commit(process: subprocess.Popen, cache: Path) -> None:
    """Until the run has committed part of its work (it is mid-way), at most 60 s: some but
    not all articles listed, or all listed and some files still waiting for the full parse."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        articles, waiting = _progress(cache)
        if 0 < articles < N or (articles and waiting):
            return
        time.sleep(0.02)


def count() -> int:
    result = run_cli("list", "--json")
    return len(json.loads(result.stdout)) if result.stdout.strip() else 0


@pytest.mark.hostile
def test_kill_9_mid_index_then_readers_work_and_index_completes(big_archive: Path):
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "newsreader" / "cache.sqlite"
    process = start_index(big_archive, commit_every=0.1)  # batches committed often: killed mid-way
    _wait_for_a_partial_commit(process, cache)  # past start-up, into parsing and writing
    assert process.poll() is None, "index finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    db = sqlite3.connect(cache)
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    partial, waiting = db.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM pending)").fetchone()
    db.close()
    assert 0 < partial < N or waiting
    again = run_cli("index")  # takes up where the killed run stopped
    assert again.returncode == 0, again.stderr
    assert f"{N - partial} articles added" in again.stderr
    assert count() == N
    assert _progress(cache) == (N, 0)
    assert f"0 read ({N} unchanged)" in run_cli("index").stderr


def test_two_writers_and_readers_at_once(big_archive: Path):
    writers = [start_index(big_archive), start_index(big_archive)]
    readers_ok = 0
    while any(w.poll() is None for w in writers):
        result = run_cli("list", "--limit", "5")
        assert "locked" not in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 1)
        readers_ok += 1
    for writer in writers:
        _out, err = writer.communicate()
        assert writer.returncode == 0, err
        assert "locked" not in err, err
    assert readers_ok >= 1
    assert count() == N


def _descendants(pid: int) -> set[int]:
    """Every process whose ancestry leads to ``pid`` (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    data = handle.read()
            except OSError:
                continue
            parents[int(entry)] = int(data[data.rfind(b")") + 2:].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.hostile
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to find the workers")
def test_workers_die_with_a_killed_index_that_nobody_reaps(big_archive: Path):
    """A caller blocked reading the pipes does not reap: the killed index is a zombie. Its
    workers must still die and let go of the pipes, so the caller's read ends."""
    process = start_index(big_archive)
    deadline = time.monotonic() + 30
    while len(_descendants(process.pid)) < 2 and time.monotonic() < deadline:  # forkserver + workers
        time.sleep(0.05)
    helpers = _descendants(process.pid)
    assert len(helpers) >= 2 and process.poll() is None, "index ended before its workers were seen"
    os.kill(process.pid, signal.SIGKILL)  # and no wait(): the zombie stays
    started = time.monotonic()
    process.communicate(timeout=20)  # hung forever before: the workers held the pipes
    assert time.monotonic() - started < 10
    time.sleep(0.5)
    from newsreader.store.workers import alive

    left = [pid for pid in helpers if alive(pid)]
    assert not left, f"workers still running: {left}"
