"""The story and edition tables: cache data computed after indexing, rebuilt with the cache.

``story_articles`` has a row for every dated article the grouping has seen: its story's id
(NULL when no other article reports the event) and, for an edition that is not the shown
entry, the id of the entry it belongs to. ``stories`` describes each story of two or more
entries; ``story_keys`` keeps every group's profile for finding related stories later;
``story_related`` holds the direct links. Each algorithm's version sits in the cache's
``meta`` table, so a new algorithm recomputes these tables without re-parsing any file.

``story_resume`` keeps where the last run stopped (see resume.py); ``story_pending`` is what
the next update must look at: triggers on ``articles`` note the
rowid of every article added, changed or removed, so an update after indexing one day reads
that day's rows, not every row of the cache.
"""

from __future__ import annotations

import sqlite3

STORIES_VERSION = "stories-7"
EDITIONS_VERSION = "editions-1"

SCHEMA = """
CREATE TABLE IF NOT EXISTS story_articles (
    rowid INTEGER PRIMARY KEY,   -- the article's rowid
    id TEXT NOT NULL,            -- the article's id (a changed id at a rowid means a changed article)
    story TEXT,                  -- the story's id, NULL when alone
    edition_of TEXT              -- for a hidden edition: the id of the entry shown
);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles (story) WHERE story IS NOT NULL;
CREATE INDEX IF NOT EXISTS story_articles_id ON story_articles (id);  -- a story found by any member's id
CREATE INDEX IF NOT EXISTS story_articles_edition ON story_articles (edition_of) WHERE edition_of IS NOT NULL;
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,         -- the id of its earliest entry
    title TEXT NOT NULL,         -- the most typical member's headline
    first INTEGER NOT NULL,      -- epoch seconds UTC
    last INTEGER NOT NULL,
    articles INTEGER NOT NULL,   -- entries (editions count once)
    outlets TEXT NOT NULL,       -- space-separated outlet keys, by first appearance
    outlet_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_last ON stories (last);
CREATE TABLE IF NOT EXISTS story_keys (
    story TEXT PRIMARY KEY,      -- a group's id (an article's id for one alone)
    first INTEGER NOT NULL,
    keys TEXT NOT NULL           -- its profile: features, heaviest first, space-separated
);
CREATE INDEX IF NOT EXISTS story_keys_first ON story_keys (first);
CREATE TABLE IF NOT EXISTS coverage_map (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rowids BLOB NOT NULL,        -- int64 rowids of shown dated articles, ascending
    codes BLOB NOT NULL,         -- uint16 outlet code of each
    published BLOB NOT NULL,     -- int64 publication time of each
    outlets TEXT NOT NULL        -- outlet keys by code, space-separated
);
CREATE TABLE IF NOT EXISTS story_pending (
    rowid INTEGER PRIMARY KEY    -- an article added, changed or removed since the last update
);
CREATE TRIGGER IF NOT EXISTS story_pending_insert AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO story_pending VALUES (new.rowid);
END;
CREATE TRIGGER IF NOT EXISTS story_pending_update AFTER UPDATE ON articles BEGIN
    INSERT OR IGNORE INTO story_pending VALUES (old.rowid);
    INSERT OR IGNORE INTO story_pending VALUES (new.rowid);
END;
CREATE TRIGGER IF NOT EXISTS story_pending_delete AFTER DELETE ON articles BEGIN
    INSERT OR IGNORE INTO story_pending VALUES (old.rowid);
END;
CREATE TABLE IF NOT EXISTS story_resume (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version TEXT NOT NULL,       -- the algorithms' versions that made it
    newest INTEGER NOT NULL,     -- publication time of its newest doc
    data BLOB NOT NULL           -- where the last run stopped (stories/resume.py)
);
CREATE TABLE IF NOT EXISTS story_related (
    story TEXT NOT NULL,
    related TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (story, related)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_related_related ON story_related (related);
"""

TABLES = ("story_articles", "stories", "story_keys", "story_related", "coverage_map", "story_pending",
          "story_resume")
TRIGGERS = ("story_pending_insert", "story_pending_update", "story_pending_delete")


def ensure(db: sqlite3.Connection) -> None:
    """Create the tables and triggers when missing (inside the caller's transaction)."""
    for statement in _statements(SCHEMA):
        db.execute(statement)


def _statements(schema: str) -> list[str]:
    """The schema's statements one by one (a trigger's body keeps its inner semicolons)."""
    out: list[str] = []
    pending = ""
    for piece in schema.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    return out


def note_pending(db: sqlite3.Connection, rowids: list[int]) -> None:
    """Note articles the next update must look at (the triggers do this as rows change)."""
    db.executemany("INSERT OR IGNORE INTO story_pending VALUES (?)", [(r,) for r in rowids])


def versions(db: sqlite3.Connection) -> tuple[str | None, str | None]:
    """The stories and editions versions the tables were computed with (None: never)."""
    rows = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('stories', 'editions')"))
    return rows.get("stories"), rows.get("editions")


def current(db: sqlite3.Connection) -> bool:
    """Whether the tables exist and were computed by this version of both algorithms."""
    try:
        if versions(db) != (STORIES_VERSION, EDITIONS_VERSION):
            return False
    except sqlite3.OperationalError:
        return False
    needed = (*TRIGGERS, "story_resume")
    marks = ",".join("?" * len(needed))
    found = db.execute(f"SELECT count(*) FROM sqlite_master WHERE name IN ({marks})", needed).fetchone()[0]
    return bool(found == len(needed))  # tables from before the triggers or the resume state: recompute once


def mark_current(db: sqlite3.Connection) -> None:
    """Record that the tables are this version's (inside the caller's transaction)."""
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [("stories", STORIES_VERSION), ("editions", EDITIONS_VERSION)])


def clear(db: sqlite3.Connection) -> None:
    """Empty every story table (inside the caller's transaction)."""
    for table in TABLES:
        db.execute(f"DELETE FROM {table}")
