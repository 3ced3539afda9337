"""Stories, editions, related links and coverage at scale, on copies of one real day.

    python benchmarks/bench_stories.py [N]        (default 20000)

Builds a cache of N articles by copying the real day of ``shared/corpus/waimei-sample``
(436 articles, 20 outlets) day after day: article k of day d is the sample's article
k % 436 moved d days later, with its own id and URL, so every day holds the same real
stories (a stress test for the span cap: the same headlines recur daily). Rows go into the
cache directly (articles, bodies, search index), not through the parsers, so only the
story side is timed. Then measures, on one core (CPU time) and in wall time:
the full recompute (ms per article, extra peak memory), grouping one new day, the
``stories`` query of one day, ``story ID``, and ``coverage`` for a rare and a common term.
"""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
DAY = 86400


def _home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="bench-stories-"))
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(home / name.lower())
    return home


def build(count: int) -> tuple[object, int]:
    """A library whose cache holds ``count`` copied articles; returns it and the last day's start."""
    from newsreader.store.library import Library
    from newsreader.store.prepare import TIES

    shared = next(p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir())
    library = Library(warn=lambda m: None)
    library.index([str(shared / "corpus" / "waimei-sample")])
    db: sqlite3.Connection = library.db
    columns = [c[1] for c in db.execute("PRAGMA table_info(articles)")]
    body_columns = [c[1] for c in db.execute("PRAGMA table_info(bodies)")][1:]  # after the rowid
    sample = db.execute(f"SELECT a.*, {', '.join('b.' + c for c in body_columns)} FROM articles a "
                        "JOIN bodies b ON b.rowid = a.rowid ORDER BY a.rowid").fetchall()
    tokens = {r[0]: (t, b) for r in sample for t, b in [_tokens(db, r[0])]}
    db.execute("BEGIN")
    db.execute("DELETE FROM story_articles")
    per_day = len(sample)
    for n in range(per_day, count):
        day, k = divmod(n, per_day)
        row = list(sample[k])
        published = row[columns.index("published")] + day * DAY
        article_id = hashlib.sha1(f"copy:{n}".encode()).hexdigest()[:16]
        row[columns.index("id")] = article_id
        row[columns.index("url")] = f"{row[columns.index('url')]}#copy{n}"
        row[columns.index("published")] = published
        rowid = published * TIES
        while db.execute("SELECT 1 FROM articles WHERE rowid = ?", (rowid,)).fetchone():
            rowid += 1
        row[0] = rowid
        db.execute(f"INSERT INTO articles VALUES ({','.join('?' * len(columns))})", row[:len(columns)])
        db.execute(f"INSERT INTO bodies VALUES (?{', ?' * len(body_columns)})",
                   (rowid, *row[len(columns):]))
        title_tokens, body_tokens = tokens[sample[k][0]]
        db.execute("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", (rowid, title_tokens, body_tokens))
    db.execute("COMMIT")
    newest = db.execute("SELECT max(published) FROM articles").fetchone()[0]
    return library, newest // DAY * DAY


def _tokens(db: sqlite3.Connection, rowid: int) -> tuple[str, str]:
    from newsreader.store import tokens
    from newsreader.stories.source import lead_text

    title, summary, frame = db.execute("SELECT a.title, a.summary, b.data FROM articles a JOIN bodies b "
                                       "ON b.rowid = a.rowid WHERE a.rowid = ?", (rowid,)).fetchone()
    return tokens.index_tokens(title), tokens.index_tokens(lead_text(db, summary, frame, 100_000))


def timed(run, repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    _home()
    started = time.perf_counter()
    library, last_start = build(count)
    n = library.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    print(f"built a cache of {n} articles in {time.perf_counter() - started:.0f} s")
    from newsreader.stories import compute

    db = library.db
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = compute.recompute(db)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
    stories = db.execute("SELECT count(*), max(articles), max(last - first) FROM stories").fetchone()
    print(f"recompute: {cpu:.1f} s CPU ({cpu * 1000 / n:.2f} ms per article), {wall:.1f} s wall, "
          f"+{extra:.0f} MB peak; {stories[0]} stories, largest {stories[1]}, longest span {stories[2] / 3600:.0f} h")
    # a new day: forget the last day's rows, as if it had just been indexed
    day_rows = db.execute("SELECT count(*) FROM articles WHERE published >= ?", (last_start,)).fetchone()[0]
    db.execute("DELETE FROM story_articles WHERE rowid IN (SELECT rowid FROM articles WHERE published >= ?)",
               (last_start,))
    wall, cpu = time.perf_counter(), time.process_time()
    compute.update(db)
    print(f"a new day of {day_rows} articles grouped in {time.perf_counter() - wall:.2f} s wall, "
          f"{time.process_time() - cpu:.2f} s CPU")
    from datetime import date, datetime

    day = datetime.fromtimestamp(last_start).date() if last_start else date.today()
    w, _ = timed(lambda: library.stories(since=day, until=day))
    print(f"stories --since D --until D: {w * 1000:.1f} ms ({len(library.stories(since=day, until=day))} stories)")
    some = db.execute("SELECT id FROM stories ORDER BY articles DESC LIMIT 1").fetchone()[0]
    w, _ = timed(lambda: library.story(some))
    print(f"story ID: {w * 1000:.1f} ms")
    for term in ("郑爽", "拜登", "中国"):
        result = library.coverage(term)
        w, _ = timed(lambda term=term: library.coverage(term), 3)
        print(f"coverage {term}: {w * 1000:.0f} ms for {result['total']} hits")
    del outcome


if __name__ == "__main__":
    main()
