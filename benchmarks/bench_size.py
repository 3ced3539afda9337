"""The cache's size against its input files', and where its bytes go.

    python benchmarks/bench_size.py FOLDER [FOLDER ...]

Indexes each folder with the real command into a fresh private cache (XDG dirs under
benchmarks/out/size-*) and prints one JSON line per folder: the input files' total bytes,
the cache file's bytes (after a checkpoint, so the WAL is in it), their ratio, and the
biggest tables and indexes (SQLite's dbstat), in MB.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

from common import OUT, env_for, newsreader


def measure(folder: Path) -> dict:
    """Index ``folder`` into a fresh cache and measure it."""
    home = OUT / f"size-{folder.name}"
    shutil.rmtree(home, ignore_errors=True)
    env = env_for(home)
    result = newsreader("index", str(folder), env=env)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    cache = home / "cache" / "newsreader" / "cache.sqlite"
    db = sqlite3.connect(cache)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tables = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.close()
    inputs = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    size = cache.stat().st_size
    return {"folder": str(folder), "articles": articles, "input_mb": round(inputs / 1e6, 2),
            "cache_mb": round(size / 1e6, 2), "cache_to_input": round(size / inputs, 3),
            "tables_mb": {name: round(n / 1e6, 2) for name, n in tables}}


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(measure(Path(name)), ensure_ascii=False), flush=True)
