"""Work on a big cache while it changes: one changed file, a killed index, the app while indexing.

    python benchmarks/bench_changes.py N [--new K] [--kill-after S] [--skip STEP ...]

On out/home-N and out/archive-N (``fabricate.py N`` or ``bench_index.py N``), as a user would:

- ``one_changed``: one file of the archive gets a paragraph more (written as a file of its own,
  so its hard-linked copies keep theirs); ``newsreader index`` is timed (wall, CPU of the process
  tree, peak memory of the tree as summed RSS and as PSS) beside an index with nothing changed,
  and its summary says how many files it read. The file is then put back as it was (and indexed
  again) so the archive stays as fabricated.
- ``kill``: K new files (``synth.py``, numbered past every fabricated article) go into a folder of
  the archive; ``newsreader index`` runs while another process reads the cache every 0.1 s
  (its files and its unfinished work: what a kill would keep); it is killed (SIGKILL, the whole
  process group) ``S`` seconds into its second phase. Reported: when the first commit came (the
  walk of the whole archive precedes it), the longest time the cache then went without a commit
  while the index worked (the most a kill can lose), the time since the last
  commit at the kill (what this kill lost), and the next run, which must finish the work: the
  files it read and that every new article is then listed and none left unfinished.
- ``app``: K other new files; the app (in process, Textual's test driver, 120×40) starts on the
  cache and indexes them in the background, as it does on every start; while that runs, every
  0.5 s a step a person takes (open the newest article, n, p, t, a search) is timed on the UI
  thread (wall, and the UI thread's own CPU, which the machine's load does not inflate; a search
  runs in a thread of its own, as the app's does), and a 20 ms timer measures how late the event
  loop runs (a frozen screen shows as a late timer). Reported: the median and slowest of each, and
  how long the index took; then the same steps with nothing indexing, in the same conditions.

Afterwards the new folders are deleted and indexed away. Prints one JSON object per step.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import synth
from common import OUT, env_for, tree_memory_kb

CLI = [sys.executable, "-m", "newsreader"]
SUMMARY = re.compile(r"(\d+) files, (\d+) read \((\d+) unchanged\)")


def measured(args: list[str], env: dict[str, str], *, kill_when=None, watch=None) -> dict:
    """Run a command in its own process group: wall, CPU of the tree, peak RSS and PSS of the
    tree (sampled every 50 ms), its summary line; ``kill_when()`` true kills the group;
    ``watch()`` is called every 0.1 s while it runs."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    cpu: dict[int, float] = {}
    peaks = {"rss": 0, "pss": 0}
    killed = [None]

    def sample() -> None:
        while process.poll() is None:
            memory = tree_memory_kb(process.pid, cpu)
            peaks["rss"], peaks["pss"] = max(peaks["rss"], memory["rss"]), max(peaks["pss"], memory["pss"])
            if kill_when is not None and killed[0] is None and kill_when():
                killed[0] = time.perf_counter() - start
                os.killpg(process.pid, signal.SIGKILL)
            time.sleep(0.05)

    def watching() -> None:
        while process.poll() is None:
            watch(time.perf_counter() - start)
            time.sleep(0.1)

    threads = [threading.Thread(target=sample, daemon=True)]
    if watch is not None:
        threads.append(threading.Thread(target=watching, daemon=True))
    for thread in threads:
        thread.start()
    _out, err = process.communicate()
    wall = time.perf_counter() - start
    for thread in threads:
        thread.join()
    found = SUMMARY.search(err)
    figures = {"wall_s": round(wall, 2), "cpu_s": round(sum(cpu.values()), 2),
               "peak_tree_rss_mb": peaks["rss"] // 1024, "peak_tree_pss_mb": peaks["pss"] // 1024,
               "exit": process.returncode}
    if found:
        figures.update(files=int(found[1]), read=int(found[2]), unchanged=int(found[3]))
    if killed[0] is not None:
        figures["killed_at_s"] = round(killed[0], 2)
    elif process.returncode:
        raise SystemExit(f"{' '.join(args)} failed: {err[-2000:]}")
    return figures


def cache_of(home: Path) -> Path:
    return home / "cache" / "newsreader" / "cache.sqlite"


def reader(cache: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=5, check_same_thread=False)


def one_changed(home: Path, root: Path, env: dict[str, str]) -> dict:
    """One file gets a paragraph more: what `newsreader index` then costs, beside nothing changed."""
    with reader(cache_of(home)) as db:
        # a base file, not a fabricated copy: a copy's text names the base's URL, so reading it
        # again would (rightly) fold its article into the base's (one article per URL)
        path = Path(db.execute("SELECT path FROM files WHERE path LIKE '%.txt' AND path LIKE ? "
                               "AND path NOT GLOB '*_c[0-9][0-9][0-9][0-9].txt' ORDER BY path DESC LIMIT 1",
                               (f"%{os.sep}jekyll{os.sep}%",)).fetchone()[0])
    original = path.read_bytes()
    unchanged = measured([*CLI, "index"], env)
    try:
        path.unlink()  # its own inode: the hard-linked copies keep the old text and mtime
        path.write_bytes(original + "\n<p>补记：本文发表后，编辑部又补充了一段说明。</p>\n".encode())
        changed = measured([*CLI, "index"], env)
    finally:
        path.unlink()
        path.write_bytes(original)
    back = measured([*CLI, "index"], env)
    return {"step": "one_changed", "file": str(path.relative_to(root)), "unchanged": unchanged,
            "one_changed": changed, "put_back": back}


def new_files(root: Path, name: str, count: int, first: int, cache: Path) -> Path:
    """``count`` new synthetic files under ``root/name``, published in the archive's last two
    days, as new articles are (articles of many old days make the stories update regroup
    every day from the oldest to the newest)."""
    folder = root / name
    shutil.rmtree(folder, ignore_errors=True)
    with reader(cache) as db:
        newest = db.execute("SELECT max(published) FROM articles").fetchone()[0]
    start = datetime.fromtimestamp(newest, UTC) - timedelta(days=2)
    synth.build(folder, count, seed=first % 1000 + 11, first=first, start=start, days=2)
    return folder


def kill(home: Path, root: Path, env: dict[str, str], count: int, after: float, first: int) -> dict:
    """Kill an index of ``count`` new files ``after`` seconds into its second phase; the next run finishes."""
    folder = new_files(root, "new-kill", count, first, cache_of(home))
    prefix = str(folder) + os.sep
    db = reader(cache_of(home))
    before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    seen: list[tuple[float, int, int]] = []  # (seconds, new files the cache holds, files not yet parsed in full)

    def look(now: float) -> None:
        try:
            known = db.execute("SELECT count(*) FROM files WHERE path >= ? AND path < ?",
                               (prefix, prefix[:-1] + chr(ord(os.sep) + 1))).fetchone()[0]
            unfinished = db.execute("SELECT count(*) FROM pending").fetchone()[0]
        except sqlite3.Error:
            return
        if not seen or (known, unfinished) != seen[-1][1:]:
            seen.append((now, known, unfinished))

    phase_two = [None]

    def kill_when() -> bool:
        if not seen or seen[-1][2] == 0 or seen[-1][1] < count:
            return False  # not yet in the second phase (every new file catalogued, some unfinished)
        if phase_two[0] is None:
            phase_two[0] = seen[-1][0]
        return seen[-1][0] - phase_two[0] >= after or (time.perf_counter() - started) - phase_two[0] >= after

    started = time.perf_counter()
    run = measured([*CLI, "index"], env, kill_when=kill_when, watch=look)
    at_kill = run.get("killed_at_s")
    commits = [t for t, _k, _u in seen[1:]]  # seen[0]: the cache as the run found it
    gaps = [b - a for a, b in itertools.pairwise(commits)]
    left = db.execute("SELECT count(*) FROM pending").fetchone()[0]
    listed = db.execute("SELECT count(*) FROM files WHERE path >= ? AND path < ?",
                        (prefix, prefix[:-1] + chr(ord(os.sep) + 1))).fetchone()[0]
    rerun = measured([*CLI, "index"], env)
    after_rows = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    unfinished = db.execute("SELECT count(*) FROM pending").fetchone()[0]
    db.close()
    return {"step": "kill", "new_files": count, "killed_run": run,
            # before its first commit the run walks and stats the whole archive (nothing to keep yet)
            "first_commit_s": round(commits[0], 2) if commits else None,
            "commits_seen": len(commits), "longest_without_commit_s": round(max(gaps, default=0.0), 2),
            "commit_gaps_s": [round(g, 1) for g in gaps],
            "lost_at_kill_s": round(at_kill - commits[-1], 2) if at_kill is not None and commits else None,
            "after_kill": {"new_files_listed": listed, "files_left_unfinished": left},
            "next_run": rerun, "articles_added": after_rows - before, "unfinished_after": unfinished}


async def drive_app(count: int, indexing_on: bool = True, quiet_rounds: int = 8) -> dict:
    """The app on the cache with ``count`` new files to index: UI steps and event-loop lateness
    while it indexes them (``indexing_on``), or, for comparison in the same conditions, while it
    does not (``quiet_rounds`` rounds of the same steps)."""
    from textual.worker import WorkerState

    from newsreader.store.library import Library
    from newsreader.tui.app import NewsReaderApp

    library = Library()
    app = NewsReaderApp(library, index_on_start=indexing_on)
    app.opener = lambda url, kind="link": "recorded"
    steps: dict[str, list[float]] = {}
    late: list[float] = []
    done: list[float] = []
    hits: list = []
    rounds = 0
    began: list[bool] = []
    searcher: list[Library] = []  # a connection of the search thread's own, as the app's search worker has

    def search(query: str) -> list:
        if not searcher:
            searcher.append(Library())
        return searcher[0].search(query, limit=50)

    started = time.perf_counter()

    def indexing() -> bool:
        """Whether the app's background index is still running (noted when it ends); without
        one, whether the quiet rounds are still going."""
        if not indexing_on:
            if rounds >= quiet_rounds and not done:
                done.append(time.perf_counter() - started)
            return not done
        running = any(w.group == "index" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                      for w in app.workers)
        if running:
            began.append(True)  # the index starts once the first screen is drawn, not at mount
        if began and not running and not done:
            done.append(time.perf_counter() - started)
        return running

    cpu: dict[str, list[float]] = {}

    def timed(name: str, step) -> None:
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        step()
        steps.setdefault(name, []).append((time.perf_counter() - begin) * 1000)
        cpu.setdefault(name, []).append((time.thread_time() - begin_cpu) * 1000)

    async with app.run_test(size=(120, 40)) as pilot:
        expected = [time.perf_counter() + 0.02]

        def tick() -> None:
            now = time.perf_counter()
            if indexing():  # while the index runs
                late.append((now - expected[0]) * 1000)
            expected[0] = now + 0.02

        app.set_interval(0.02, tick)
        queries = ["台湾", "习近平", "的", "中国 美国"]
        loop = asyncio.get_running_loop()
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        while not done and time.perf_counter() - started < (3600 if began or not indexing_on else 120):
            newest = library.listings(limit=1)[0].id
            timed("open article", lambda: app.main.open_id(newest))  # noqa: B023 - called at once
            await pilot.pause()
            timed("next article (n)", app.main.action_next_article)
            await pilot.pause()
            timed("previous article (p)", app.main.action_previous_article)
            await pilot.pause()
            timed("script toggle (t)", app.main.action_toggle_script)
            await pilot.pause()
            query = queries[rounds % len(queries)]
            begin = time.perf_counter()
            hits = await loop.run_in_executor(pool, search, query)
            steps.setdefault("search page (worker thread, wall)", []).append((time.perf_counter() - begin) * 1000)
            rounds += 1
            await asyncio.sleep(0.5)
        await app.workers.wait_for_complete()
        pool.submit(lambda: searcher and searcher[0].close()).result()
        pool.shutdown()
    library.close()
    return {"step": "app while indexing" if indexing_on else "app, nothing indexing (same steps, for comparison)",
            "new_files": count if indexing_on else 0,
            "index_done_after_s": round(done[0], 1) if done and indexing_on else None,
            "rounds": rounds, "last_search_hits": len(hits),
            "ui_steps_ms": {k: {"median": round(statistics.median(v), 1), "max": round(max(v), 1)}
                            for k, v in steps.items()},
            "ui_steps_cpu_ms": {k: {"median": round(statistics.median(v), 1), "max": round(max(v), 1)}
                                for k, v in cpu.items()},
            "event_loop_late_ms": {"median": round(statistics.median(late), 1),
                                   "p99": round(sorted(late)[int(len(late) * 0.99)], 1),
                                   "max": round(max(late), 1), "ticks": len(late)}}


def main() -> None:
    """Run the steps on out/home-N."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--new", type=int, default=5000, help="new files for the kill and the app steps")
    parser.add_argument("--kill-after", type=float, default=20.0, help="seconds into the second phase")
    parser.add_argument("--skip", action="append", default=[], choices=("one_changed", "kill", "app"))
    args = parser.parse_args()
    home, root = OUT / f"home-{args.count}", (OUT / f"archive-{args.count}").resolve()
    if not cache_of(home).exists():
        raise SystemExit(f"run: python benchmarks/fabricate.py {args.count}")
    env = env_for(home)
    os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
    first = 10 ** 8  # past any article number synth.py gave the fabricated archive's base
    print(json.dumps({"articles": args.count, "load": os.getloadavg(),
                      "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                               text=True).stdout.strip()}), flush=True)
    try:
        if "one_changed" not in args.skip:
            print(json.dumps(one_changed(home, root, env)), flush=True)
        if "kill" not in args.skip:
            print(json.dumps(kill(home, root, env, args.new, args.kill_after, first)), flush=True)
        if "app" not in args.skip:
            new_files(root, "new-app", args.new, first + args.new, cache_of(home))
            for indexing_on in (True, False):
                figures = asyncio.run(drive_app(args.new, indexing_on))
                figures["load"] = os.getloadavg()
                print(json.dumps(figures, ensure_ascii=False), flush=True)
    finally:
        for name in ("new-kill", "new-app"):
            shutil.rmtree(root / name, ignore_errors=True)
        cleanup = measured([*CLI, "index"], env)
        print(json.dumps({"step": "cleanup (the new files indexed away)", **cleanup}), flush=True)


if __name__ == "__main__":
    main()
