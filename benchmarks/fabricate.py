"""Fabricate a big cache from a smaller indexed one, for reading and search figures at scale.

    python benchmarks/fabricate.py N [BASE]     (BASE: 100000; run bench_index.py BASE first)

Copies every article of ``out/home-BASE`` ``N / BASE`` times into ``out/home-N`` through the
real index writer (rows, frames, count tables, both search indexes), each copy with its own
id and URL and a publication time a few seconds apart, so the archive keeps its span and
grows denser. Parsing is skipped (the bodies are already clean), so this measures
reading and searching a cache of N articles, not indexing N files; there are no files
behind the copies (re-index figures need a real archive).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time

from common import OUT

CHUNK = 2000  # source articles tokenised at once


def main() -> None:
    """Build out/home-N from out/home-BASE."""
    count = int(sys.argv[1])
    base = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    source_home, home = OUT / f"home-{base}", OUT / f"home-{count}"
    if not source_home.exists():
        raise SystemExit(f"run: python benchmarks/bench_index.py {base}")
    shutil.rmtree(home, ignore_errors=True)
    os.environ.update(XDG_CACHE_HOME=str(home / "cache"), XDG_DATA_HOME=str(home / "data"),
                      XDG_CONFIG_HOME=str(home / "config"))
    from newsreader.store import bodies, schema, tokens
    from newsreader.store.indexer import FileResult, IndexResult, Writer
    from newsreader.store.library import Library
    from newsreader.store.prepare import MAX_SEARCHED_CHARS, Row, search_text

    source = schema.connect(source_home / "cache" / "newsreader" / "cache.sqlite")
    library = Library()
    db = library.db
    dictionary = source.execute("SELECT id, data FROM dictionaries").fetchall()
    db.executemany("INSERT INTO dictionaries VALUES (?, ?)", dictionary)
    copies = max(1, count // base)
    # the copies' "files" live in an empty folder remembered as the source and as walked,
    # so commands see nothing changed and never index (which would drop every copy)
    root = home / "archive"
    root.mkdir(parents=True)
    columns = ("id, url, outlet, title, summary, author, category, keywords, published, script, source, "
               "format, quality, date_only")
    started = last = time.monotonic()
    written = 0
    db.execute("BEGIN IMMEDIATE")
    writer = Writer(db, IndexResult())
    offset = 0
    while written < count:
        rows = source.execute(f"SELECT {columns}, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid "
                              "ORDER BY a.rowid LIMIT ? OFFSET ?", (CHUNK, offset)).fetchall()
        if not rows:
            break
        offset += len(rows)
        prepared = []
        for r in rows:
            fields = dict(zip([c.strip() for c in columns.split(",")], r[:-1], strict=True))
            text = bodies.text_of(source, r[-1])
            title_tokens, title_chars = tokens.index_forms(fields["title"])
            body_tokens, body_chars = tokens.index_forms(search_text(fields["summary"], text)[:MAX_SEARCHED_CHARS])
            prepared.append((fields, r[-1], title_tokens, body_tokens, tokens.char_tokens(title_chars, body_chars)))
        for copy in range(copies):
            for fields, data, title_tokens, body_tokens, chars in prepared:
                if written >= count:
                    break
                new_id = hashlib.sha1(f"{fields['id']}/{copy}".encode()).hexdigest()[:16]
                published = fields["published"] + copy * 37 if fields["published"] is not None else None
                row = Row(**{**fields, "id": new_id, "url": f"{fields['url']}#copy{copy}", "published": published,
                             "data": data, "title_tokens": title_tokens, "body_tokens": body_tokens,
                             "chars": chars})
                writer.apply(FileResult(f"{root}/{written}", 1, 1, rows=(row,)))
                written += 1
        now = time.monotonic()
        if now - last > 10:
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
            last = now
            rate = written / (now - started)
            print(f"{written} articles, {rate:.0f}/s, {(count - written) / rate / 60:.0f} min to go", flush=True)
    db.execute("INSERT OR REPLACE INTO dirs VALUES (?, ?)", (str(root), root.stat().st_mtime_ns))
    db.execute("COMMIT")
    library.state.add_sources([str(root)])
    print(f"{written} articles in {time.monotonic() - started:.0f} s into {home}")


if __name__ == "__main__":
    main()
