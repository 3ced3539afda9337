"""A bulk full parse merges the search tables into one segment each at its end (smaller: a
term's list once, not a piece per segment) and leaves FTS5's default merging behind it; a
small run into a bigger cache merges as FTS5 does, and search still equals what it was."""

from __future__ import annotations

import sqlite3
import sys

import pytest
from conftest import ROOT, write_post

from newsreader.store import indexer, schema
from newsreader.store.library import Library

sys.path.insert(0, str(ROOT / "benchmarks"))
import synth


def automerge(db: sqlite3.Connection, table: str) -> int:
    row = db.execute(f"SELECT v FROM {table}_config WHERE k = 'automerge'").fetchone()
    return schema.AUTOMERGE if row is None else int(row[0])


def fully_merged(db: sqlite3.Connection, table: str) -> bool:
    """True when merging every segment into one would change nothing (it is one already)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        before = db.total_changes
        db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', -100000)")
        return db.total_changes - before < 2
    finally:
        db.execute("ROLLBACK")


def test_a_bulk_run_ends_with_one_segment_per_table_and_default_merging(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(indexer, "COMMIT_EVERY", 0.0)  # a commit, and so a segment, per file or so
    synth.build(tmp_path / "synthetic", schema.BULK_AT_LEAST + 20, seed=3, body_chars=400, corpus=False)
    library = Library()
    library.index([str(tmp_path / "synthetic")])
    db = library.db
    for table in schema.SEARCH_TABLES:
        assert fully_merged(db, table), table
        assert automerge(db, table) == schema.AUTOMERGE
    hits = {h.listing.id for h in library.search("中国", limit=10_000)}
    # a small run afterwards merges as FTS5 does (not deferred), and finds the same
    write_post(tmp_path / "synthetic" / "more", "https://example.com/more", "中国的新消息", "2024-05-01T08:00:00Z")
    library.index([str(tmp_path / "synthetic")])
    for table in schema.SEARCH_TABLES:
        assert automerge(db, table) == schema.AUTOMERGE
    after = {h.listing.id for h in library.search("中国", limit=10_000)}
    assert hits < after and len(after) == len(hits) + 1


def test_a_stopped_bulk_run_leaves_merging_deferred_until_the_next_run(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A run stopped before its end does not merge (the next run may be the rest of the load);
    the next run that parses anything sets the merging it needs again."""
    db = sqlite3.connect(tmp_path / "c.sqlite", isolation_level=None)
    schema.create(db)
    db.execute("BEGIN IMMEDIATE")
    assert schema.bulk_load(db, schema.BULK_AT_LEAST)  # an empty cache: a bulk load
    db.execute("COMMIT")
    assert all(automerge(db, t) == 0 for t in schema.SEARCH_TABLES)
    db.execute("INSERT INTO bodies VALUES (1, x'00')")
    db.execute("BEGIN IMMEDIATE")
    assert not schema.bulk_load(db, 1)  # one file: FTS5's own merging
    db.execute("COMMIT")
    assert all(automerge(db, t) == schema.AUTOMERGE for t in schema.SEARCH_TABLES)
    db.executemany("INSERT INTO bodies VALUES (?, x'00')", [(n,) for n in range(2, schema.BULK_AT_LEAST + 2)])
    db.execute("BEGIN IMMEDIATE")
    assert not schema.bulk_load(db, schema.BULK_AT_LEAST)  # fewer files than the index holds
    assert schema.bulk_load(db, schema.BULK_AT_LEAST + 1)
    db.execute("COMMIT")
