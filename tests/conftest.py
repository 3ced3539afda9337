"""Shared fixtures: every test gets its own XDG cache, data and config dirs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point the cache, data and config dirs at a fresh temporary folder."""
    dirs = {
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
    }
    for key, value in dirs.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    return dirs


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A copy of the seeds and the hand-made fixtures in a folder the test may change."""
    target = tmp_path / "archive"
    shutil.copytree(SEEDS, target / "seeds")
    shutil.copytree(FIXTURES, target / "fixtures")
    return target


def run_cli(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m newsreader ARGS`` as a user would, output captured as text."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "newsreader", *args], capture_output=True, text=True,
                          encoding="utf-8", input=input, env=full_env, timeout=120)


def write_post(folder: Path, outlet_url: str, title: str, when: str | None, body: str = "") -> Path:
    """A minimal Jekyll post (front matter and an HTML body), as the corpus has them."""
    folder.mkdir(parents=True, exist_ok=True)
    date_line = f"date: {when}\n" if when else ""
    text = (f"---\nlayout: post\ntitle: \"{title}\"\n{date_line}from: {outlet_url}\n---\n\n"
            f"<article><p>{body or title + '。这是正文，讲的是' + title + '的事情。'}</p></article>\n")
    path = folder / f"{abs(hash((outlet_url, title))) % 10**12}.md"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def long_archive(tmp_path: Path) -> Path:
    """Two outlets: DW over nine years (years above months), RFI over three months, one undated.

    DW: one post on the 10th of every third month, 2016-01 to 2024-10 (36 posts), and two more
    on 2024-10-10. RFI: 2024-08-01, 2024-09-01 (two), 2024-10-20; one RFI post has no date.
    """
    folder = tmp_path / "long"
    for year in range(2016, 2025):
        for month in (1, 4, 7, 10):
            write_post(folder, f"https://www.dw.com/zh/a-{year}{month:02d}", f"德国之声{year}年{month}月",
                       f"{year}-{month:02d}-10T12:00:00+00:00")
    for n in (1, 2):
        write_post(folder, f"https://www.dw.com/zh/b-{n}", f"德国之声十月加{n}", f"2024-10-10T0{n}:00:00+00:00")
    for n, when in enumerate(["2024-08-01T08:00:00+00:00", "2024-09-01T08:00:00+00:00",
                              "2024-09-01T09:00:00+00:00", "2024-10-20T08:00:00+00:00", None]):
        write_post(folder, f"https://www.rfi.fr/cn/x-{n}", f"法广第{n}篇", when)
    return folder
