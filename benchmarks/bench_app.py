"""Time to the app's first screen, as a person sees it, over caches of several sizes.

    python benchmarks/bench_app.py [N ...]     (default: 1000 10000 100000; run bench_index.py N first)

Starts ``python -m newsreader`` in tmux (../shared/tools/tui-drive's way) against the
cache bench_index.py left for N articles, and polls the screen every 10 ms until the
outlet tree is drawn. Python's own start (``python -c pass``) is measured the same way
and reported beside it. Medians of five starts. Needs tmux.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time

from common import OUT, env_for

SOCKET = "newsreader-bench"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True).stdout


def first_screen(command: list[str], env: dict[str, str], marker: str, timeout: float = 30) -> float:
    """Seconds from launch until ``marker`` is on the screen."""
    tmux("kill-server")
    envs = [f"{k}={v}" for k, v in env.items()]
    start = time.perf_counter()
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
         "env", *envs, "TERM=xterm-256color", *command)
    while time.perf_counter() - start < timeout:
        if marker in tmux("capture-pane", "-p", "-t", "b"):
            elapsed = time.perf_counter() - start
            tmux("kill-server")
            return elapsed
        time.sleep(0.01)
    tmux("kill-server")
    raise RuntimeError(f"{marker!r} not on screen after {timeout} s")


def main() -> None:
    """Measure each size."""
    if not shutil.which("tmux"):
        raise SystemExit("needs tmux (apt-get install tmux)")
    sizes = [int(a) for a in sys.argv[1:]] or [1000, 10_000, 100_000]
    base_env = env_for(OUT / "home-python")
    python = statistics.median(
        first_screen([sys.executable, "-c", "print('ready'); import time; time.sleep(5)"], base_env, "ready")
        for _ in range(5))
    for size in sizes:
        home = OUT / f"home-{size}"
        if not home.exists():
            print(json.dumps({"articles": size, "skipped": f"run bench_index.py {size} first"}))
            continue
        env = env_for(home)
        times = [first_screen([sys.executable, "-m", "newsreader"], env, "大纪元") for _ in range(5)]
        print(json.dumps({"articles": size, "first_screen_s": round(statistics.median(times), 2),
                          "python_start_s": round(python, 2),
                          "beyond_python_s": round(statistics.median(times) - python, 2)}), flush=True)


if __name__ == "__main__":
    main()
