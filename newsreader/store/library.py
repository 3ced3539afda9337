"""The headless core's one door: the cache, the user's state and indexing, for the CLI and the app.

``Library`` opens (or rebuilds) the cache, attaches the user's state, keeps the
index up to date and answers every question the front ends ask. It never imports
Textual or Rich.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

from newsreader import outlets, paths
from newsreader.safetext import echoed, printable_line
from newsreader.store import bodies, indexer, schema
from newsreader.store import counts as tallies
from newsreader.store import outline as counting
from newsreader.store.errors import NotFound
from newsreader.store.indexer import IndexLock, IndexResult
from newsreader.store.ondemand import read_now
from newsreader.store.outline import (
    Counts,
    OutletCount,
    Period,
    Scope,
    Show,
    local_day_bounds,
)
from newsreader.store.prepare import TIES
from newsreader.store.records import LISTING_COLUMNS, Detail, Listing
from newsreader.store.search import Hit, count_matches, search
from newsreader.store.state import State, StateError, disk_full, room
from newsreader.store.story_views import StoryViews
from newsreader.stories import queries as story_queries
from newsreader.stories import tables as story_tables


class Ambiguous(LookupError):
    """An id prefix that fits more than one article."""


def _warn(message: str) -> None:
    print(f"newsreader: {printable_line(message)}", file=sys.stderr)


class CacheError(Exception):
    """The cache cannot take what indexing would write (its disk is full, it is read-only);
    the message says so in one line. What it held before stays usable."""


class Library(StoryViews):
    """The cache and the user's state together.

    ``cache_mode`` is "file" normally; "read-only" when the cache cannot be written (what it
    holds is shown, nothing is indexed); "memory" when it cannot even be opened (a folder
    that is a file, a cache that is a folder): each run then indexes into memory."""

    def __init__(self, warn: Callable[[str], None] = _warn) -> None:
        self.warn = warn
        self.state = State(paths.state_db(), warn)
        self.cache_path = paths.cache_db()
        self.cache_mode = "file"
        self.db = self._open_cache()
        self._counts_db: sqlite3.Connection | None = None
        self._counts_lock = threading.Lock()

    def _open_cache(self) -> sqlite3.Connection:
        try:
            db = schema.open_cache(self.cache_path, self.warn)
            story_tables.ensure(db)
        except (OSError, sqlite3.OperationalError) as error:  # damage is rebuilt inside; this is storage
            db = self._fallback_cache(error)
        self.state.attach_to(db)
        return db

    def _fallback_cache(self, error: BaseException) -> sqlite3.Connection:
        why = schema.describe(error, self.cache_path) or f"cannot be opened ({error})"
        if self.cache_path.is_file():
            for query in ("mode=ro", "immutable=1"):  # immutable: a read-only folder with no -shm
                try:
                    db = sqlite3.connect(paths.sqlite_uri(self.cache_path, query), uri=True,
                                         isolation_level=None, check_same_thread=False)
                    if schema.usable(db) == "":
                        self.cache_mode = "read-only"
                        self.warn(f"the cache at {self.cache_path} {why}: showing what it holds, not indexing")
                        return db
                    db.close()
                except sqlite3.DatabaseError:
                    continue
        self.cache_mode = "memory"
        self.warn(f"the cache at {self.cache_path} {why}: indexing into memory for this run")
        db = schema.connect(Path(":memory:"))
        schema.create(db)
        story_tables.ensure(db)
        return db

    def rebuild(self, reason: str) -> None:
        """Throw the cache away and start a new one (user state untouched)."""
        self.warn(f"the cache is damaged ({reason}); rebuilding it")
        try:
            self.db.close()
        except sqlite3.Error:
            pass
        self._close_counts()
        schema.remove(self.cache_path)
        self.db = self._open_cache()

    def _close_counts(self) -> None:
        with self._counts_lock:
            if self._counts_db is not None:
                self._counts_db.close()
                self._counts_db = None

    def _update_counts(self, update: Callable[[sqlite3.Connection], bool]) -> bool:
        """Run a write to the outline's count tables on their own connection, which gives up at
        once (False) instead of waiting while another process indexes: the UI never waits."""
        with self._counts_lock:
            if self.cache_mode == "read-only":
                return False  # cannot be written: counted from the rows instead
            if self.cache_mode == "memory":
                return update(self.db)
            if self._counts_db is None:
                self._counts_db = schema.connect(self.cache_path)
                self.state.attach_to(self._counts_db)
            self._counts_db.execute("PRAGMA busy_timeout = 50")
            try:
                return update(self._counts_db)
            except sqlite3.OperationalError:  # busy or locked: the counts catch up later
                return False

    def repair(self, error: BaseException) -> None:
        """After a corruption error: recover the state file if it is the damaged one (the
        cache is not to blame then), else rebuild the cache."""
        if self.state.healthy():
            self.rebuild(str(error))
            return
        self.state.reopen()
        self._close_counts()
        try:
            self.db.execute("DETACH DATABASE state")
        except sqlite3.Error:
            pass
        self.state.attach_to(self.db)

    def close(self) -> None:
        """Close both databases."""
        self._close_counts()
        self.db.close()
        self.state.close()

    # -- sources and indexing ------------------------------------------------------------

    def sources(self) -> list[str]:
        """The remembered sources, or the bundled sample when none was ever given."""
        return self.state.sources() or [str(paths.bundled_seeds())]

    def needs_index(self) -> bool:
        """Whether the sources changed since the last index (a quick look, no file stats)."""
        return indexer.sources_changed(self.db, self.sources())

    def index(
        self,
        roots: list[str] | None = None,
        *,
        progress: indexer.Progress | None = None,
        report: indexer.Report | None = None,
        should_stop: Callable[[], bool] = lambda: False,
        wait: bool = True,
        listing: indexer.Progress | None = None,
        listed: Callable[[], None] | None = None,
    ) -> IndexResult | None:
        """Index ``roots`` (remembering them) or every source. None if another run holds the
        lock and ``wait`` is False. Two phases (see :func:`indexer.index`): ``listing`` and
        ``listed`` follow the first (every article listed), ``progress`` the second."""
        remembered = self.sources()
        if roots:
            roots = [source_path(r) for r in roots]
            try:
                self.state.add_sources(roots)
            except StateError as error:  # indexed all the same, only not remembered
                self.warn(str(error))
            remembered = self.sources()
            remembered += [r for r in roots if r not in remembered]
        if self.cache_mode == "read-only":
            raise CacheError(f"cannot index: the cache at {self.cache_path} cannot be written")
        lock = IndexLock(paths.index_lock())
        try:
            if self.cache_mode == "file" and not lock.acquire(blocking=wait):
                return None  # (an in-memory cache is this process's alone: no lock)
        except OSError as error:
            raise CacheError(f"cannot index: the lock file {lock.path} cannot be used "
                             f"({error.strerror or error})") from None
        try:
            result = indexer.index(self.db, roots or remembered, all_roots=remembered,
                                   progress=progress, report=report, should_stop=should_stop,
                                   listing=listing, listed=listed)
            self.db.execute("DELETE FROM meta WHERE key = 'full_disk_room'")
            if not should_stop():
                self._update_stories()  # stories and editions: cache data computed after indexing
            return result
        except sqlite3.OperationalError as error:
            why = schema.describe(error, self.cache_path)
            if not why:
                raise
            if why == "is on a full disk":
                self._remember_full_disk()
            raise CacheError(f"indexing stopped: the cache at {self.cache_path} {why}; "
                             "it keeps what was indexed before") from None
        finally:
            lock.release()

    def ensure_indexed(self, progress: indexer.Progress | None = None,
                       report: indexer.Report | None = None,
                       listing: indexer.Progress | None = None) -> IndexResult | None:
        """Index first when the cache is empty or the sources changed; never wait for another run."""
        if self.cache_mode == "read-only":
            return None
        if self.state.in_memory and not self.state.sources() and self.count():
            return None  # the remembered sources are unknown: never swap the cache's articles for the sample's
        if not self.needs_index():
            self.ensure_stories()
            return None
        if self.cache_mode == "file" and (disk_full(self.cache_path.parent) or self._still_full()):
            # every command would parse every changed file again only to fail at the first write
            self.warn(f"the cache at {self.cache_path} is on a full disk: showing what it holds, not indexing")
            return None
        try:
            return self.index(progress=progress, report=report, wait=False, listing=listing)
        except CacheError as error:  # show what the cache holds all the same
            self.warn(str(error))
            return None

    def _remember_full_disk(self) -> None:
        """Note the room there was when a run stopped on a full disk. Its transaction rolled
        back, so the room is back and looks ample, but the same run would fail the same way:
        until there is more room, commands show what the cache holds (see ensure_indexed)."""
        try:  # the write-ahead log's pages of the rolled-back run are room again once it is reset
            wal = Path(str(self.cache_path) + "-wal")
            log = wal.stat().st_size if wal.is_file() else 0
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('full_disk_room', ?)",
                            (str(room(self.cache_path.parent) + log),))
        except (sqlite3.Error, OSError):
            pass  # no room even for that: disk_full() says so

    def _still_full(self) -> bool:
        """A run stopped on a full disk and there is no more room now than then."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'full_disk_room'").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and room(self.cache_path.parent) <= int(row[0]) + 64 * 1024

    def ensure_stories(self) -> None:
        """Recompute the story and edition tables if another algorithm version made them (no
        file is parsed again); skipped while another process indexes (it will do it)."""
        if self.cache_mode == "read-only" or story_tables.current(self.db):
            return
        if self.cache_mode == "memory":
            self._update_stories()
            return
        lock = IndexLock(paths.index_lock())
        try:
            free = lock.acquire(blocking=False)
        except OSError:  # no usable lock file: the next index run will do it
            return
        if free:
            try:
                self._update_stories()
            finally:
                lock.release()

    def _update_stories(self) -> None:
        """Bring the story tables up to date; a failure there costs the stories, never the index."""
        from newsreader.stories import compute as story_compute  # the grouping: only when it must run

        try:
            story_compute.update(self.db)
        except sqlite3.DatabaseError:
            raise  # storage trouble: the caller's handling (rebuild, read-only, full disk) applies
        except Exception as error:  # a bug in grouping must not stop reading
            self.warn(f"stories were not updated: {error}")

    # -- reading -------------------------------------------------------------------------

    def listings(
        self,
        *,
        outlet: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
        starred: bool = False,
        unread: bool = False,
    ) -> list[Listing]:
        """Articles newest first, filtered."""
        where: list[str] = ["1"]
        args: list[object] = []
        if outlet:
            where.append("a.outlet = ?")
            args.append(outlet)
        if since:
            where.append("a.rowid >= ? AND a.published >= ?")
            args.extend([local_day_bounds(since)[0] * TIES, local_day_bounds(since)[0]])
        if until:
            where.append("a.rowid < ? AND a.published < ?")
            args.extend([self._rowid_below(local_day_bounds(until)[1]), local_day_bounds(until)[1]])
        if starred:
            where.append("a.id IN (SELECT article_id FROM state.starred)")
        if unread:
            where.append("a.id NOT IN (SELECT article_id FROM state.read)")
        if self.stories_ready:
            where.append(story_queries.SHOWN)  # an article's other editions are one entry with it
        sql = f"SELECT {LISTING_COLUMNS} FROM articles a WHERE {' AND '.join(where)} ORDER BY a.rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [Listing.from_row(r) for r in self.db.execute(sql, args)]

    def resolve(self, prefix: str) -> str:
        """The full id of the one article whose id starts with ``prefix``."""
        prefix = prefix.strip().lower()
        if not prefix or any(c not in "0123456789abcdef" for c in prefix):
            raise NotFound(f"no article with id {echoed(prefix)}")
        rows = self.db.execute("SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2",
                               (prefix, prefix + "g")).fetchall()
        if not rows:
            raise NotFound(f"no article with id {echoed(prefix)}")
        if len(rows) > 1:
            raise Ambiguous(f"id {echoed(prefix)} fits more than one article; give more of it")
        return rows[0][0]

    def article(self, article_id: str) -> Detail:
        """One article in full."""
        row = self.db.execute(
            f"SELECT {LISTING_COLUMNS}, a.summary, a.author, a.category, a.keywords, a.script, a.format, "
            "b.data FROM articles a LEFT JOIN bodies b ON b.rowid = a.rowid "
            "WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {echoed(article_id)}")
        files = [r[0] for r in self.db.execute(
            "SELECT path FROM article_files WHERE article_id = ? ORDER BY path", (article_id,))]
        listing = Listing.from_row(row)
        if row[15] is None:  # catalogued, not yet parsed in full: read its file now
            fields, body = read_now(row[6], article_id)
            return Detail.from_row(listing, fields, body, files)
        return Detail.from_row(listing, row[9:], bodies.unpack(self.db, row[15]), files)

    def stored_size(self, article_id: str) -> int:
        """How many bytes an article's body, text, media and links take unpacked (read from
        the frame's header, nothing inflated), to tell a giant before reading it; 0 when
        there is no such article. An article catalogued only is read by parsing its file
        (see :meth:`article`): see :meth:`parsed_when_read`."""
        row = self.db.execute("SELECT substr(b.data, 1, 32), length(b.data) FROM articles a "
                              "JOIN bodies b ON b.rowid = a.rowid WHERE a.id = ?", (article_id,)).fetchone()
        return bodies.unpacked_size(row[0], row[1]) if row and row[0] is not None else 0

    def parsed_when_read(self, article_id: str) -> bool:
        """Whether reading the article parses its file now (catalogued, not yet parsed in full):
        milliseconds for most files, seconds for a giant or hostile one, so never on a thread
        that must answer at once."""
        return self.db.execute("SELECT 1 FROM articles a JOIN shallow s ON s.rowid = a.rowid WHERE a.id = ?",
                               (article_id,)).fetchone() is not None

    def listing(self, article_id: str) -> Listing:
        """One article's listing."""
        row = self.db.execute(f"SELECT {LISTING_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with id {echoed(article_id)}")
        return Listing.from_row(row)

    def outlet_counts(self, show: Show = Show.ALL) -> list[OutletCount]:
        """Every outlet the view shows, with its counts, the one with the newest article first."""
        self._update_counts(tallies.refresh)
        return counting.outlet_counts(self.db, show)

    def outlet_key(self, name: str) -> str:
        """An ``--outlet`` value as an outlet key: a known outlet's key or name in either script,
        or an outlet named from its front matter written in the other script (燕京書評 finds
        the outlet keyed 燕京书评)."""
        key = resolve_outlet(name)
        if outlets.by_name(name) is None and not key.isascii():
            from newsreader.script import to_simplified  # only for names the table does not know
            keys = [outlet.key for outlet in self.outlet_counts()]
            if key not in keys:
                folded = to_simplified(key)
                return next((other for other in keys if to_simplified(other) == folded), key)
        return key

    def counts(self, scope: Scope | None = None) -> Counts:
        """Total, unread and starred articles of a scope (everything by default): the one
        source of every count the app and the CLI show."""
        self._update_counts(tallies.refresh)
        return counting.counts(self.db, scope or Scope())

    def periods(self, outlet: OutletCount | str, within: Scope | None = None,
                show: Show = Show.ALL) -> list[Period]:
        """An outlet's years or months (then undated), a year's months or a month's days,
        newest first, with counts; only those holding articles the view shows."""
        self._update_counts(tallies.refresh)
        return counting.periods(self.db, outlet, within, show)

    def scope_listings(self, scope: Scope, show: Show = Show.ALL, limit: int | None = None) -> list[Listing]:
        """The articles of a scope (a day, say) the view shows, newest first."""
        return counting.listings(self.db, scope, show, limit)

    def next_unread(self, after: Listing | None, order: list[str] | None = None,
                    show: Show = Show.ALL) -> Listing | None:
        """The next unread article after ``after`` in list order (outlets in ``order``, by
        default by their newest article; each newest first), round to the top once."""
        if order is None:
            order = [o.key for o in self.outlet_counts()]
        return counting.next_unread(self.db, after, order, show)

    def mark_read(self, scope: Scope | None = None, article_ids: list[str] | None = None) -> int:
        """Mark every article of a scope (or these articles: a story's) read; how many were unread."""
        if article_ids is not None:
            ids = counting.unread_among(self.db, article_ids)
        else:
            ids = counting.unread_ids(self.db, scope or Scope())
        before = self.state.read_generation()
        changed = self.state.set_read_many(ids)
        if changed:
            self._update_counts(lambda db: tallies.note_read_many(db, ids, True, before, before + changed))
        return changed

    def days(self, outlet: str) -> list[tuple[date | None, int, int]]:
        """An outlet's local days, newest first: (day, articles, unread)."""
        self._update_counts(tallies.refresh)
        return [(date.fromisoformat(d) if d else None, n, u) for d, n, u in tallies.days(self.db, outlet)]

    def day_listings(self, outlet: str, day: date | None) -> list[Listing]:
        """One outlet's articles of one local day (or undated), newest first."""
        if day is None:
            sql = f"SELECT {LISTING_COLUMNS} FROM articles a WHERE a.outlet = ? AND a.published IS NULL"
            return [Listing.from_row(r) for r in self.db.execute(sql, (outlet,))]
        start, end = local_day_bounds(day)
        # rowids are publication times (x TIES) a tie nudges upward: the rowid range
        # finds the rows through the index, the published test keeps the day exact
        sql = (f"SELECT {LISTING_COLUMNS} FROM articles a WHERE a.outlet = ? AND a.rowid >= ? AND a.rowid < ? "
               "AND a.published >= ? AND a.published < ? ORDER BY a.rowid DESC")
        low, high = start * TIES, self._rowid_below(end)
        return [Listing.from_row(r) for r in self.db.execute(sql, (outlet, low, high, start, end))]

    def _rowid_below(self, end: int) -> int:
        """A rowid above every article published before epoch second ``end``, ties included."""
        return end * TIES + indexer.max_nudge(self.db) + 1

    def neighbour(self, listing: Listing | None, step: int, order: list[str] | None = None,
                  show: Show = Show.ALL) -> Listing | None:
        """The article after (step +1) or before (-1) ``listing`` in the outline's order:
        outlets in ``order`` (by default, by their newest article), each newest first; only
        the articles the view shows (all, unread, starred)."""
        if order is None:
            order = [o.key for o in self.outlet_counts()]
        return counting.neighbour(self.db, listing, step, order, show)

    def search(self, query: str, *, outlet: str | None = None, limit: int = 50) -> list[Hit]:
        """Search titles, summaries and bodies in either script (an article's editions are one hit)."""
        hits = search(self.db, query, outlet=outlet, limit=limit + 20)
        hidden = self.hidden_editions([h.listing.rowid for h in hits])
        return [h for h in hits if h.listing.rowid not in hidden][:limit]

    def search_count(self, query: str, *, outlet: str | None = None) -> int:
        """How many articles match a search in all (``search`` lists at most its limit)."""
        return count_matches(self.db, query, outlet=outlet)

    def count(self) -> int:
        """How many articles the cache holds."""
        return self.db.execute("SELECT coalesce(sum(articles), 0) FROM day_counts").fetchone()[0]

    def searchable(self) -> tuple[int, int]:
        """(how many articles search covers, how many the cache holds): fewer while the
        second phase of indexing is still under way (or was interrupted)."""
        total = self.count()
        waiting = self.db.execute("SELECT count(*) FROM shallow").fetchone()[0]
        return total - waiting, total

    # -- user state ----------------------------------------------------------------------

    def set_starred(self, article_id: str, starred: bool) -> None:
        """Star or unstar."""
        self.state.set_starred(article_id, starred)

    def set_read(self, article_id: str, read: bool = True) -> None:
        """Mark read or unread (the outline's counts follow)."""
        if self.state.set_read(article_id, read):
            generation = self.state.read_generation()
            self._update_counts(lambda db: tallies.note_read_many(db, [article_id], read, generation - 1, generation))


def resolve_outlet(name: str) -> str:
    """An ``--outlet`` value (key or name in either script) as an outlet key."""
    known = outlets.by_name(name)
    return known.key if known else name.strip().lower()


def source_path(path: str) -> str:
    """A source path as remembered: absolute, without a trailing separator, in newsreader's
    path text (a name that is not UTF-8 is kept byte for byte, see :mod:`newsreader.paths`)."""
    return paths.internal(os.path.abspath(os.path.expanduser(path)))
