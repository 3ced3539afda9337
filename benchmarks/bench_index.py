"""Index throughput, re-index of unchanged files, list and show times, peak memory.

    python benchmarks/bench_index.py [N ...]      (default: 10000)

Builds (once) a synthetic archive of N articles in the three formats, indexes it with
the real command in a fresh cache, and prints one line of figures per N. Medians of
five runs where a step is repeated; peak memory is the whole process tree's (workers
included), sampled every 50 ms.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from common import OUT, archive, env_for, median_seconds, newsreader, run_measured


def bench(count: int) -> dict:
    """Measure one archive size."""
    source = archive(count)
    home = OUT / f"home-{count}"  # kept for bench_search.py and bench_app.py
    shutil.rmtree(home, ignore_errors=True)
    env = env_for(home)
    # CPU of the whole tree (writer and workers), which contention on a shared machine does not
    # inflate much: each process's last sample (every 50 ms, so a few ms short per process)
    per_process: dict[int, float] = {}
    listed: dict[str, float] = {}
    memory: dict[str, int] = {}
    cache = Path(home) / "cache" / "newsreader" / "cache.sqlite"
    seconds, peak_mb, result = run_measured([sys.executable, "-m", "newsreader", "index", str(source)], env,
                                            per_process, listed=(cache, count, listed), memory=memory)
    cpu = sum(per_process.values())
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    reindex = median_seconds(lambda: newsreader("index", env=env))
    first_id = json.loads(newsreader("list", "--limit", "1", "--json", env=env).stdout)[0]["id"]
    list_time = median_seconds(lambda: newsreader("list", "--limit", "50", env=env))
    list_all = median_seconds(lambda: newsreader("list", env=env), repeat=3)
    show_time = median_seconds(lambda: newsreader("show", first_id[:8], env=env))
    probe = (f"import sys, newsreader.cli as cli; cli.main(['show', {first_id[:8]!r}]); "
             "print('textual' in sys.modules, file=sys.stderr)")
    loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    return {
        "articles": count,
        "first_index_s": round(seconds, 1),
        "articles_per_s": round(count / seconds),
        "cpu_ms_per_article": round(cpu * 1000 / count, 2),
        # each process of the tree, largest first (the first is the command itself: the writer
        # and the stories; then the workers and their fork server)
        "process_ms_per_article": sorted((round(v * 1000 / count, 2) for v in per_process.values() if v >= 0.01),
                                         reverse=True),
        # the first phase: every article listed (title, date, outlet), searched after
        "all_listed_s": round(listed.get("listed_s", seconds), 2),
        "listed_cpu_ms_per_article": round(listed.get("listed_cpu_s", cpu) * 1000 / count, 2),
        "peak_mb": peak_mb,  # summed RSS: the fork server's shared pages counted in every worker
        "peak_pss_mb": memory["pss"],  # the tree's true share of RAM (shared pages divided)
        "peak_uss_mb": memory["uss"],
        "reindex_unchanged_s": round(reindex, 2),
        "list_50_s": round(list_time, 3),
        "list_all_s": round(list_all, 3),
        "show_s": round(show_time, 3),
        "show_imports_textual": loaded.stderr.strip().endswith("True"),
        "cache_mb": round(cache.stat().st_size / 1e6),
        "cache_to_input": round(cache.stat().st_size / sum(p.stat().st_size for p in source.rglob("*") if p.is_file()), 2),
    }


def main() -> None:
    """Run each size given on the command line."""
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    for size in sizes:
        print(json.dumps(bench(size)), flush=True)


if __name__ == "__main__":
    main()
