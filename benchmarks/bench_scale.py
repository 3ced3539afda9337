"""Whole commands on a big cache, as a user runs them: time, CPU and memory.

    python benchmarks/bench_scale.py N [--runs R]      (out/home-N: bench_index.py N or fabricate.py N)

For the cache of N articles: re-index with nothing changed (``newsreader index``: walks and
stats every file), ``list --limit 50``, ``outlets``, ``show ID``, and ``search Q --limit 50``
for a one-, two- and three-character query. Each command is run R times (default 5; the
re-index 3): the median wall time, the median CPU seconds of the command and its children
(what to compare on a shared machine: contention inflates wall time, not CPU), and the
peak resident memory — of the command's own process, exact (``wait4``), and of its whole
process tree, sampled every 20 ms, as summed RSS and as PSS (shared pages divided). Prints one JSON object; the load average beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import OUT, env_for, tree_memory_kb


def run(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """One run: wall seconds, CPU seconds (process and children), peak RSS (MB)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.PIPE)
        peak = [0, 0]

        def sample() -> None:
            while process.returncode is None:
                memory = tree_memory_kb(process.pid)
                peak[0] = max(peak[0], memory["rss"])
                peak[1] = max(peak[1], memory["pss"])
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(args)}: {process.stderr.read().decode() if process.stderr else ''}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "tree_mb": peak[0] / 1024, "tree_pss_mb": peak[1] / 1024}


def median_of(args: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    """Medians of ``runs`` runs (peaks: the highest)."""
    results = [run(args, env) for _ in range(runs)]
    return {"wall_s": round(statistics.median(r["wall_s"] for r in results), 3),
            "cpu_s": round(statistics.median(r["cpu_s"] for r in results), 3),
            "peak_rss_mb": round(max(r["rss_mb"] for r in results)),
            "peak_tree_mb": round(max(r["tree_mb"] for r in results)),
            "peak_tree_pss_mb": round(max(r["tree_pss_mb"] for r in results))}


def main() -> None:
    """Measure out/home-N."""
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", help="default: out/home-N")
    args = parser.parse_args()
    home = Path(args.home) if args.home else OUT / f"home-{args.count}"
    if not home.exists():
        raise SystemExit(f"run: python benchmarks/fabricate.py {args.count} (or bench_index.py {args.count})")
    env = env_for(home)
    cli = [sys.executable, "-m", "newsreader"]
    first = json.loads(subprocess.run([*cli, "list", "--limit", "1", "--json"], env=env, capture_output=True,
                                      text=True, check=True).stdout)[0]["id"]
    figures: dict[str, object] = {"articles": args.count, "load_before": os.getloadavg()}
    figures["python_start"] = median_of([sys.executable, "-c", "pass"], env, args.runs)
    figures["index_unchanged"] = median_of([*cli, "index"], env, max(1, min(3, args.runs)))
    for name, command in (("list_50", ["list", "--limit", "50"]), ("outlets", ["outlets"]),
                          ("show", ["show", first[:10]]),
                          ("search_1_char", ["search", "的", "--limit", "50"]),
                          ("search_2_chars", ["search", "台湾", "--limit", "50"]),
                          ("search_3_chars", ["search", "习近平", "--limit", "50"])):
        figures[name] = median_of([*cli, *command], env, args.runs)
        print(name, json.dumps(figures[name]), file=sys.stderr, flush=True)
    figures["load_after"] = os.getloadavg()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
