"""The archive's outline and its counts: outlets, years, months and days, under a view.

This module is the one place where "how many articles, how many unread, how many
starred" is computed, for the app's tree, its header and ``newsreader outlets``
alike, so they always agree. Everything here goes through :class:`Scope` (a set of
articles: everything, an outlet, or one outlet's year, month or day), and through the
three functions :func:`counts`, :func:`periods` and :func:`outlet_counts`; a later
change of how counts are stored (count tables, say) stays inside this module.

Periods are local calendar periods (the process's time zone), as the tree shows them.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum

from newsreader import outlets
from newsreader.model import View
from newsreader.store import counts as tallies
from newsreader.store.indexer import max_nudge
from newsreader.store.prepare import TIES
from newsreader.store.records import LISTING_COLUMNS, Listing, utc

# An outlet whose articles span more than this many months shows years above its months.
MONTHS_WITHOUT_YEARS = 24

_READ = "EXISTS (SELECT 1 FROM state.read r WHERE r.article_id = a.id)"
_STARRED = "EXISTS (SELECT 1 FROM state.starred s WHERE s.article_id = a.id)"


class Show(str, Enum):
    """Which articles the app shows: all, only unread, or only starred (the `v` key)."""

    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"

    def next(self) -> Show:
        """The view `v` moves to: all → unread → starred → all."""
        order = [Show.ALL, Show.UNREAD, Show.STARRED]
        return order[(order.index(self) + 1) % len(order)]

    def clause(self) -> str:
        """The SQL condition (on ``articles a``) an article must meet to be shown."""
        return {Show.ALL: "1", Show.UNREAD: f"NOT {_READ}", Show.STARRED: _STARRED}[self]

    def source(self) -> str:
        """The FROM clause for the view's articles (``a``): the starred view walks the
        starred list first (a few articles), never every article of an outlet."""
        return "state.starred s CROSS JOIN articles a ON a.id = s.article_id" if self is Show.STARRED else "articles a"

    def admits(self, listing: Listing) -> bool:
        """Whether an article is one this view shows (by its flags as last read)."""
        return self is Show.ALL or (self is Show.UNREAD and not listing.read) or (
            self is Show.STARRED and listing.starred)


@dataclass(frozen=True)
class Counts:
    """How many articles a scope holds, how many of them are unread, how many starred."""

    total: int = 0
    unread: int = 0
    starred: int = 0

    def shown(self, show: Show) -> int:
        """The number the view counts: all articles, the unread ones or the starred ones."""
        return {Show.ALL: self.total, Show.UNREAD: self.unread, Show.STARRED: self.starred}[show]


def local_day_bounds(day: date) -> tuple[int, int]:
    """The epoch seconds at which a local calendar day starts and the next one starts.

    Any date is answered, 0001-01-01 and 9999-12-31 in any time zone included: days at the
    ends of the calendar are taken as the nearest day whose bounds exist, which no article
    (dated 1900 to 2200) can tell apart."""
    ordinal = min(max(day.toordinal(), _FIRST), _LAST)
    return _epoch(date.fromordinal(ordinal)), _epoch(date.fromordinal(ordinal + 1))


_FIRST, _LAST = date(1, 1, 3).toordinal(), date(9999, 12, 29).toordinal()


def _epoch(day: date) -> int:
    return int(datetime.combine(day, time.min).astimezone().timestamp())


def _after(day: date, level: str) -> date:
    """The first day after the year, month or day that starts on ``day``."""
    if level == "year":
        return date(day.year + 1, 1, 1)
    if level == "month":
        return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return date.fromordinal(day.toordinal() + 1)


@dataclass(frozen=True)
class Scope:
    """A set of articles a tree node stands for: all of them, an outlet, or one outlet's
    local year, month or day (``level`` and its first day ``start``), or its undated ones."""

    outlet: str | None = None
    level: str = ""  # "", "year", "month", "day" or "undated"
    start: date | None = None

    @property
    def end(self) -> date | None:
        """The first day after the period (None when the scope is not a period)."""
        return _after(self.start, self.level) if self.start and self.level in ("year", "month", "day") else None

    def where(self, nudge: int = 0) -> tuple[str, list]:
        """The SQL condition on ``articles a`` that selects the scope, and its arguments.

        Rowids are publication times (x TIES) a tie nudges upward by at most ``nudge``: the
        rowid range finds the rows through the outlet index, the ``published`` test keeps
        the period exact.
        """
        clauses: list[str] = []
        args: list = []
        if self.outlet is not None:
            clauses.append("a.outlet = ?")
            args.append(self.outlet)
        if self.level == "undated":
            clauses.append("a.published IS NULL")
        elif self.start is not None and self.end is not None:
            low, high = _epoch(self.start), _epoch(self.end)
            clauses.append("a.rowid >= ? AND a.rowid < ? AND a.published >= ? AND a.published < ?")
            args.extend([low * TIES, high * TIES + nudge + 1, low, high])
        return " AND ".join(clauses) or "1", args

    def holds(self, listing: Listing) -> bool:
        """Whether an article lies in the scope."""
        if self.outlet is not None and listing.outlet != self.outlet:
            return False
        if self.level == "undated":
            return listing.published is None
        if self.start is not None and self.end is not None:
            if listing.published is None:
                return False
            return self.start <= listing.published.astimezone().date() < self.end
        return True


@dataclass(frozen=True)
class Period:
    """A node under an outlet: a year, month or day (or the undated articles) with counts."""

    scope: Scope
    counts: Counts

    def label(self) -> str:
        """``2024``, ``2024-11``, ``2024-11-14`` or ``undated``."""
        start, level = self.scope.start, self.scope.level
        if start is None or level == "undated":
            return "undated"
        return {"year": f"{start.year}", "month": f"{start.year}-{start.month:02d}"}.get(level, start.isoformat())


@dataclass(frozen=True)
class OutletCount:
    """An outlet with its counts, its newest and oldest dates, and how its periods nest."""

    key: str
    count: int
    unread: int
    newest: datetime | None
    starred: int = 0
    oldest: datetime | None = None

    @property
    def counts(self) -> Counts:
        """The outlet's counts."""
        return Counts(self.count, self.unread, self.starred)

    @property
    def scope(self) -> Scope:
        """All of the outlet's articles."""
        return Scope(self.key)

    def name(self, view: View = View.ORIGINAL) -> str:
        """The outlet's display name in a script."""
        return outlets.get(self.key).name(view)

    def top_level(self) -> str:
        """``year`` when its articles span more than two years, else ``month``."""
        if self.newest is None or self.oldest is None:
            return "month"
        newest, oldest = self.newest.astimezone(), self.oldest.astimezone()
        months = (newest.year - oldest.year) * 12 + newest.month - oldest.month
        return "year" if months >= MONTHS_WITHOUT_YEARS else "month"


_COUNTS = f"count(*), coalesce(sum(NOT {_READ}), 0), coalesce(sum({_STARRED}), 0)"


def _day_range(scope: Scope) -> tuple[str, list]:
    """The condition on ``day_counts`` (and its arguments) that selects a scope's days."""
    clauses, args = [], []
    if scope.outlet is not None:
        clauses.append("outlet = ?")
        args.append(scope.outlet)
    if scope.level == "undated":
        clauses.append("day = ''")
    elif scope.start is not None and scope.end is not None:
        clauses.append("day >= ? AND day < ?")
        args.extend([scope.start.isoformat(), scope.end.isoformat()])
    return " AND ".join(clauses) or "1", args


def _flagged(db: sqlite3.Connection, table: str, scope: Scope, group: str = "''") -> dict[tuple, int]:
    """How many of a scope's articles are in the state's ``read`` or ``starred`` list, by
    (outlet, ``group``): a walk of that list (starred ones are few; read ones only when
    the read counts are stale), never of every article — CROSS JOIN says so: SQLite knows
    nothing of the attached list's size and walked every article otherwise (0.15 s at
    100,000 articles, on every first screen)."""
    where, args = scope.where(max_nudge(db))
    return {(outlet, key): n for outlet, key, n in db.execute(
        f"SELECT a.outlet, {group} AS g, count(*) FROM state.{table} f CROSS JOIN articles a ON a.id = f.article_id "
        f"WHERE {where} GROUP BY a.outlet, g", args)}


def _from_tables(db: sqlite3.Connection, scope: Scope, group: str = "''") -> list[tuple[str, str, Counts]] | None:
    """(outlet, group key, counts) of a scope from the count tables, grouped by ``group``
    (an expression of ``day``), or None when the tables' days are of another time zone."""
    zone_ok, read_ok = tallies.fresh(db)
    if not zone_ok:
        return None
    where, args = _day_range(scope)
    rows = db.execute(f"SELECT outlet, {group} AS g, sum(articles), sum(read) FROM day_counts WHERE {where} "
                      "GROUP BY outlet, g", args).fetchall()
    day_of = tallies.DAY.format("a.published")
    starred = _flagged(db, "starred", scope, group.replace("day", day_of))
    read = None if read_ok else _flagged(db, "read", scope, group.replace("day", day_of))
    found = []
    for outlet, key, total, was_read in rows:
        if read is not None:
            was_read = read.get((outlet, key), 0)
        found.append((outlet, key, Counts(total, total - was_read, starred.get((outlet, key), 0))))
    return found


def counts(db: sqlite3.Connection, scope: Scope | None = None) -> Counts:
    """The counts of a scope (everything by default)."""
    scope = scope or Scope()
    tables = _from_tables(db, scope)
    if tables is not None:
        return Counts(sum(c.total for *_k, c in tables), sum(c.unread for *_k, c in tables),
                      sum(c.starred for *_k, c in tables))
    where, args = scope.where(max_nudge(db))
    total, unread, starred = db.execute(f"SELECT {_COUNTS} FROM articles a WHERE {where}", args).fetchone()
    return Counts(total, unread, starred)


def outlet_counts(db: sqlite3.Connection, show: Show = Show.ALL) -> list[OutletCount]:
    """Every outlet the view shows, with its counts, the one with the newest article first."""
    tables = _from_tables(db, Scope())
    if tables is not None:
        nudge = max_nudge(db)
        ordered = []
        for key, _group, tally in tables:
            top = db.execute("SELECT rowid FROM articles WHERE outlet = ? ORDER BY rowid DESC LIMIT 1",
                             (key,)).fetchone()
            # the newest date lies within the largest tie nudge of the highest rowid
            newest = db.execute("SELECT max(published) FROM articles WHERE outlet = ? AND rowid >= ?",
                                (key, top[0] - nudge if top else 0)).fetchone()[0]
            oldest_day = db.execute("SELECT min(day) FROM day_counts WHERE outlet = ? AND day != ''",
                                    (key,)).fetchone()[0]
            oldest = None
            if oldest_day:  # the earliest moment of the outlet's earliest day
                where, args = Scope(key, "day", date.fromisoformat(oldest_day)).where(nudge)
                oldest = db.execute(f"SELECT min(a.published) FROM articles a WHERE {where}", args).fetchone()[0]
            ordered.append((top[0] if top else 0, OutletCount(key, tally.total, tally.unread, utc(newest),
                                                              tally.starred, utc(oldest))))
        ordered.sort(key=lambda pair: pair[0], reverse=True)
        return [o for _top, o in ordered if o.counts.shown(show)]
    rows = db.execute(
        f"SELECT a.outlet, {_COUNTS}, max(a.published), min(a.published) FROM articles a "
        "GROUP BY a.outlet ORDER BY max(a.rowid) DESC").fetchall()
    found = [OutletCount(key, total, unread, utc(newest), starred, utc(oldest))
             for key, total, unread, starred, newest, oldest in rows]
    return [o for o in found if o.counts.shown(show)]


_GROUP = {"year": "%Y-01-01", "month": "%Y-%m-01", "day": "%Y-%m-%d"}
# The same periods from a count table's ``day`` ('' when undated stays '').
_TABLE_GROUP = {"year": "CASE day WHEN '' THEN '' ELSE substr(day, 1, 4) || '-01-01' END",
                "month": "CASE day WHEN '' THEN '' ELSE substr(day, 1, 7) || '-01' END",
                "day": "day"}


def periods(db: sqlite3.Connection, outlet: OutletCount | str, within: Scope | None = None,
            show: Show = Show.ALL) -> list[Period]:
    """The children of an outlet (its years or months, then undated) or of a year (months)
    or month (days), newest first, with counts; only those with articles the view shows."""
    if within is not None and within.level in ("year", "month"):
        level, scope = {"year": "month", "month": "day"}[within.level], within
    else:
        if isinstance(outlet, str):
            found = next((o for o in outlet_counts(db) if o.key == outlet), None)
            if found is None:
                return []
            outlet = found
        level, scope = outlet.top_level(), outlet.scope
    outlet_key = scope.outlet or (outlet if isinstance(outlet, str) else outlet.key)
    tables = _from_tables(db, scope, _TABLE_GROUP[level])
    if tables is not None:
        # newest first, undated last, as the query below orders them
        rows = sorted(((key or None, c.total, c.unread, c.starred) for _o, key, c in tables),
                      key=lambda r: r[0] or "", reverse=True)
    else:
        where, args = scope.where(max_nudge(db))
        group = f"strftime('{_GROUP[level]}', a.published, 'unixepoch', 'localtime')"
        rows = db.execute(f"SELECT {group} AS period, {_COUNTS} FROM articles a WHERE {where} "
                          "GROUP BY period ORDER BY period IS NULL, period DESC", args).fetchall()
    found_periods = []
    for start, total, unread, starred in rows:
        if start is None and scope.level:
            continue  # undated articles belong to the outlet only
        period_scope = (Scope(outlet_key, level, date.fromisoformat(start)) if start
                        else Scope(outlet_key, "undated"))
        found_periods.append(Period(period_scope, Counts(total, unread, starred)))
    return [p for p in found_periods if p.counts.shown(show)]


def listings(db: sqlite3.Connection, scope: Scope, show: Show = Show.ALL, limit: int | None = None) -> list[Listing]:
    """The articles of a scope the view shows, newest first."""
    where, args = scope.where(max_nudge(db))
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_articles'").fetchone():
        from newsreader.stories.queries import SHOWN

        where += f" AND {SHOWN}"  # an article's editions are one entry (the others reachable by e)
    sql = f"SELECT {LISTING_COLUMNS} FROM {show.source()} WHERE {where} AND {show.clause()} ORDER BY a.rowid DESC"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [Listing.from_row(r) for r in db.execute(sql, args)]


def unread_ids(db: sqlite3.Connection, scope: Scope) -> list[str]:
    """The ids of a scope's unread articles (what `A` marks read)."""
    where, args = scope.where(max_nudge(db))
    return [r[0] for r in db.execute(f"SELECT a.id FROM articles a WHERE {where} AND NOT {_READ}", args)]


def unread_among(db: sqlite3.Connection, article_ids: list[str]) -> list[str]:
    """Those of ``article_ids`` that are articles of the cache and unread (a story's, say)."""
    found: list[str] = []
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found += [r[0] for r in db.execute(f"SELECT a.id FROM articles a WHERE a.id IN ({marks}) AND NOT {_READ}",
                                           chunk)]
    return found


def next_unread(db: sqlite3.Connection, after: Listing | None, order: list[str],
                show: Show = Show.ALL) -> Listing | None:
    """The first unread article after ``after`` in list order (outlets in ``order``, each
    newest first), going round to the top once; None when the view has no unread article."""
    condition = f"NOT {_READ} AND {show.clause()}"

    def first_in(outlet: str, below: int | None = None, above: int | None = None) -> Listing | None:
        sql = f"SELECT {LISTING_COLUMNS} FROM {show.source()} WHERE a.outlet = ? AND {condition}"
        args: list = [outlet]
        if below is not None:
            sql += " AND a.rowid < ?"
            args.append(below)
        if above is not None:
            sql += " AND a.rowid > ?"
            args.append(above)
        row = db.execute(sql + " ORDER BY a.rowid DESC LIMIT 1", args).fetchone()
        return Listing.from_row(row) if row else None

    steps: list[tuple[str, int | None, int | None]]
    if after is not None and after.outlet in order:
        here = order.index(after.outlet)
        steps = [(after.outlet, after.rowid, None)]
        steps += [(key, None, None) for key in order[here + 1:] + order[:here]]
        steps.append((after.outlet, None, after.rowid))  # round to the top of its own outlet
    else:
        steps = [(key, None, None) for key in order]
    for outlet, below, above in steps:
        found = first_in(outlet, below, above)
        if found:
            return found
    return None


def neighbour(db: sqlite3.Connection, listing: Listing | None, step: int, order: list[str],
              show: Show = Show.ALL) -> Listing | None:
    """The article after (step +1) or before (-1) ``listing`` in the outline's order: outlets
    in ``order``, each newest first; only the articles ``show`` shows."""
    condition = show.clause()

    def first(outlet: str, beyond: int | None, forward: bool = step > 0) -> Listing | None:
        sql = f"SELECT {LISTING_COLUMNS} FROM {show.source()} WHERE a.outlet = ? AND {condition}"
        args: list[object] = [outlet]
        if beyond is not None:
            sql += " AND a.rowid < ?" if forward else " AND a.rowid > ?"
            args.append(beyond)
        row = db.execute(sql + f" ORDER BY a.rowid {'DESC' if forward else 'ASC'} LIMIT 1", args).fetchone()
        return Listing.from_row(row) if row else None

    if listing is None:  # nothing open: the top of the list, whichever way
        return next((found for key in order if (found := first(key, None, True))), None)
    found = first(listing.outlet, listing.rowid)
    if found or listing.outlet not in order:
        return found
    here = order.index(listing.outlet)
    rest = order[here + 1:] if step > 0 else list(reversed(order[:here]))
    return next((found for key in rest if (found := first(key, None))), None)
