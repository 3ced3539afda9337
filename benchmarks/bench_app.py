"""Time to the app's first screen, as a person sees it, over caches of several sizes.

    python benchmarks/bench_app.py [N ...]     (default: 1000 10000 100000; run bench_index.py N first)

Starts ``python -m newsreader`` in tmux (../shared/tools/tui-drive's way) against the
cache bench_index.py left for N articles, and polls the screen every 10 ms until the
outlet tree is drawn. Python's own start (``python -c pass``) is measured the same way
and reported beside it. Medians of five starts. Needs tmux.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from common import OUT, _tree_rss_kb, env_for

SOCKET = f"newsreader-bench-{os.getpid()}"  # its own tmux server: two runs at once never meet


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True).stdout


def _memory_mb(pid: int) -> tuple[int, int]:
    """(resident now, peak resident) of a process, in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    return int(fields["VmRSS"][0]) // 1024, int(fields["VmHWM"][0]) // 1024


MEMORY: list[tuple[int, int]] = []  # (resident, peak) MB of each app, 3 s after its first screen
CPU: list[float] = []  # CPU seconds each app (its process tree) had used when its first screen was drawn


def first_screen(command: list[str], env: dict[str, str], marker: str, timeout: float = 60,
                 memory: bool = False) -> float:
    """Seconds from launch until ``marker`` is on the screen; with ``memory``, the app's
    resident and peak memory 3 s later go into :data:`MEMORY`."""
    tmux("kill-server")
    envs = [f"{k}={v}" for k, v in env.items()]
    start = time.perf_counter()
    tmux("-f", "/dev/null", "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
         "env", *envs, "TERM=xterm-256color", *command)
    while time.perf_counter() - start < timeout:
        if marker in tmux("capture-pane", "-p", "-t", "b"):
            elapsed = time.perf_counter() - start
            if memory:
                pid = int(tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())
                used: dict[int, float] = {}
                _tree_rss_kb(pid, used)
                CPU.append(sum(used.values()))
                time.sleep(3)
                MEMORY.append(_memory_mb(pid))
            tmux("kill-server")
            return elapsed
        time.sleep(0.01)
    tmux("kill-server")
    raise RuntimeError(f"{marker!r} not on screen after {timeout} s")


async def ui_steps(size: int) -> dict[str, float]:
    """The slowest of five runs of each UI-thread step, inside the app, in milliseconds."""
    from newsreader.store.library import Library
    from newsreader.tui.app import NewsReaderApp

    library = Library()
    app = NewsReaderApp(library, index_on_start=False)
    app.opener = lambda url, kind="link": "recorded"
    worst: dict[str, float] = {}

    def timed(name: str, step) -> None:
        start = time.perf_counter()
        step()
        worst[name] = max(worst.get(name, 0.0), (time.perf_counter() - start) * 1000)

    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(600):  # the warm-up (OpenCC, html2text) starts once the first screen is drawn
            if getattr(app.main, "background_started", True):
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = library.listings(limit=1)[0]
        for _ in range(5):
            timed("open article", lambda: app.main.open_id(first.id))
            timed("next article (n)", app.main.action_next_article)
            timed("previous article (p)", app.main.action_previous_article)
            timed("script toggle (t)", app.main.action_toggle_script)
            await pilot.pause()
        outline = app.main.query_one("#outline")
        timed("expand an outlet (work moves to a thread)", outline.root.children[0].expand)
        await app.workers.wait_for_complete()
    library.close()
    return {k: round(v, 1) for k, v in worst.items()}


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
        MEMORY.clear()
        CPU.clear()
        times = [first_screen([sys.executable, "-m", "newsreader"], env, "articles · ", memory=True) for _ in range(5)]
        os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
        steps = asyncio.run(ui_steps(size))
        print(json.dumps({"articles": size, "first_screen_s": round(statistics.median(times), 2),
                          "python_start_s": round(python, 2),
                          "beyond_python_s": round(statistics.median(times) - python, 2),
                          "all_first_screens_s": [round(t, 2) for t in times], "load": os.getloadavg(),
                          "app_cpu_s_at_first_screen": round(statistics.median(CPU), 2),
                          "app_rss_mb_3s_after": max(m[0] for m in MEMORY),
                          "app_peak_rss_mb_3s_after": max(m[1] for m in MEMORY),
                          "slowest_ui_steps_ms": steps}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
