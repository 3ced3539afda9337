"""Fabricate a big cache and archive from a small indexed one, fast, for figures at scale.

    python benchmarks/fabricate.py N [--base B] [--outlets-per K] [--home DIR] [--archive DIR]

Needs ``out/home-B`` and ``out/archive-B`` (``python benchmarks/bench_index.py B``; B defaults
to 2000). Makes ``out/home-N`` (a cache of N articles, its state and config) and
``out/archive-N`` (N files) in minutes rather than days:

- the base cache is copied (``VACUUM INTO``), then ``N / B`` copies of every article are added
  by ``INSERT … SELECT`` in SQL: each copy has its own id (from its own URL, as the indexer
  makes ids), a publication time moved by a fixed step within the base's span (so the
  archive keeps its span and grows denser), the rowid the writer would give it (ties nudged
  up), and an outlet of its own for copies past the first (``K`` outlets per base outlet);
- the search tables (every FTS5 table, whatever its columns) are fed from the base's own
  indexed tokens, read back through ``fts5vocab`` into a temporary table, so FTS5 tokenises
  the copies in C and nothing is tokenised in Python;
- the files are real: each copy of a base file is a hard link to it in the same folder
  (``name_cKKKK.ext``), so sizes and mtimes match the cache's file records and re-indexing
  with nothing changed walks and stats a true archive of N files;
- the outline's count tables are recounted from the rows; the stories tables are emptied and
  then, by ``--stories``: ``alone`` (the default) marks every dated article as seen by the
  grouping and in no story, which a command takes as current (reading figures without story
  computing in them); ``compute`` runs the real grouping over all of them (slow: the
  grouping's own cost at N); ``none`` leaves them empty, so the next command groups them.

A table it does not know stops it with its name: teach it how a copy shifts that table.
Titles, summaries and bodies are the base's (copies of one base article read alike).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path
from types import SimpleNamespace

from common import OUT

from newsreader.store.prepare import Row

# tables copied per article / per file, kept as the base has them, or emptied
SHIFTED = {"articles", "bodies", "files", "article_files", "dirs", "day_counts"}
KEPT = {"meta", "dictionaries"}
EMPTY = {"shallow", "pending"}  # the two-phase index's unfinished work: a base must have none
STORIES = {"story_articles", "stories", "story_keys", "story_related", "coverage_map", "story_pending",
           "story_resume"}
FTS_SHADOWS = ("_data", "_idx", "_config", "_docsize", "_content")
STEP = 0.6180339887  # each copy moves its articles by this fraction of the base's span (wrapping)


def log(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def fts_tables(db: sqlite3.Connection) -> list[str]:
    return [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5(%'")]


def check_tables(db: sqlite3.Connection, fts: list[str]) -> None:
    """Stop on a table this script does not know how to copy."""
    for table in EMPTY:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() and \
                db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
            raise SystemExit(f"the base's index is unfinished ({table} has rows): run newsreader index on it first")
    known = SHIFTED | KEPT | EMPTY | STORIES | set(fts) | {t + s for t in fts for s in FTS_SHADOWS}
    unknown = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
               if name not in known and not name.startswith("sqlite_")]
    if unknown:
        raise SystemExit(f"fabricate.py does not know the table(s) {', '.join(unknown)}: "
                         "teach it how a copy shifts them")


def copy_path(path: str, base_root: str, root: str, copy: int) -> str:
    """Where copy ``copy`` of the base file ``path`` lives (copy 0: the same name)."""
    relative = os.path.relpath(path, base_root)
    if copy:
        stem, ext = os.path.splitext(relative)
        relative = f"{stem}_c{copy:04d}{ext}"
    return os.path.join(root, relative)


def plan_rows(db: sqlite3.Connection, copies: int, outlets_per: int, base_root: str, root: str) -> tuple[list, int]:
    """The map of every copy: (rowid, copy, base rowid, id, url, published, outlet, source),
    and the largest tie nudge given (for ``meta.max_nudge``)."""
    base = db.execute("SELECT rowid, id, url, outlet, published, date_only, source FROM articles").fetchall()
    dated = [r[4] for r in base if r[4] is not None]
    low, high = (min(dated), max(dated) + 1) if dated else (0, 1)
    span = high - low
    taken = {r[0] for r in base}
    nudge = int((db.execute("SELECT value FROM meta WHERE key = 'max_nudge'").fetchone() or (0,))[0])
    planned = [(r[0], 0, r[0], r[1], r[2], r[4], r[3], copy_path(r[6], base_root, root, 0)) for r in base]
    for copy in range(1, copies):
        shift = int(span * ((copy * STEP) % 1.0))
        variant = copy % outlets_per
        for rowid, article_id, url, outlet, published, date_only, source in base:
            new_url = f"{url}#copy{copy}" if url else ""
            basis = new_url or f"content:{article_id}/{copy}"
            new_id = hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]
            if published is not None:
                published = low + (published - low + shift) % span
                if date_only:  # a date without a time stays the noon (UTC) of its day
                    published = published - published % 86400 + 43200
            preferred = Row.sort_key(SimpleNamespace(published=published, id=new_id))  # type: ignore[arg-type]
            new_rowid = preferred
            while new_rowid in taken:
                new_rowid += 1 if published is not None else -1
            taken.add(new_rowid)
            if published is not None:
                nudge = max(nudge, new_rowid - preferred)
            planned.append((new_rowid, copy, rowid, new_id, new_url, published,
                            f"{outlet}-{variant + 1}" if variant else outlet,
                            copy_path(source, base_root, root, copy)))
    return planned, nudge


def fts_base_text(db: sqlite3.Connection, table: str) -> tuple[list[str], int]:
    """Put each base document's indexed tokens back together in ``temp.fab_<table>``, as the
    text FTS5 will tokenise into the same tokens; returns the columns and documents."""
    columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    names = ", ".join(f'"{c}"' for c in columns)
    db.execute(f"CREATE TEMP TABLE fab_{table} (rowid INTEGER PRIMARY KEY, {names})")
    db.execute(f"CREATE VIRTUAL TABLE temp.fab_vocab USING fts5vocab(main, {table}, instance)")
    db.execute("CREATE TEMP TABLE fab_instances AS SELECT doc, col, offset, term FROM temp.fab_vocab")
    db.execute("DROP TABLE temp.fab_vocab")
    if len(columns) > 1 and db.execute("SELECT 1 FROM temp.fab_instances WHERE col IS NULL LIMIT 1").fetchone():
        raise SystemExit(f"{table}: detail=none with several columns cannot be copied")
    for column in columns:
        # one column's tokens of each document in their order: the text that tokenises to them
        which = "col = ?" if len(columns) > 1 else "? IS NOT NULL"
        db.execute(f'INSERT INTO temp.fab_{table} (rowid, "{column}") '
                   "SELECT doc, group_concat(term, ' ') FROM (SELECT doc, term FROM temp.fab_instances "
                   f"WHERE {which} ORDER BY doc, offset) WHERE true GROUP BY doc "
                   f'ON CONFLICT (rowid) DO UPDATE SET "{column}" = excluded."{column}"', (column,))
    db.execute("DROP TABLE temp.fab_instances")
    documents = db.execute(f"SELECT count(*) FROM temp.fab_{table}").fetchone()[0]
    return columns, documents


def link_files(base_files: list[str], base_root: str, root: str, copies: int) -> None:
    """Hard-link every base file once per copy into the new archive."""
    for path in base_files:
        for copy in range(copies):
            target = copy_path(path, base_root, root, copy)
            if copy == 0:
                os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(path, target)


def folders(root: str) -> list[tuple[str, int]]:
    """Every folder under ``root`` (itself included) with its mtime, as the indexer records them."""
    found = []
    for folder, subfolders, _files in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(".")]
        found.append((folder, os.stat(folder).st_mtime_ns))
    return found


def fabricate(count: int, base_home: Path, base_archive: Path, home: Path, root_path: Path, *,
              outlets_per: int = 10, started: float | None = None, base_only: tuple[str, ...] = ()) -> int:
    """Build ``home`` and ``root_path`` from the indexed ``base_home`` of ``base_archive``;
    returns the number of articles made."""
    started = time.monotonic() if started is None else started
    base_cache = base_home / "cache" / "newsreader" / "cache.sqlite"
    if not base_cache.exists() or not base_archive.is_dir():
        raise SystemExit(f"no indexed base at {base_home} (run: python benchmarks/bench_index.py B)")
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(root_path, ignore_errors=True)
    cache = home / "cache" / "newsreader" / "cache.sqlite"
    cache.parent.mkdir(parents=True)
    source = sqlite3.connect(base_cache)
    base_articles = source.execute("SELECT count(*) FROM articles").fetchone()[0]
    copies = max(1, round(count / base_articles))
    source.execute("VACUUM INTO ?", (str(cache),))
    source.close()
    db = sqlite3.connect(cache, isolation_level=None)
    db.execute("PRAGMA journal_mode = OFF")  # a benchmark artefact: no journal, no WAL the size of the cache
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")
    db.execute("PRAGMA temp_store = FILE")
    fts = fts_tables(db)
    check_tables(db, fts)
    base_root, root = str(base_archive.resolve()), str(root_path)
    log(f"{base_articles} base articles, {copies} copies, search tables {', '.join(fts)}", started)

    db.execute("BEGIN")
    planned, nudge = plan_rows(db, copies, outlets_per, base_root, root)
    db.execute("CREATE TEMP TABLE fab_map (rowid INTEGER PRIMARY KEY, copy INTEGER, base INTEGER, id TEXT, "
               "url TEXT, published INTEGER, outlet TEXT, source TEXT)")
    db.executemany("INSERT INTO temp.fab_map VALUES (?, ?, ?, ?, ?, ?, ?, ?)", planned)
    db.execute("CREATE INDEX temp.fab_map_base ON fab_map (copy, base)")
    log(f"planned {len(planned)} articles", started)
    del planned

    shifted = {"id": "m.id", "url": "m.url", "published": "m.published", "outlet": "m.outlet",
               "source": "m.source", "rowid": "m.rowid"}
    columns = [r[1] for r in db.execute("PRAGMA table_info(articles)")]
    select = ", ".join(shifted.get(c, f"a.{c}") for c in columns)
    db.execute("UPDATE articles SET source = (SELECT m.source FROM temp.fab_map m WHERE m.rowid = articles.rowid)")
    db.execute(f"INSERT INTO articles SELECT {select} FROM temp.fab_map m JOIN articles a ON a.rowid = m.base "
               "WHERE m.copy > 0 ORDER BY m.rowid")
    db.execute("INSERT INTO bodies SELECT m.rowid, b.data FROM temp.fab_map m JOIN bodies b ON b.rowid = m.base "
               "WHERE m.copy > 0 ORDER BY m.rowid")
    db.execute("INSERT OR REPLACE INTO meta VALUES ('max_nudge', ?)", (str(nudge),))
    log("articles and bodies copied", started)

    # files and their articles: every copy of every base file, under the new root
    base_files = db.execute("SELECT path, size, mtime_ns, error FROM files").fetchall()
    links = db.execute("SELECT article_id, path FROM article_files").fetchall()
    ids = {(c, old): new for c, old, new in db.execute(
        "SELECT m.copy, a.id, m.id FROM temp.fab_map m JOIN articles a ON a.rowid = m.base")}
    db.execute("DELETE FROM files")
    db.execute("DELETE FROM article_files")
    for copy in range(copies):
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)",
                       [(copy_path(p, base_root, root, copy), s, m, e) for p, s, m, e in base_files])
        db.executemany("INSERT OR IGNORE INTO article_files VALUES (?, ?)",
                       [(ids[copy, a], copy_path(p, base_root, root, copy)) for a, p in links if (copy, a) in ids])
    del ids
    log("file records copied", started)
    link_files([p for p, *_ in base_files], base_root, root, copies)
    db.execute("DELETE FROM dirs")
    db.executemany("INSERT INTO dirs VALUES (?, ?)", folders(root))
    log(f"{len(base_files) * copies} files linked under {root}", started)

    for table in STORIES:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM meta WHERE key IN ('stories', 'editions')")

    for table in fts:
        if table in base_only:
            log(f"{table}: left with the base's {base_articles} documents only", started)
            continue
        fts_columns, documents = fts_base_text(db, table)
        names = ", ".join(f'"{c}"' for c in fts_columns)
        values = ", ".join(f't."{c}"' for c in fts_columns)
        db.execute(f"INSERT INTO {table} (rowid, {names}) SELECT m.rowid, {values} FROM temp.fab_map m "
                   f"JOIN temp.fab_{table} t ON t.rowid = m.base WHERE m.copy > 0 ORDER BY m.rowid")
        db.execute(f"DROP TABLE temp.fab_{table}")
        log(f"{table}: {documents} base documents copied {copies - 1} times", started)
    made = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    db.execute("COMMIT")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()
    return made


def finish(home: Path, root: Path, stories: str = "alone", started: float = 0.0) -> None:
    """Remember the archive as the source, bring the outline counts up to date and settle the
    stories tables, through the real code (in this process's XDG dirs)."""
    os.environ.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
                      XDG_CONFIG_HOME=str(home / "config"))
    from newsreader.store import counts
    from newsreader.store.library import Library
    from newsreader.stories import compute, coverage, tables

    library = Library()
    db = library.db
    library.state.add_sources([str(root)])
    db.execute("BEGIN IMMEDIATE")
    counts.rebuild(db, with_read=True)
    if stories == "alone":  # a state the grouping can leave: every dated article seen, none in a story
        tables.ensure(db)
        tables.clear(db)
        db.execute("INSERT INTO story_articles SELECT rowid, id, NULL, NULL FROM articles "
                    "WHERE published IS NOT NULL AND rowid >= 0")
        coverage.build_map(db)
        tables.mark_current(db)
    db.execute("COMMIT")
    if stories == "compute":
        log("computing the stories", started)
        compute.recompute(db)
    library.close()


def main() -> None:
    """Build out/home-N and out/archive-N from out/home-BASE and out/archive-BASE."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--base", type=int, default=2000, help="the indexed base (out/home-BASE, out/archive-BASE)")
    parser.add_argument("--outlets-per", type=int, default=10, help="outlets the copies spread each base outlet over")
    parser.add_argument("--stories", choices=("alone", "compute", "none"), default="alone",
                        help="alone: every article seen by the grouping and none in a story (fast, and "
                        "commands then compute nothing); compute: group them for real (slow: hours at "
                        "1,000,000); none: leave the tables empty (the next command groups them)")
    parser.add_argument("--base-only", action="append", default=[], metavar="TABLE",
                        help="leave this search table with the base's documents only (e.g. search: the "
                        "bigram index is most of the time at 1,000,000; reading figures then come in "
                        "minutes, but searches it answers find base articles only)")
    parser.add_argument("--home", type=Path, help="default: out/home-N")
    parser.add_argument("--archive", type=Path, help="default: out/archive-N")
    args = parser.parse_args()
    home = (args.home or OUT / f"home-{args.count}").resolve()
    root = (args.archive or OUT / f"archive-{args.count}").resolve()
    started = time.monotonic()
    made = fabricate(args.count, OUT / f"home-{args.base}", OUT / f"archive-{args.base}", home, root,
                     outlets_per=max(1, args.outlets_per), started=started, base_only=tuple(args.base_only))
    finish(home, root, args.stories, started)
    size = (home / "cache" / "newsreader" / "cache.sqlite").stat().st_size
    log(f"{made} articles into {home} ({size / 1e6:.0f} MB), their files under {root}", started)


if __name__ == "__main__":
    main()
