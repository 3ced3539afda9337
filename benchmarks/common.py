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


def _tree_pids(pid: int) -> list[int]:
    """A process and its descendants (those alive now)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    pending.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        found.append(current)
    return found


def tree_memory_kb(pid: int, cpu: dict[int, float] | None = None) -> dict[str, int]:
    """The memory of a process and its descendants, in kB: ``rss`` (each process's resident
    pages summed, so pages a fork shares copy-on-write are counted once per process), ``pss``
    (each shared page divided among the processes sharing it: the tree's true share of RAM)
    and ``uss`` (pages no other process maps), from /proc/PID/smaps_rollup. Notes each
    process's CPU seconds so far in ``cpu`` (by pid), so a tree's CPU is known even for children
    never waited for."""
    total = {"rss": 0, "pss": 0, "uss": 0}
    ticks = os.sysconf("SC_CLK_TCK")
    for current in _tree_pids(pid):
        try:
            with open(f"/proc/{current}/smaps_rollup") as handle:
                for line in handle:
                    key, _, value = line.partition(":")
                    if key == "Rss":
                        total["rss"] += int(value.split()[0])
                    elif key == "Pss":
                        total["pss"] += int(value.split()[0])
                    elif key in ("Private_Clean", "Private_Dirty"):
                        total["uss"] += int(value.split()[0])
            if cpu is not None:
                with open(f"/proc/{current}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
                cpu[current] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _tree_rss_kb(pid: int, cpu: dict[int, float] | None = None) -> int:
    """The resident memory of a process and its descendants (summed RSS: shared pages counted
    in each process; see :func:`tree_memory_kb` for PSS); notes CPU seconds in ``cpu``."""
    return tree_memory_kb(pid, cpu)["rss"]


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
                 memory: dict[str, int] | None = None) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run a command; return wall seconds, peak RSS of its whole process tree (MB), result.
    With ``cpu``, each process of the tree's CPU seconds (last seen, every 50 ms) go there.
    With ``listed`` (a cache, a number of articles, a dict): the wall seconds and the tree's CPU
    seconds when the cache first lists that many articles go in the dict (``listed_s``,
    ``listed_cpu_s``), looked at every 50 ms from outside the tree. With ``memory``, the tree's
    peak ``rss``, ``pss`` and ``uss`` (MB, see :func:`tree_memory_kb`) go there."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"rss": 0, "pss": 0, "uss": 0}
    seen: dict[int, float] = {} if cpu is None else cpu

    def sample() -> None:
        while process.poll() is None:
            for key, value in tree_memory_kb(process.pid, seen).items():
                peaks[key] = max(peaks[key], value)
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
    if memory is not None:
        memory.update({key: value // 1024 for key, value in peaks.items()})
    return seconds, peaks["rss"] // 1024, result
