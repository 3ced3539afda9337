"""Computing the story and edition tables: all at once, or only around what indexing changed.

:func:`update` is what runs after each index: it finds the articles the tables have not
seen (or that changed or went away), regroups only the days around them — the days before
serve as context, so a new day joins the stories already there — and rewrites the rows of
every group it touched. When an algorithm's version changed, :func:`recompute` redoes
everything from the stored articles (no file is parsed again).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsreader.store.indexer import max_nudge
from newsreader.store.prepare import TIES
from newsreader.store.transactions import rollback
from newsreader.stories import coverage, editions, related, resume, tables
from newsreader.stories.cluster import DAY, SPAN, WINDOW, Group, Grouper
from newsreader.stories.features import Doc, cosine
from newsreader.stories.source import read_docs


@dataclass
class Outcome:
    """What a run computed: groups of article ids (entries first, editions included), and timing."""

    groups: list[list[str]] = field(default_factory=list)
    editions: dict[str, str] = field(default_factory=dict)  # hidden edition id -> shown entry id
    articles: int = 0
    seconds: float = 0.0
    resumed: bool = False  # the run went on from where the last one stopped (resume.py)


class _Editions:
    """The grouper's ``force`` hook: pairs that are editions become one entry."""

    def __init__(self, known: set[int]) -> None:
        self.known = known  # rowids seen by an earlier run: they were indexed first
        self.primary: dict[int, Doc] = {}  # hidden edition rowid -> shown doc

    def __call__(self, a: Doc, b: Doc, score: float) -> bool:
        if score < 0.3 or a.outlet != b.outlet or a.script == b.script:
            return False
        a = self.primary.get(a.rowid, a)
        if b.rowid in self.primary or a.rowid == b.rowid:
            return False
        if not editions.is_edition(a.outlet, a.script, a.url, a.published, a.text,
                                   b.outlet, b.script, b.url, b.published, b.text):
            return False
        shown, hidden = (b, a) if (b.rowid in self.known and a.rowid not in self.known) else (a, b)
        self.primary[hidden.rowid] = shown
        for rowid, entry in list(self.primary.items()):  # the hidden one's own editions follow
            if entry.rowid == hidden.rowid:
                self.primary[rowid] = shown
        return True


def _ints(values: Iterable[int]) -> str:
    """Integers as an SQL list (they are rowids: no quoting needed)."""
    return ",".join(str(int(v)) for v in values)


def _typical(group: Group, entries: list[Doc]) -> Doc:
    """The member closest to the group's centroid (its headline stands for the story); members as
    close as makes no difference (an outlet's two scripts fold alike) go by time, whatever order
    the centroid's sums were taken in."""
    return max(entries, key=lambda d: (round(cosine(d.vector, group.total), 9), -d.published))


def _write(db: sqlite3.Connection, groups: Iterable[Group], hook: _Editions, outcome: Outcome,
           keep: set[int] | None = None, links: related.Index | None = None) -> list[tuple]:
    """Store the groups (only those with a member not in ``keep``, the unchanged context, when
    given); returns (id, first, profile) of each for the related links. A kept group written
    again (it took new members) first loses its old profile and links, under whatever ids its
    members had."""
    profiles = []
    for group in groups:
        if keep is not None:
            kept = [d.rowid for d in group.members if d.rowid in keep]
            if len(kept) == len(group.members):
                continue
            if kept:
                rows = db.execute(f"SELECT id, story FROM story_articles WHERE rowid IN ({_ints(kept)})").fetchall()
                old = {s for _, s in rows if s} | {i for i, _ in rows}
                related.forget(db, old)
                if links is not None:
                    links.drop(old)
        members = sorted(group.members, key=lambda d: (d.published, d.rowid))
        entries = [d for d in members if d.rowid not in hook.primary]
        story_id = entries[0].id
        multi = len(entries) > 1
        rows = []
        for doc in members:
            shown = hook.primary.get(doc.rowid)
            rows.append((doc.rowid, doc.id, story_id if multi else None, shown.id if shown else None))
            if shown:
                outcome.editions[doc.id] = shown.id
        db.executemany("INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?)", rows)
        outcome.groups.append([d.id for d in entries] + [d.id for d in members if d.rowid in hook.primary])
        if multi:
            outlets: list[str] = []
            for doc in entries:
                if doc.outlet not in outlets:
                    outlets.append(doc.outlet)
            db.execute("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (story_id, _typical(group, entries).title, entries[0].published, entries[-1].published,
                        len(entries), " ".join(outlets), len(outlets)))
        profiles.append((story_id, entries[0].published, related.profile(group.profile)))
    return profiles


def _run(db: sqlite3.Connection, start: int | None, end: int | None, known: set[int],
         dirty: frozenset[str] | set[str] = frozenset(), state: resume.State | None = None,
         keep: set[int] | None = None, ahead: bool = True) -> Outcome:
    """Group the articles published in [start, end) after the context before ``start``; context
    groups are rewritten only when they changed (took new members, or their story is ``dirty``).
    With a ``state``, the context is that kept state (``keep``: its members). Without ``ahead``
    (a chunk with more to follow) groups are linked only to earlier ones, as a recompute links
    them: the later ones link back when their own chunk is regrouped."""
    outcome = Outcome()
    hook = _Editions(known)
    grouper = Grouper(force=hook)
    links = related.Index()
    reach = related.DAYS * DAY
    if state is not None and start is not None:
        grouper = state.grouper
        grouper.force = hook
        hook.primary = state.primary
        links.load(db, start - reach, start + reach)
        outcome.resumed = True
    elif start is not None:
        links.load(db, start - reach, (end if end is not None else start) + (reach if ahead else 0))
        context = list(read_docs(db, start - WINDOW, start))
        listed = _ints(d.rowid for d in context)
        story_of: dict[int, str | None] = {r: s or f"alone:{r}" for r, s in db.execute(
            f"SELECT s.rowid, s.story FROM story_articles s WHERE s.rowid IN ({listed})")}
        for rowid, shown in db.execute(
                "SELECT s.rowid, a.rowid FROM story_articles s JOIN articles a ON a.id = s.edition_of "
                f"WHERE s.edition_of IS NOT NULL AND s.rowid IN ({listed})"):
            entry = next((d for d in context if d.rowid == shown), None)
            if entry:
                hook.primary[rowid] = entry
        grouper.preload(context, story_of)
        outcome.articles += len(context)
        keep = {d.rowid for d in context if story_of.get(d.rowid) not in dirty}
    day: list[Doc] = []
    for doc in read_docs(db, start, end):
        outcome.articles += 1
        if day and doc.day != day[0].day:
            links.link(db, _write(db, grouper.add(day), hook, outcome, keep, links))
            links.drop_before(day[0].published - reach - SPAN - WINDOW)
            day = []
        day.append(doc)
    links.link(db, _write(db, grouper.add(day), hook, outcome, keep, links))
    resume.save(db, grouper, hook.primary, _version())
    links.link(db, _write(db, grouper.finish(), hook, outcome, keep, links))
    return outcome


def _version() -> str:
    return f"{tables.STORIES_VERSION}/{tables.EDITIONS_VERSION}"


def recompute(db: sqlite3.Connection) -> Outcome:
    """Recompute every story, edition and related link from the stored articles."""
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    try:
        tables.ensure(db)
        tables.clear(db)
        db.execute("DELETE FROM meta WHERE key = ?", (_TODO,))
        outcome = _run(db, None, None, set())
        coverage.build_map(db)
        tables.mark_current(db)
        db.execute("COMMIT")
    except BaseException:
        rollback(db)  # a full disk has ended the transaction already
        raise
    outcome.seconds = time.perf_counter() - started
    return outcome


def _changed(db: sqlite3.Connection) -> tuple[list[int], list[int], bool]:
    """Publication times of articles new or changed since the last run, rowids gone, and whether
    every one is new (none changed): read from ``story_pending`` (filled by triggers on
    ``articles``), not from every row."""
    new: list[int] = []
    gone: list[int] = []
    fresh = True
    for rowid, published, article_id, known_id in db.execute(
            "SELECT p.rowid, a.published, a.id, s.id FROM story_pending p "
            "LEFT JOIN articles a ON a.rowid = p.rowid LEFT JOIN story_articles s ON s.rowid = p.rowid"):
        dated = article_id is not None and published is not None and rowid >= 0
        if dated:
            new.append(published)
        if known_id is not None:
            fresh = False
            if not dated or known_id != article_id:
                gone.append(rowid)
    return new, gone, fresh


CHUNK = 2000
"""Articles an update regroups in one transaction (about 2-4 s of CPU): a kill loses at most that
much, and a user's star or read mark waits at most that long for the write lock."""

_TODO = "stories_todo"
_GAP = 0.11
"""Seconds the write lock is left free between chunks: longer than the longest pause (100 ms) of
SQLite's busy handler, so another writer already waiting for the lock takes it here."""


def _todo(db: sqlite3.Connection) -> tuple[int, int] | None:
    """The range an interrupted update had left to regroup, if any."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_TODO,)).fetchone()
    if not row:
        return None
    try:
        start, end = (int(v) for v in str(row[0]).split())
    except ValueError:
        return None
    return start, end


def _chunk_end(db: sqlite3.Connection, start: int, end: int) -> int:
    """Where the chunk starting at ``start`` stops: after about CHUNK articles, at a day's end and
    past every story straddling it, never beyond ``end``."""
    row = db.execute("SELECT rowid FROM articles WHERE rowid >= ? ORDER BY rowid LIMIT 1 OFFSET ?",
                     (start * TIES, CHUNK)).fetchone()
    if row is None:
        return end
    stop = (row[0] // TIES // DAY + 1) * DAY
    if stop >= end:
        return end
    return min(end, _extend(db, start, stop))


def update(db: sqlite3.Connection) -> Outcome | None:
    """Bring the tables up to date after indexing; None when nothing changed.

    The days to regroup are taken in chunks of about CHUNK articles, each committed on its own
    with what is left recorded in ``meta``: a kill loses one chunk, and the next update goes on
    from there."""
    if not tables.current(db):
        return recompute(db)
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    try:
        tables.ensure(db)  # (an index added since the tables were made)
        new, gone, fresh = _changed(db)
        db.execute("DELETE FROM story_pending")
        todo = _todo(db)
        if not new and not gone and todo is None:
            db.execute("COMMIT")
            return None
        state = resume.load(db, _version()) if fresh and new and todo is None else None
        if state is not None and min(new) > state.newest:
            outcome = _resume(db, state, new)
            db.execute("COMMIT")
            outcome.seconds = time.perf_counter() - started
            return outcome
        gone_times = [p for (p,) in db.execute(
            "SELECT st.first FROM story_articles s JOIN stories st ON st.id = s.story "
            f"WHERE s.rowid IN ({_ints(gone)})")]
        times = new + gone_times + ([todo[0], todo[1] - 1] if todo else [])
        if gone and not times:  # only lone articles went: drop their rows
            ids = [i for (i,) in db.execute(f"SELECT id FROM story_articles WHERE rowid IN ({_ints(gone)})")]
            related.forget(db, ids)
            db.executemany("DELETE FROM story_articles WHERE rowid = ?", [(r,) for r in gone])
            coverage.update_map(db, None, gone)
            db.execute("DELETE FROM story_resume")  # it may hold one of them
            db.execute("COMMIT")
            return None
        start = min(times) // DAY * DAY
        end = _extend(db, start, (max(times) // DAY + 1) * DAY)
        outcome = Outcome()
        while True:
            stop = _chunk_end(db, start, end)
            part = _regroup(db, start, stop, gone, ahead=stop >= end)
            outcome.articles += part.articles
            outcome.groups += part.groups
            outcome.editions.update(part.editions)
            gone = []
            if stop >= end:
                db.execute("DELETE FROM meta WHERE key = ?", (_TODO,))
                db.execute("COMMIT")
                break
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_TODO, f"{stop} {end}"))
            db.execute("COMMIT")
            time.sleep(_GAP)  # a writer waiting for the lock gets it now
            start = stop
            db.execute("BEGIN IMMEDIATE")
    except BaseException:
        rollback(db)  # a full disk has ended the transaction already
        raise
    outcome.seconds = time.perf_counter() - started
    return outcome


def _regroup(db: sqlite3.Connection, start: int, end: int, gone: list[int], ahead: bool = True) -> Outcome:
    """Regroup the articles published in [start, end) and drop the rows of those gone, inside the
    caller's transaction."""
    old = _clear_range(db, start, end, gone)
    # the rows kept of what the run reads (its context): they were indexed first
    known = {r for (r,) in db.execute("SELECT rowid FROM story_articles WHERE rowid >= ?",
                                      ((start - WINDOW) * TIES,))}
    outcome = _run(db, start, end, known, old, ahead=ahead)
    # a story whose articles now stand alone (or joined others) goes; its first article's id
    # may still head a group of one, so only the rows decide
    db.executemany("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                   "(SELECT 1 FROM story_articles s WHERE s.story = stories.id)", [(s,) for s in old])
    coverage.update_map(db, (start - WINDOW, end), gone)
    return outcome


def _resume(db: sqlite3.Connection, state: resume.State, new: list[int]) -> Outcome:
    """Group new articles, all published after the kept state's newest doc, from that state: the
    state's groups are written again only if new articles joined them."""
    grouper = state.grouper
    members = {d.rowid for group in {id(g): g for g in grouper.group_of.values()}.values() for d in group.members}
    old = {s for (s,) in db.execute(f"SELECT story FROM story_articles WHERE rowid IN ({_ints(members)}) "
                                    "AND story IS NOT NULL")}
    known = {d.rowid for d in grouper.window} | members
    start = state.newest + 1
    outcome = _run(db, start, None, known, state=state, keep=members)
    db.executemany("DELETE FROM stories WHERE id = ? AND NOT EXISTS "
                   "(SELECT 1 FROM story_articles s WHERE s.story = stories.id)", [(s,) for s in old])
    coverage.update_map(db, (start - WINDOW, (max(new) // DAY + 1) * DAY), [])
    return outcome


def _extend(db: sqlite3.Connection, start: int, end: int) -> int:
    """Move ``end`` past every story that straddles it (they are regrouped whole)."""
    for _ in range(1000):
        row = db.execute("SELECT max(last) FROM stories WHERE first < ? AND last >= ?", (end, end)).fetchone()
        if not row or row[0] is None:
            return end
        end = (row[0] // DAY + 1) * DAY
    return end + SPAN


def _clear_range(db: sqlite3.Connection, start: int, end: int, gone: list[int]) -> set[str]:
    """Forget the rows of articles published in [start, end) and of those gone; returns the story
    ids they were in."""
    rows = db.execute(  # rowids are publication times x TIES, a tie nudged up: the range finds rows fast
        "SELECT s.rowid, s.id, s.story FROM story_articles s JOIN articles a ON a.rowid = s.rowid "
        "WHERE s.rowid >= ? AND s.rowid < ? AND a.published >= ? AND a.published < ?",
        (start * TIES, end * TIES + max_nudge(db) + 1, start, end)).fetchall()
    rows += db.execute(f"SELECT rowid, id, story FROM story_articles WHERE rowid IN ({_ints(gone)})").fetchall()
    db.executemany("DELETE FROM story_articles WHERE rowid = ?", [(r,) for r, _, _ in rows])
    stories = {s for _, _, s in rows if s}
    related.forget(db, stories | {i for _, i, _ in rows})
    return stories
