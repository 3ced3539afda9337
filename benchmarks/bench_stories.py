"""Stories, editions, related links and coverage at scale, on copies of one real day.

    python benchmarks/bench_stories.py [N] [--no-recompute]      (default 100000)
    python benchmarks/bench_stories.py --coverage CACHE TERM...   (any cache, read-only)
    python benchmarks/bench_stories.py --coverage-synthetic N TERM...  (only what coverage reads)

Builds (once; kept in ``benchmarks/out/stories-N``) a cache of N articles by copying the
real day of ``shared/corpus/waimei-sample`` (436 articles, 20 outlets, both scripts, the
RFI/BBC/DW editions) day after day: article k of day d is the sample's article k % 436
moved d days later, with its own id and URL, so every day holds the same real stories and
their editions (the dense worst case for grouping: the same headlines recur daily, within
the comparison window and the span cap). Rows go into the cache directly (articles,
bodies, the three search indexes, the count tables), not through the parsers, so only the
story side is timed. Then measures, in a fresh process, on one core (CPU time) and in wall
time: the full recompute of editions + stories + related links (ms per article, extra peak
memory), grouping one new day after it, ``stories --since D --until D``, ``story ID``,
``coverage`` for terms of a few hundred to hundreds of thousands of hits, and the app's
coverage pane (``C`` after a search) from push to drawn.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from common import wall_and_cpu

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
DAY = 86400
CHUNK = 5000


def _use(home: Path) -> None:
    home = home.resolve()  # relative XDG dirs are ignored (platformdirs falls back to ~/.cache)
    for name, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")):
        os.environ[name] = str(home / sub)


def build(count: int, home: Path) -> None:
    """Write a cache of ``count`` copied articles under ``home`` (its XDG dirs)."""
    from newsreader.store import counts, tokens
    from newsreader.store.library import Library
    from newsreader.store.prepare import MAX_SEARCHED_CHARS, TIES, search_text

    _use(home)
    shared = next(p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir())
    library = Library(warn=lambda m: None)
    library.index([str(shared / "corpus" / "waimei-sample")])
    db: sqlite3.Connection = library.db
    columns = [c[1] for c in db.execute("PRAGMA table_info(articles)")]
    sample = db.execute("SELECT a.*, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid "
                        "ORDER BY a.rowid").fetchall()
    at = {name: n for n, name in enumerate(columns)}
    forms = []
    from newsreader.store import bodies

    for row in sample:
        title_tokens, title_chars = tokens.index_forms(row[at["title"]])
        text = search_text(row[at["summary"]], bodies.text_of(db, row[-1]))[:MAX_SEARCHED_CHARS]
        body_tokens, body_chars = tokens.index_forms(text)
        forms.append((title_tokens, body_tokens, tokens.char_tokens(title_chars, body_chars)))
    used = {r[0] for r in sample}
    per_day = len(sample)
    db.execute("BEGIN")
    db.execute("DELETE FROM story_articles")
    started = time.monotonic()
    articles, frames, search, titles, chars = [], [], [], [], []

    def flush() -> None:
        marks = ",".join("?" * len(columns))
        db.executemany(f"INSERT INTO articles VALUES ({marks})", articles)
        db.executemany("INSERT INTO bodies VALUES (?, ?)", frames)
        db.executemany("INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)", search)
        db.executemany("INSERT INTO titles (rowid, title) VALUES (?, ?)", titles)
        db.executemany("INSERT INTO chars (rowid, c) VALUES (?, ?)", chars)
        for lst in (articles, frames, search, titles, chars):
            lst.clear()

    for n in range(per_day, count):
        day, k = divmod(n, per_day)
        row = list(sample[k][:len(columns)])
        published = row[at["published"]] + day * DAY
        row[at["id"]] = hashlib.sha1(f"copy:{n}".encode()).hexdigest()[:16]
        row[at["url"]] = f"{row[at['url']]}#copy{n}"
        row[at["published"]] = published
        rowid = published * TIES
        while rowid in used:
            rowid += 1
        used.add(rowid)
        row[0] = rowid
        articles.append(row)
        frames.append((rowid, sample[k][-1]))
        title_tokens, body_tokens, char_tokens = forms[k]
        search.append((rowid, title_tokens, body_tokens))
        titles.append((rowid, title_tokens))
        chars.append((rowid, char_tokens))
        if len(articles) >= CHUNK:
            flush()
            if n // CHUNK % 20 == 0:
                rate = (n - per_day) / (time.monotonic() - started)
                print(f"  {n} articles, {rate:.0f}/s", flush=True)
    flush()
    counts.rebuild(db, with_read=False)
    db.execute("COMMIT")
    library.close()


def _ensure(count: int) -> Path:
    home = HERE / "out" / f"stories-{count}"
    done = home / ".complete"
    if not done.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(count), str(home)], check=True)
        done.write_text("ok")
        print(f"built a cache of {count} articles in {time.perf_counter() - started:.0f} s")
    return home


def timed(run, repeat: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs."""
    return wall_and_cpu(run, repeat)


def _ms(pair: tuple[float, float]) -> str:
    return f"{pair[1] * 1000:.1f} ms CPU, {pair[0] * 1000:.1f} ms wall"


def _take_day(db: sqlite3.Connection, start: int) -> int:
    """Set the articles published from ``start`` on aside (their rows and bodies, in side tables):
    the cache then ends the day before, as before an index. Returns how many."""
    db.execute("BEGIN")
    db.execute("DROP TABLE IF EXISTS bench_day_articles")
    db.execute("DROP TABLE IF EXISTS bench_day_bodies")
    db.execute("CREATE TABLE bench_day_articles AS SELECT * FROM articles WHERE rowid >= ? AND published >= ?",
               (start * 2, start))
    db.execute("CREATE TABLE bench_day_bodies AS SELECT * FROM bodies WHERE rowid IN "
               "(SELECT rowid FROM bench_day_articles)")
    db.execute("DELETE FROM articles WHERE rowid IN (SELECT rowid FROM bench_day_articles)")
    db.execute("DELETE FROM bodies WHERE rowid IN (SELECT rowid FROM bench_day_articles)")
    db.execute("COMMIT")
    return db.execute("SELECT count(*) FROM bench_day_articles").fetchone()[0]


def _put_day(db: sqlite3.Connection) -> None:
    """Put the day set aside back, as the index writer adds articles (the triggers note them)."""
    db.execute("BEGIN")
    db.execute("INSERT INTO articles SELECT * FROM bench_day_articles")
    db.execute("INSERT INTO bodies SELECT * FROM bench_day_bodies")
    db.execute("DROP TABLE bench_day_articles")
    db.execute("DROP TABLE bench_day_bodies")
    db.execute("COMMIT")


async def _pane(library, query: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Median (wall, CPU) seconds from pushing the coverage pane of ``query`` until it is drawn,
    and the same for an empty modal screen (what Textual costs for any screen over the main one)."""
    from textual.screen import ModalScreen
    from textual.widgets import Label

    from newsreader.tui.app import NewsReaderApp
    from newsreader.tui.screens.coverage import CoverageScreen

    class Empty(ModalScreen):
        def compose(self):
            yield Label("empty")

    app = NewsReaderApp(library, index_on_start=False)
    times: dict[str, list[tuple[float, float]]] = {"pane": [], "empty": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        library.coverage(query)  # numpy's import, once per process, is not the pane's
        for _ in range(5):
            for kind in ("empty", "pane"):
                wall, cpu = time.perf_counter(), time.process_time()
                screen = Empty() if kind == "empty" else CoverageScreen(library, query, app.main.view,
                                                                        app.main.variant)
                await app.push_screen(screen)
                await pilot.pause()
                times[kind].append((time.perf_counter() - wall, time.process_time() - cpu))
                screen.dismiss(None)
                await pilot.pause()

    def median(pairs: list[tuple[float, float]]) -> tuple[float, float]:
        return sorted(p[0] for p in pairs)[2], sorted(p[1] for p in pairs)[2]

    return median(times["pane"]), median(times["empty"])


def measure(count: int, recompute: bool = True) -> None:
    """Every figure on the kept cache of ``count`` articles (the recompute skipped when not
    ``recompute`` and the tables are current)."""
    home = _ensure(count)
    _use(home)
    from datetime import datetime

    from newsreader.store.library import Library
    from newsreader.stories import compute, tables

    library = Library(warn=print)
    db = library.db
    n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    newest = db.execute("SELECT max(published) FROM articles").fetchone()[0]
    last_start = newest // DAY * DAY
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'bench_day_articles'").fetchone():
        _put_day(db)  # a run stopped with the day set aside
    print(f"{n} articles, load average {os.getloadavg()[0]:.1f}")
    if recompute or not tables.current(db):
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        wall, cpu = time.perf_counter(), time.process_time()
        compute.recompute(db)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        extra = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024
        print(f"recompute (editions + stories + related + coverage map): {cpu:.1f} s CPU "
              f"({cpu * 1000 / n:.2f} ms per article), {wall:.1f} s wall, +{extra:.0f} MB peak")
    stories = db.execute("SELECT count(*), max(articles), max(last - first) FROM stories").fetchone()
    links = db.execute("SELECT count(*) FROM story_related").fetchone()[0]
    hidden = db.execute("SELECT count(*) FROM story_articles WHERE edition_of IS NOT NULL").fetchone()[0]
    print(f"{stories[0]} stories, largest {stories[1]}, longest span {stories[2] / 3600:.0f} h, "
          f"{hidden} editions, {links} related links")
    for _ in range(3):
        # the day is taken out (an update regroups around what went), then indexed again
        day_rows = _take_day(db, last_start)
        wall, cpu = time.perf_counter(), time.process_time()
        compute.update(db)
        gone = time.process_time() - cpu, time.perf_counter() - wall
        _put_day(db)
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = compute.update(db)
        print(f"a new day of {day_rows} articles grouped: {time.process_time() - cpu:.2f} s CPU, "
              f"{time.perf_counter() - wall:.2f} s wall ({'resumed' if outcome and outcome.resumed else 'context rebuilt'}; "
              f"the day taken out before: {gone[0]:.2f} s CPU, {gone[1]:.2f} s wall)")
    day = datetime.fromtimestamp(last_start).date()
    found = library.stories(since=day, until=day)
    print(f"stories --since {day} --until {day}: {_ms(timed(lambda: library.stories(since=day, until=day)))} "
          f"({len(found)} stories)")
    found = library.stories(limit=5)
    print(f"stories --limit 5 (newest): {_ms(timed(lambda: library.stories(limit=5)))}")
    big, size = db.execute("SELECT id, articles FROM stories ORDER BY articles DESC LIMIT 1").fetchone()
    print(f"story ID ({size} articles): {_ms(timed(lambda: library.story(big)))}")
    member = db.execute("SELECT id FROM story_articles WHERE story = ? ORDER BY rowid DESC LIMIT 1",
                        (big,)).fetchone()[0]
    print(f"story ID by a later member's id: {_ms(timed(lambda: library.story(member)))}")
    lone = db.execute("SELECT id FROM story_articles WHERE story IS NULL AND edition_of IS NULL LIMIT 1").fetchone()[0]
    print(f"story ID of a lone article: {_ms(timed(lambda: library.story(lone)))}")
    for term in ("郑爽", "疫苗", "拜登", "中国"):
        result = library.coverage(term)
        print(f"coverage {term} ({result['total']} hits): {_ms(timed(lambda term=term: library.coverage(term), 3))}; "
              f"by month {_ms(timed(lambda term=term: library.coverage(term, by='month'), 3))}")
    for term in ("郑爽", "中国"):
        pane, empty = asyncio.run(_pane(library, term))
        print(f"coverage pane {term}, push to drawn: {_ms(pane)} (an empty modal screen: {_ms(empty)})")
    library.close()


def pane_only(count: int, terms: list[str]) -> None:
    """The coverage pane's timings alone, on the kept cache of ``count`` articles."""
    home = _ensure(count)
    _use(home)
    from newsreader.store.library import Library

    library = Library(warn=print)
    print(f"{library.db.execute('SELECT count(*) FROM articles').fetchone()[0]} articles, "
          f"load average {os.getloadavg()[0]:.1f}")
    for term in terms:
        pane, empty = asyncio.run(_pane(library, term))
        print(f"coverage pane {term}, push to drawn: {_ms(pane)} (an empty modal screen: {_ms(empty)})")
    library.close()


def coverage_only(path: str, terms: list[str]) -> None:
    """``coverage`` on any cache (opened read-only: e.g. one benchmarks/fabricate.py made), for
    each term: the in-memory count and, once, the SQL join it replaced."""
    from newsreader.stories import coverage

    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n = db.execute("SELECT length(rowids) / 8 FROM coverage_map").fetchone()[0]
    print(f"{path}: coverage map of {n} articles, load average {os.getloadavg()[0]:.1f}")
    coverage.count(db, terms[0])  # numpy's import, once per process
    for term in terms:
        result = coverage.count(db, term)
        print(f"coverage {term} ({result['total']} hits): {_ms(timed(lambda term=term: coverage.count(db, term)))}; "
              f"by month {_ms(timed(lambda term=term: coverage.count(db, term, by='month')))}")
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'articles'").fetchone():
        joined = timed(lambda: coverage.count_by_sql(db, terms[-1]), 1)
        print(f"coverage {terms[-1]} counted through the SQL join instead: {_ms(joined)}")


def coverage_synthetic(count: int) -> Path:
    """A cache holding only what ``coverage`` reads, for ``count`` articles: the search index
    (each article the index tokens of a waimei-sample article's title and first 100
    characters, the sample cycled) and the coverage map (20 outlets, the sample's outlets
    and times moved a day per copy). Kept in benchmarks/out; returns its path."""
    from array import array

    from newsreader.store import tokens
    from newsreader.store.prepare import TIES

    path = HERE / "out" / f"coverage-{count}.sqlite"
    if path.exists():
        return path
    shared = next(p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir())
    home = Path(HERE / "out" / "coverage-base")
    _use(home)
    from newsreader.store.library import Library

    library = Library(warn=lambda m: None)
    if not library.db.execute("SELECT count(*) FROM articles").fetchone()[0]:
        library.index([str(shared / "corpus" / "waimei-sample")])
    from newsreader.store import bodies

    sample = [(outlet, published, tokens.index_tokens(title + " " + (summary + " " + bodies.text_of(library.db, frame))[:100]))
              for outlet, published, title, summary, frame in library.db.execute(
                  "SELECT a.outlet, a.published, a.title, a.summary, b.data FROM articles a "
                  "JOIN bodies b ON b.rowid = a.rowid WHERE a.published IS NOT NULL ORDER BY a.rowid")]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    db.execute("CREATE VIRTUAL TABLE search USING fts5(body, title, content='', columnsize=0, "
               "tokenize='unicode61 remove_diacritics 2')")  # as store/schema.py makes it
    db.execute("INSERT INTO search (search, rank) VALUES ('hashsize', ?)", (16 * 1024 * 1024,))
    db.execute("CREATE TABLE coverage_map (id INTEGER PRIMARY KEY, rowids BLOB, codes BLOB, published BLOB, outlets TEXT)")
    rowids, codes, published = array("q"), array("H"), array("q")
    names: dict[str, int] = {}
    used: set[int] = set()
    rows = []
    for n in range(count):
        day, k = divmod(n, len(sample))
        outlet, moment, text = sample[k]
        moment += day * DAY
        rowid = moment * TIES
        while rowid in used:
            rowid += 1
        used.add(rowid)
        rows.append((rowid, moment, names.setdefault(outlet, len(names)), text))
    rows.sort()
    for start in range(0, count, 20_000):
        db.executemany("INSERT INTO search (rowid, title, body) VALUES (?, '', ?)",
                       [(r, text) for r, _, _, text in rows[start:start + 20_000]])
    for rowid, moment, code, _ in rows:
        rowids.append(rowid)
        published.append(moment)
        codes.append(code)
    db.execute("INSERT INTO coverage_map VALUES (1, ?, ?, ?, ?)",
               (rowids.tobytes(), codes.tobytes(), published.tobytes(), " ".join(names)))
    db.execute("COMMIT")
    db.close()
    library.close()
    return path


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        build(int(sys.argv[2]), Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--coverage"]:
        coverage_only(sys.argv[2], sys.argv[3:])
        return
    if sys.argv[1:2] == ["--coverage-synthetic"]:
        started = time.perf_counter()
        path = coverage_synthetic(int(sys.argv[2]))
        print(f"search index and coverage map of {sys.argv[2]} articles: {path} "
              f"({time.perf_counter() - started:.0f} s)")
        coverage_only(str(path), sys.argv[3:])
        return
    if sys.argv[1:2] == ["--pane"]:
        pane_only(int(sys.argv[2]), sys.argv[3:] or ["郑爽", "中国"])
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    measure(int(args[0]) if args else 100_000, recompute="--no-recompute" not in sys.argv)


if __name__ == "__main__":
    main()
