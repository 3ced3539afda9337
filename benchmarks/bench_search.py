"""Search speed and index size on a cache built by bench_index.py.

    python benchmarks/bench_search.py [N]      (default: 100000; run bench_index.py N first)

Times the first page of results (50, title hits first, then newest) inside the process,
median of seven runs per query, for queries of one, two, three and more characters in
both scripts, and compares the full-text index's size with the text it indexes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

from common import OUT

QUERIES = {
    1: ["港", "的", "疫", "黨"],
    2: ["王毅", "台湾", "臺灣", "中国", "网络"],
    3: ["习近平", "習近平", "新冠病"],
    4: ["亚太经济", "人工智能", "言论自由"],
    "latin": ["APEC", "Facebook", "the"],
    "several terms": ["中国 美国", "\"网络审查\" 政府"],
}


def main() -> None:
    """Measure the cache of the size given on the command line."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    home = OUT / f"home-{count}"
    if not home.exists():
        raise SystemExit(f"run: python benchmarks/bench_index.py {count}")
    os.environ.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
                      XDG_CONFIG_HOME=str(home / "config"))
    from newsreader.store import bodies
    from newsreader.store.library import Library

    library = Library()
    articles = library.count()
    results: dict[str, dict] = {}
    for group, queries in QUERIES.items():
        for query in queries:
            library.search(query, limit=50)  # warm the page cache once
            times = []
            for _ in range(7):
                start = time.perf_counter()
                hits = library.search(query, limit=50)
                times.append(time.perf_counter() - start)
            results[query] = {"chars": group, "median_ms": round(statistics.median(times) * 1000, 1),
                              "hits": len(hits)}
    db = library.db
    def size(table: str) -> int:
        try:
            return db.execute(f"SELECT sum(pgsize) FROM dbstat WHERE name LIKE '{table}%'").fetchone()[0] or 0
        except Exception:
            return db.execute(f"SELECT sum(length(block)) FROM {table}_data").fetchone()[0] or 0

    index_bytes, chars_bytes = size("search"), size("chars")
    text_bytes = 0
    for title, summary, text in db.execute(
            "SELECT a.title, a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid"):
        text_bytes += len(title.encode()) + len(summary.encode()) + len(bodies.text_of(db, text).encode())
    print(json.dumps({"articles": articles, "queries": results,
                      "index_mb": round(index_bytes / 1e6), "chars_index_mb": round(chars_bytes / 1e6),
                      "text_mb": round(text_bytes / 1e6),
                      "index_to_text": round(index_bytes / text_bytes, 2)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
