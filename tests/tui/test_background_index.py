"""Background indexing from the app takes the worker-process path for real.

Textual swaps ``sys.stderr`` for an object whose ``fileno()`` is -1; multiprocessing's
helpers started under it failed with ``bad value(s) in fds_to_keep``. These tests run in
fresh interpreters (a helper already started by an earlier test would hide the bug): one
under ``run_test``, one in a real terminal (tmux) with the real ``newsreader`` command.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsreader.store.indexer import IN_PROCESS_BELOW
from tests.conftest import run_cli

FILES = IN_PROCESS_BELOW + 12  # more than are parsed in-process: worker processes start


def write_archive(folder: Path, count: int = FILES) -> None:
    """``count`` archived feed items of one outlet, one a day."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        stamp = 1_698_786_902_000 - n * 86_400_000
        (folder / f"item-{n:03d}.txt").write_text(
            f"<!--{stamp}-->\n[第{n}号新闻标题](https://www.rfi.fr/cn/story-{n})\n------\n"
            f"<p>第{n}篇文章的正文，讲述北京与华盛顿的关系。</p>\n", encoding="utf-8")


@pytest.fixture
def stale_cache(tmp_path: Path, xdg: dict[str, str]) -> Path:
    """A remembered source of many files whose cache is gone (as after rm -r ~/.cache/newsreader)."""
    archive = tmp_path / "archive"
    write_archive(archive)
    indexed = run_cli("index", str(archive))
    assert indexed.returncode == 0, indexed.stderr
    shutil.rmtree(xdg["XDG_CACHE_HOME"])
    return archive


APP_SCRIPT = textwrap.dedent("""
    import asyncio, sys
    from newsreader.store.library import Library
    from newsreader.tui.app import NewsReaderApp
    from newsreader.tui.widgets.outline import Outline

    async def main():
        library = Library()
        app = NewsReaderApp(library)
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(600):  # at most 60 s
                await pilot.pause(0.1)
                status = str(app.main.query_one("#status").render())
                if "indexed" in status or any("Indexing failed" in n.message for n in app._notifications):
                    break
            await app.workers.wait_for_complete()
            await pilot.pause()
            print("STATUS", status)
            print("TOTAL", app.main.query_one(Outline).total())
            for note in app._notifications:
                print("NOTE", note.message)
    asyncio.run(main())
""")


def test_the_app_indexes_many_changed_files_in_worker_processes(stale_cache: Path):
    done = subprocess.run([sys.executable, "-c", APP_SCRIPT], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])})
    assert done.returncode == 0, done.stderr
    assert "Indexing failed" not in done.stdout and "fds_to_keep" not in done.stdout
    assert f"STATUS indexed {FILES} changed files" in done.stdout
    assert f"TOTAL {FILES}" in done.stdout


def tmux(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["tmux", "-L", f"newsreader-test-{os.getpid()}", *args], capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_in_a_real_terminal_the_tree_fills_after_background_indexing(stale_cache: Path):
    command = Path(sys.executable).with_name("newsreader")
    assert command.exists()
    started = tmux("-f", "/dev/null", "new-session", "-d", "-s", "app", "-x", "100", "-y", "30",
                   "env", *(f"{k}={v}" for k, v in os.environ.items() if k.startswith(("XDG_", "TZ", "PATH"))),
                   "TERM=xterm-256color", str(command))
    assert started.returncode == 0, started.stderr
    screen = ""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            screen = tmux("capture-pane", "-p", "-t", "app").stdout
            # The status line and the refreshed tree are drawn in separate frames: wait for both.
            if (f"indexed {FILES} changed files" in screen and f"RFI 法广  {FILES}" in screen) or "failed" in screen:
                break
            time.sleep(0.3)
        assert f"indexed {FILES} changed files" in screen, screen
        assert f"RFI 法广  {FILES}" in screen  # the tree shows the outlet with every article
        assert "No articles yet" not in screen and "Indexing failed" not in screen
        tmux("send-keys", "-t", "app", "q")
        for _ in range(50):
            if "newsreader" not in tmux("capture-pane", "-p", "-t", "app").stdout:
                break
            time.sleep(0.1)
    finally:
        tmux("kill-server")
