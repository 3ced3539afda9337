"""Killed again and again: index killed 20 times at random moments by SIGKILL, SIGINT and
SIGTERM while stars are written in parallel (by the CLI and by a busy writer). Every star
that was reported done is kept, the cache stays usable, the next index completes."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

STARRER = """
import sys, time
from pathlib import Path
from newsreader.store.state import State
state = State(Path(sys.argv[1]))
n = 0
while True:
    article_id = f"{n:016x}"
    state.set_starred(article_id)
    print(article_id, flush=True)  # only once the write returned: this star must be kept
    n += 1
    time.sleep(0.01)  # a busy writer (~100 stars a second), not a CPU hog slowing every round
"""


def popen(*args: str) -> subprocess.Popen:
    # Commits every 0.1 s instead of 4 s: a run is seen part committed on a fast machine too.
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"} | {"NEWSREADER_COMMIT_EVERY": "0.1"}
    return subprocess.Popen([sys.executable, "-m", "newsreader", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)


def test_killed_20_times_while_starring_in_parallel(tmp_path: Path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    big = tmp_path / "big"
    synth.build(big, 500, body_chars=2500, corpus=False)
    assert run_cli("index", str(seeds)).returncode == 0
    ids = [item["id"] for item in json.loads(run_cli("list", "--json").stdout)]
    state_file = Path(os.environ["XDG_DATA_HOME"]) / "newsreader" / "state.sqlite"
    starrer = subprocess.Popen([sys.executable, "-c", STARRER, str(state_file)], stdout=subprocess.PIPE,
                               text=True, env=os.environ.copy())
    rng = random.Random(20)
    signals = [signal.SIGKILL, signal.SIGINT, signal.SIGTERM]
    kept: dict[str, bool] = {}  # article id -> starred, by every star/unstar that said it was done
    stats = {"killed": 0, "finished": 0}
    cache_file = Path(os.environ["XDG_CACHE_HOME"]) / "newsreader" / "cache.sqlite"
    files = [p for p in big.rglob("*") if p.is_file()]
    progress: list[int] = []  # files of the round's version stored when it ended
    try:
        for round_ in range(20):
            stamp = (1_700_000_000 + round_) * 10**9  # every file changed: each run has all to do again
            for path in files:
                os.utime(path, ns=(stamp, stamp))
            index = popen("index", str(big))
            article = ids[round_ % len(ids)]
            verb = "star" if rng.random() < 0.7 else "unstar"
            star = popen(verb, article)
            # half the kills early (start-up, parsing), half once some batches were committed
            if round_ % 2:
                time.sleep(rng.uniform(0.05, 1.0))
            else:
                _wait_for_a_commit(index, cache_file, stamp, len(files))
                time.sleep(rng.uniform(0, 0.2))
            if index.poll() is None:
                index.send_signal(signals[round_ % 3])
                stats["killed"] += 1
            else:
                stats["finished"] += 1
            if rng.random() < 0.3 and star.poll() is None:
                star.send_signal(rng.choice(signals))  # a star killed too: whole or absent
            _out, err = index.communicate(timeout=60)
            assert b"Traceback" not in err, err.decode()
            _star_out, star_err = star.communicate(timeout=60)
            assert b"Traceback" not in star_err, star_err.decode()
            if star.returncode == 0:
                kept[article] = verb == "star"
            cache = sqlite3.connect(cache_file)
            with contextlib.suppress(sqlite3.Error):
                done = cache.execute("SELECT count(*) FROM files WHERE mtime_ns = ?", (stamp,)).fetchone()[0]
                progress.append(done)
            cache.close()
    finally:
        starrer.kill()
        written, _ = starrer.communicate()
    assert stats["killed"] >= 12, stats  # the kills were real, mostly mid-run
    assert sum(0 < n < len(files) for n in progress) >= 3, progress  # kills after some batches were committed
    state = sqlite3.connect(state_file)
    starred = {row[0] for row in state.execute("SELECT article_id FROM starred")}
    assert state.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    state.close()
    busy = written.split()
    assert len(busy) > 100 and set(busy) <= starred  # every star reported written is there
    for article, on in kept.items():
        assert (article in starred) == on, article
    db = sqlite3.connect(cache_file)
    assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    db.close()
    listing = run_cli("list", "--limit", "3")
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    done = run_cli("index")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert len(run_cli("list").stdout.splitlines()) == 505
    assert "0 read (505 unchanged)" in run_cli("index").stderr


def _wait_for_a_commit(index: subprocess.Popen, cache_file: Path, stamp: int, total: int) -> None:
    """Until the run has committed some (not all) of this round's files, or ended (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and index.poll() is None:
        with contextlib.suppress(sqlite3.Error):
            cache = sqlite3.connect(f"file:{cache_file}?mode=ro", uri=True, timeout=0.1)
            try:
                done = cache.execute("SELECT count(*) FROM files WHERE mtime_ns = ?", (stamp,)).fetchone()[0]
            finally:
                cache.close()
            if 0 < done < total:
                return
        time.sleep(0.02)


def test_a_worker_killed_mid_index_is_replaced_and_every_file_read(tmp_path: Path):
    """The OOM killer (or a user) kills a parsing worker: the pool starts again with the
    batches not yet handed on, and the run completes (it ended in BrokenProcessPool)."""
    big = tmp_path / "big"
    synth.build(big, 300, body_chars=2500, corpus=False)
    index = popen("index", str(big))
    deadline = time.monotonic() + 60
    victim = None
    while victim is None and time.monotonic() < deadline and index.poll() is None:
        for pid in _children(index.pid):
            workers = _children(pid)
            if workers and b"forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
                victim = min(workers)
        time.sleep(0.05)
    assert victim is not None, "no worker seen before index ended"
    os.kill(victim, signal.SIGKILL)
    _out, err = index.communicate(timeout=300)
    assert index.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"300 articles added" in err, err.decode()


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                data = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            if int(data[data.rfind(b")") + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_no_helper_process_of_index_holds_the_callers_stderr(tmp_path: Path):
    """The fork server, the resource tracker and the workers write nothing on the user's
    stderr: a worker still starting when index was interrupted printed multiprocessing's
    traceback there (the fork server had inherited descriptor 2)."""
    big = tmp_path / "big"
    synth.build(big, 200, body_chars=2500, corpus=False)
    index = popen("index", str(big))
    caller_stderr = os.readlink(f"/proc/{index.pid}/fd/2")
    seen: dict[int, str] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and index.poll() is None:
        pending = _children(index.pid)
        while pending:
            pid = pending.pop()
            with contextlib.suppress(OSError):
                seen[pid] = os.readlink(f"/proc/{pid}/fd/2")
                pending.extend(_children(pid))
        if len(seen) >= 3:  # the tracker, the fork server and a worker
            break
        time.sleep(0.02)
    index.terminate()  # what was to be seen is seen: no need to index the rest
    index.communicate(timeout=120)
    assert len(seen) >= 3, seen
    assert caller_stderr not in seen.values(), seen


@pytest.mark.parametrize("stall", ["freeze", "forever"])
def test_a_file_that_freezes_its_worker_every_time_is_skipped_and_named(monkeypatch: pytest.MonkeyPatch, stall: str):
    """A worker frozen (SIGSTOP) or busy forever never handed its batch back: the writer waited
    forever. The watchdog kills it; the pool starts again, narrows the batch down to the file
    and, when that file freezes its worker again, skips it with the reason; the rest is read,
    in order."""
    import stalling

    from newsreader.store import watchdog
    from newsreader.store.pool import Parsers

    monkeypatch.setattr(watchdog, "STALL_AFTER", 0.5)  # a stopped worker: killed at once
    # one that is busy (sleeping in a loop here): killed when no result came for this long (600 s
    # in use); long enough that a new pool's first result, on a loaded machine, is never taken for it
    monkeypatch.setattr(watchdog, "RUNAWAY_AFTER", 8.0 if stall == "forever" else 600.0)
    files = [f"/nowhere/{n:03}" for n in range(100)]
    files[57] = f"/nowhere/057-{stall}"
    parsers = Parsers(None, lambda: False)
    results: list = []
    started = time.monotonic()

    def run() -> None:
        try:
            results.extend(parsers.run(files, stalling.work))
        finally:
            parsers.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(300)  # (a hang is forever; this is minutes on a loaded machine)
    assert not thread.is_alive(), f"still waiting after {len(results)} results"
    assert [r.path for r in results] == files
    [bad] = [r for r in results if r.error]
    assert bad.path == files[57] and "stopped or hung" in bad.error, bad
    assert time.monotonic() - started < 60  # two stalls and three pool starts; waited forever before


@pytest.mark.parametrize("what", ["fork server", "worker", "both"])
def test_index_goes_on_when_its_fork_server_or_a_worker_is_stopped(tmp_path: Path, what: str):
    """SIGSTOP on the fork server (index waited forever for the worker it was asked for) or a
    worker (for its batch): the frozen helper is killed, replaced, and every file is read."""
    big = tmp_path / "big"
    synth.build(big, 200, body_chars=2500, corpus=False)
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"} | {"NEWSREADER_STALL_AFTER": "1"}
    index = subprocess.Popen([sys.executable, "-m", "newsreader", "index", str(big)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 60
    victims: list[int] = []
    while not victims and time.monotonic() < deadline and index.poll() is None:
        for pid in _children(index.pid):
            with contextlib.suppress(OSError):
                if b"forkserver" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                    continue
            workers = _children(pid)
            if what == "fork server":
                victims = [pid]
            elif workers:
                victims = [min(workers)] + ([pid] if what == "both" else [])
        time.sleep(0.02)
    assert victims, "no helper seen before index ended"
    for pid in victims:
        os.kill(pid, signal.SIGSTOP)
    try:
        _out, err = index.communicate(timeout=240)
    finally:
        index.kill()
        for pid in victims:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)
    assert index.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"200 articles added" in err, err.decode()


def test_a_file_its_worker_died_on_keeps_its_articles_and_is_read_again_next_run():
    """A file skipped because the process reading it died or froze lost its articles (the
    error result removed them) and was never read again (its size and time were recorded as
    if read): the cause was not in the file. Its articles stay; the next run reads it."""
    from conftest import SEEDS

    from newsreader.store.library import Library
    from newsreader.store.pool import _not_read
    from newsreader.store.writer import IndexResult, Writer

    library = Library()
    library.index([str(SEEDS)])
    before = {item.id for item in library.listings()}
    path = library.listings()[0].source
    library.db.execute("BEGIN IMMEDIATE")
    Writer(library.db, IndexResult()).apply(_not_read(path, stalled=True))
    library.db.execute("COMMIT")
    assert {item.id for item in library.listings()} == before
    again = library.index()
    assert again is not None and again.parsed == 1 and not again.failed  # read again, not skipped as unchanged
    assert {item.id for item in library.listings()} == before
    library.close()
