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
