"""The stories update's transactions on an existing cache (#11 kill safety).

    python benchmarks/bench_chunks.py CACHE_SQLITE [CHANGED]

Marks CHANGED articles (default 20,000) of the archive's middle as changed, as if their files had
been re-indexed, runs ``compute.update`` and reports each chunk's CPU seconds (each chunk is one
transaction: what a kill can lose) and the longest wall time the write lock was held. It writes
to the cache's story tables: use a benchmark cache (``out/home-N``), never your own.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from newsreader.stories import compute


def main() -> None:
    path = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    db = sqlite3.connect(path, isolation_level=None)
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    chunks: list[tuple[float, float, int]] = []
    regroup = compute._regroup

    def timed(*args: Any, **kwargs: Any) -> compute.Outcome:
        cpu, wall = time.process_time(), time.perf_counter()
        outcome = regroup(*args, **kwargs)
        chunks.append((time.process_time() - cpu, time.perf_counter() - wall, outcome.articles))
        return outcome

    compute._regroup = timed
    db.execute("INSERT OR IGNORE INTO story_pending SELECT rowid FROM articles ORDER BY rowid LIMIT ? OFFSET ?",
               (count, total // 2))
    started = time.process_time()
    compute.update(db)
    print({"articles": total, "changed": count, "chunks": len(chunks),
           "update_cpu_s": round(time.process_time() - started, 2),
           "chunk_cpu_s": sorted(round(c, 3) for c, _, _ in chunks),
           "longest_chunk_wall_s": round(max((w for _, w, _ in chunks), default=0.0), 3)})


if __name__ == "__main__":
    main()
