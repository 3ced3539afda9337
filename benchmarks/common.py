"""Helpers the benchmarks share: fresh XDG dirs, timing medians, process-tree memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def env_for(home: Path) -> dict[str, str]:
    """An environment whose cache, data and config dirs live under ``home``."""
    env = dict(os.environ)
    env.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"))
    env.pop("CI", None)
    # an installed package has its bytecode compiled; without it every command spends ~0.2 s
    # compiling newsreader's modules (some sessions set this variable)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def archive(count: int) -> Path:
    """The synthetic archive of ``count`` articles, built once and kept in benchmarks/out."""
    target = OUT / f"archive-{count}"
    done = target / ".complete"
    if not done.exists():
        subprocess.run([sys.executable, str(HERE / "synth.py"), str(target), str(count)], check=True)
        done.write_text("ok")
    return target


def newsreader(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the installed CLI (as a user would) with output captured."""
    return subprocess.run([sys.executable, "-m", "newsreader", *args], env=env, capture_output=True,
                          text=True, check=False)


def wall_and_cpu(run, repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` calls of ``run``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def median_seconds(run, repeat: int = 5) -> float:
    """The median wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _tree_rss_kb(pid: int, cpu: dict[int, float] | None = None) -> int:
    """The resident memory of a process and its descendants; notes each one's CPU seconds
    so far in ``cpu`` (by pid), so a tree's CPU is known even for children never waited for."""
    total = 0
    pending = [pid]
    ticks = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            if cpu is not None:
                with open(f"/proc/{current}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                cpu[current] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _articles(cache: Path) -> int:
    """How many articles a cache lists now (0 while it cannot be read)."""
    import sqlite3

    try:
        db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=0.05)
        try:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def run_measured(args: list[str], env: dict[str, str], cpu: dict[int, float] | None = None,
                 listed: tuple[Path, int, dict[str, float]] | None = None,
                 ) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; return wall seconds, peak RSS of its whole process tree (MB), result.
    With ``cpu``, each process of the tree's CPU seconds (last seen, every 50 ms) go there.
    With ``listed`` (a cache, a number of articles, a dict): the wall seconds and the tree's CPU
    seconds when the cache first lists that many articles go in the dict (``listed_s``,
    ``listed_cpu_s``), looked at every 50 ms from outside the tree."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    seen: dict[int, float] = {} if cpu is None else cpu

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kb(process.pid, seen))
            if listed is not None and "listed_s" not in listed[2] and _articles(listed[0]) >= listed[1]:
                listed[2]["listed_s"] = time.perf_counter() - start
                listed[2]["listed_cpu_s"] = sum(seen.values())
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    result = subprocess.CompletedProcess(args, process.returncode, out, err)
    return seconds, peak[0] // 1024, result
