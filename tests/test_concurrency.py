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


@pytest.fixture
def big_archive(tmp_path: Path) -> Path:
    target = tmp_path / "big"
    synth.build(target, 900, body_chars=3000)
    return target


def start_index(path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsreader", "index", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def count() -> int:
    result = run_cli("list", "--json")
    return len(json.loads(result.stdout)) if result.stdout.strip() else 0


def test_kill_9_mid_index_then_readers_work_and_index_completes(big_archive: Path):
    process = start_index(big_archive)
    time.sleep(1.5)  # past start-up, into parsing and writing
    assert process.poll() is None, "index finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "newsreader" / "cache.sqlite"
    db = sqlite3.connect(cache)
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    partial = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    assert partial < 900
    again = run_cli("index")  # takes up where the killed run stopped
    assert again.returncode == 0, again.stderr
    assert f"{900 - partial} articles added" in again.stderr
    assert count() == 900
    assert "0 read (900 unchanged)" in run_cli("index").stderr


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
        assert "locked" not in err
    assert readers_ok >= 1
    assert count() == 900
