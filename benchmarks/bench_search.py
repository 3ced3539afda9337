"""Search speed and index size on a cache built by bench_index.py or fabricate.py.

    python benchmarks/bench_search.py [N] [--no-size] [--home=DIR]   (default: 100000; out/home-N)

Times the first page of results (50, title hits first, then newest, with their snippets)
inside the process, median of nine runs per query (wall and CPU: on a shared machine the
CPU time is the figure contention does not inflate), for queries of one, two, three and
more characters in both scripts, with the index lookups alone beside it; the process's
peak memory; and (unless --no-size) the full-text index's size against the text it indexes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from common import OUT, wall_and_cpu

QUERIES = {
    1: ["港", "的", "疫", "黨", "美", "習"],
    2: ["王毅", "台湾", "臺灣", "中国", "网络"],
    3: ["习近平", "習近平", "新冠病"],
    4: ["亚太经济", "人工智能", "言论自由"],
    "latin": ["APEC", "Facebook", "the"],
    "several terms": ["中国 美国", "\"网络审查\" 政府"],
    # common words side by side where they never are: the lookup walks both long lists to the end
    "no hit, common words": ["拜登中国", "美国的习近平"],
}


def medians(run, repeat: int = 9) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``repeat`` calls (after one to warm the caches)."""
    run()
    wall, cpu = wall_and_cpu(run, repeat)
    return round(wall * 1000, 2), round(cpu * 1000, 2)


def peak_mb() -> int:
    """This process's peak resident memory so far."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:"))


def main() -> None:
    """Measure the cache of the size given on the command line."""
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 100_000
    given = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--home=")]
    home = Path(given[0]) if given else OUT / f"home-{count}"
    if not home.exists():
        raise SystemExit(f"run: python benchmarks/bench_index.py {count}")
    os.environ.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
                      XDG_CONFIG_HOME=str(home / "config"))
    from newsreader.store import bodies, search
    from newsreader.store.library import Library

    library = Library()
    articles = library.count()
    db = library.db
    results: dict[str, dict] = {}
    for group, queries in QUERIES.items():
        for query in queries:
            found = search.plan(query)
            assert found is not None
            wall, cpu = medians(lambda q=query: library.search(q, limit=50))
            _w, title_ids = medians(lambda f=found: search._rowids(db, f, True, None, 50))
            _w, any_ids = medians(lambda f=found: search._rowids(db, f, False, None, 50))
            results[query] = {"chars": group, "page_ms": wall, "page_cpu_ms": cpu,
                              "lookups_cpu_ms": round(title_ids + any_ids, 2),
                              "hits": len(library.search(query, limit=50)),
                              "matches": library.search_count(query)}
            print(query, json.dumps(results[query], ensure_ascii=False), file=sys.stderr, flush=True)
    memory = peak_mb()
    if "--no-size" in sys.argv:
        print(json.dumps({"articles": articles, "queries": results, "peak_mb": memory,
                          "load": os.getloadavg()}, ensure_ascii=False, indent=1))
        return
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
    print(json.dumps({"articles": articles, "queries": results, "peak_mb": memory, "load": os.getloadavg(),
                      "index_mb": round(index_bytes / 1e6), "chars_index_mb": round(chars_bytes / 1e6),
                      "text_mb": round(text_bytes / 1e6),
                      "index_to_text": round(index_bytes / text_bytes, 2)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
