"""Search over the FTS5 index: title hits first, then body hits, each newest first.

Ranking is cheap by construction: the index's rowids are the articles' sort keys
(publication time in the high bits), so ``ORDER BY rowid DESC LIMIT n`` reads only
the newest hits instead of scoring every one.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from newsreader import script
from newsreader.markers import PLACEHOLDER
from newsreader.safetext import printable_line
from newsreader.store import bodies, tokens
from newsreader.store.prepare import MAX_SEARCHED_CHARS
from newsreader.store.records import LISTING_COLUMNS, Listing


@dataclass(frozen=True)
class Hit:
    """A search result: the article, whether its title matched, and a snippet of the text."""

    listing: Listing
    in_title: bool
    snippet: str


@dataclass(frozen=True)
class Plan:
    """How a query is asked of the index: which FTS5 table and expression find any hit, which
    find the title hits, and what the characters index must match as well (``chars``,
    ``chars_in_title``; '' for nothing)."""

    table: str
    anywhere: str
    in_title: str
    title_table: str = "titles"
    chars: str = ""
    chars_in_title: str = ""

    def where(self, *, title: bool = False) -> tuple[str, str, tuple[str, ...]]:
        """The table to select from, the WHERE condition and its parameters, for any hit or
        (``title``) the title hits: ``SELECT rowid FROM {table} WHERE {condition}``."""
        table = self.title_table if title else self.table
        expression = self.in_title if title else self.anywhere
        extra = self.chars_in_title if title else self.chars
        if not extra:
            return table, f"{table} MATCH ?", (expression,)
        # '+': the characters' hits are a set the newest-first scan checks, not rowids to look up
        # one by one (with a common character, every one a MATCH of its own: 20 ms at 2,000 -> 0.5)
        return (table, f"{table} MATCH ? AND +{table}.rowid IN (SELECT rowid FROM chars WHERE chars MATCH ?)",
                (expression, extra))


def plan(query: str) -> Plan | None:
    """The plan for ``query``, or None when it has nothing to search for.

    Queries of one-character terms go to the characters index (one entry per character an
    article holds): in the bigram index a character is a prefix over every bigram it begins,
    seconds of merging at a million articles, and it is not alone at the end of a run (see
    store/tokens.py). Other terms go to the bigram index; a one-character term among them,
    and the character opening a term like ``港，美国``, are asked of the characters index too.
    """
    chars: list[str] = []
    phrases: list[str] = []
    for term in tokens.terms(query):
        found, lead = tokens.split_term(term)
        if lead is not None:
            chars.append(lead)
        if found is not None:
            phrases.append(found)
    if not chars and not phrases:
        return None
    anywhere_chars = " AND ".join(f'"{c}"' for c in chars)
    title_chars = " AND ".join(f'"{tokens.TITLE_MARK}{c}"' for c in chars)
    if not phrases:
        return Plan("chars", anywhere_chars, title_chars, "chars")
    expression = " AND ".join(phrases)
    return Plan("search", expression, expression, chars=anywhere_chars, chars_in_title=title_chars)


def matching_rowids(db: sqlite3.Connection, query: str) -> list[int]:
    """Every matching article's rowid, oldest first (for counts over time)."""
    found = plan(query)
    if found is None:
        return []
    table, condition, parameters = found.where()
    return [r for (r,) in db.execute(f"SELECT rowid FROM {table} WHERE {condition} ORDER BY rowid", parameters)]


def _rowids(db: sqlite3.Connection, found: Plan, title: bool, outlet: str | None, limit: int) -> list[int]:
    table, condition, parameters = found.where(title=title)
    if outlet:
        sql = (f"SELECT {table}.rowid FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
               f"WHERE {condition} AND a.outlet = ? ORDER BY {table}.rowid DESC LIMIT ?")
        return [r[0] for r in db.execute(sql, (*parameters, outlet, limit))]
    sql = f"SELECT rowid FROM {table} WHERE {condition} ORDER BY rowid DESC LIMIT ?"
    return [r[0] for r in db.execute(sql, (*parameters, limit))]


# A snippet looks for the hit in at most this much of a body: what the index covers, plus
# the summary in front of it.
SNIPPET_SCAN_CHARS = MAX_SEARCHED_CHARS + 10_000
# Where no usual spelling of a term is found, the text is normalised a chunk at a time up to
# this far (spellings OpenCC folds many-to-one: 髮 for 发).
_SLOW_SCAN_CHARS = 65_536
_CHUNK = 8_192
SNIPPET_TERMS = 16  # a snippet looks for the first this many distinct terms of a query
_TO_FULLWIDTH = {code - 0xFEE0: code for code in range(0xFF01, 0xFF5F)}


@lru_cache(maxsize=256)
def _variants(needle: str) -> frozenset[str]:
    """Raw spellings a normalised query term may have in a text: as simplified, in
    traditional script, and with fullwidth forms (all lowercase). Remembered: a page of
    results asks for the same terms' spellings once per hit."""
    return frozenset(f for f in (needle, script.to_traditional(needle), needle.translate(_TO_FULLWIDTH)) if f)


@lru_cache(maxsize=256)
def _needle(term: str) -> str:
    return tokens.normalise(term).strip()


def _cased(needle: str) -> bool:
    return needle.upper() != needle.lower()


def _plain_position(text: str, needle: str) -> int:
    """Where the first of ``needle``'s usual spellings occurs in ``text`` (in the lowercased
    text when it has letters with case), or -1."""
    haystack = text.lower() if _cased(needle) else text
    found = [p for p in (haystack.find(v) for v in _variants(needle)) if p >= 0]
    return min(found) if found else -1


def _raw_position(text: str, needle: str) -> int:
    """Where ``needle`` (normalised) occurs in ``text``, found cheaply: a plain search for
    its usual spellings (in the lowercased text when it has letters with case), else the
    start of the text normalised a chunk at a time. -1 if not found."""
    found = _plain_position(text, needle)
    if found >= 0:
        return min(found, len(text) - 1)
    overlap = len(needle) * 2 + 8
    for begin in range(0, min(len(text), _SLOW_SCAN_CHARS), _CHUNK):
        chunk = text[begin:begin + _CHUNK + overlap]
        position = tokens.normalise(chunk).find(needle)
        if position >= 0:
            return begin + min(position, len(chunk) - 1)
    return -1


@lru_cache(maxsize=64)
def _needles(query: str) -> tuple[str, ...]:
    """The normalised forms of a query's first :data:`SNIPPET_TERMS` distinct terms
    (remembered: a page asks once per hit)."""
    found = (_needle(term) for term in list(dict.fromkeys(tokens.terms(query)))[:SNIPPET_TERMS])
    return tuple(n for n in found if n)


def snippet(text: str, query: str, width: int = 60, *, more_before: bool = False, more_after: bool = False) -> str:
    """About ``width`` characters of ``text`` around the first place a query term occurs.

    Only a window around the hit is looked at (the raw position is found by a plain search
    for the term's spellings), and it is normalised only when the hit was a spelling that
    only folding finds, so a 20 MB body costs what a short one does. ``more_before`` and
    ``more_after`` say that ``text`` is a piece of a longer one (an ellipsis goes there).
    """
    text = text[:SNIPPET_SCAN_CHARS]
    raw = -1
    needle = ""
    for needle in _needles(query):
        raw = _raw_position(text, needle)
        if raw >= 0:
            break
    margin = width * 2 + len(needle)
    begin = max(0, raw - margin) if raw >= 0 else 0
    window = text[begin:(raw if raw >= 0 else 0) + margin + width]
    at_end = begin + len(window) >= len(text)
    window = " ".join(PLACEHOLDER.sub(" ", window).split())
    position = _plain_position(window, needle) if raw >= 0 else 0
    if position < 0:  # a spelling only folding finds (髮 for 发): look for it in the folded window
        folded = tokens.normalise(window)
        position = folded.find(needle)
        if len(folded) != len(window):  # conversion changed lengths: cut the converted text instead
            window = folded
        if position < 0:
            position = min(raw - begin, len(window))
    start = max(0, position - width // 3)
    end = min(len(window), start + width)
    before = start > 0 or begin > 0 or more_before
    after = end < len(window) or not at_end or more_after
    cut = ("…" if before else "") + window[start:end] + ("…" if after else "")
    return printable_line(cut)


_FULLWIDTH_CAPITAL = re.compile(rb"\xef\xbc[\xa1-\xba]")  # a literal start: searched fast


def _capitals_outside_ascii(data: bytes) -> bool:
    """Whether UTF-8 ``data`` holds a capital that lowercases to ASCII or to a fullwidth
    letter (Ａ-Ｚ, İ, the Kelvin sign)."""
    return b"\xc4\xb0" in data or b"\xe2\x84\xaa" in data or _FULLWIDTH_CAPITAL.search(data) is not None


def _utf8_start(data: bytes, at: int) -> int:
    """``at`` moved forward to the first byte of a character."""
    while at < len(data) and 0x80 <= data[at] < 0xC0:
        at += 1
    return at


@lru_cache(maxsize=64)
def _any_term_in_text(query: str) -> str | None:
    """The expression that matches the text column for any of the query's terms, or None
    when a term's character is asked of the characters index (title and text together)."""
    phrases = []
    for term in dict.fromkeys(tokens.terms(query)):
        found, lead = tokens.split_term(term)
        if lead is not None:
            return None
        if found:
            phrases.append(found)
    return "{body} : (" + " OR ".join(phrases) + ")" if phrases else None


def _text_holds_none(db: sqlite3.Connection, rowid: int, query: str) -> bool:
    """Whether the search index says the summary and text of article ``rowid`` hold none of
    the query's terms (a title hit): then no spelling of them needs looking for."""
    expression = _any_term_in_text(query)
    if expression is None:
        return False
    try:
        row = db.execute("SELECT 1 FROM search WHERE search MATCH ? AND rowid = ?", (expression, rowid)).fetchone()
    except sqlite3.OperationalError:  # an index laid out otherwise: look through the text instead
        return False
    return row is None


def hit_snippet(db: sqlite3.Connection, summary: str, frame: bytes, query: str, width: int = 60,
                rowid: int | None = None) -> str:
    """What :func:`snippet` says of an article's summary and text, for a page of results:
    where the query's first term is in the summary or plainly in the text, only a window of
    the text around it is decoded (the text is searched as UTF-8); where the search index
    says the text holds no term (article ``rowid`` is a title hit), only its start; otherwise
    the start of the text is decoded and :func:`snippet` looks through it."""
    data = bodies.text_bytes(db, frame, SNIPPET_SCAN_CHARS * 4)
    needles = _needles(query)
    first = needles[0] if needles else ""
    searched = data[:SNIPPET_SCAN_CHARS]  # bytes: never past the characters snippet() would look at
    cased = bool(first) and _cased(first)
    # a Latin term is looked for in the text lowercased as bytes, which is what lowercasing the
    # decoded text gives unless capitals outside ASCII come before the hit that lowercase to a
    # spelling of the term (fullwidth Ａ-Ｚ, İ, the Kelvin sign): then the text is decoded whole
    if first and (not cased or first.isascii()):
        margin = width * 2 + len(first)
        in_summary = _plain_position(summary, first)
        if in_summary >= 0:  # the summary comes first: the hit is there
            tail = _utf8_start(data, 4 * (margin + width))
            return snippet(summary + "\n" + data[:tail].decode("utf-8", "ignore"), query, width,
                           more_after=tail < len(data))
        haystack = searched.lower() if cased else searched
        found = [p for p in (haystack.find(v.encode()) for v in _variants(first)) if p >= 0]
        if found and not (cased and _capitals_outside_ascii(searched[:min(found) + len(first) * 4])):
            hit = min(found)
            head = _utf8_start(data, hit - 4 * margin) if hit > 4 * margin else 0
            tail = _utf8_start(data, hit + 4 * (margin + width + len(first)))
            piece = data[head:tail].decode("utf-8", "ignore")
            if head == 0:
                return snippet(summary + "\n" + piece, query, width, more_after=tail < len(data))
            return snippet(piece, query, width, more_before=True, more_after=tail < len(data))
    if rowid is not None and _text_holds_none(db, rowid, query):
        tail = _utf8_start(data, 4 * (3 * width + max(map(len, needles), default=0)))
        return snippet(summary + "\n" + data[:tail].decode("utf-8", "ignore"), query, width,
                       more_after=tail < len(data))
    return snippet(summary + "\n" + data.decode("utf-8", "ignore"), query, width)


def _body_start(db: sqlite3.Connection, frame: bytes) -> str:
    """As much of a stored body as a snippet looks at (a giant is not inflated whole)."""
    return bodies.text_of(db, frame, SNIPPET_SCAN_CHARS * 4)


def count_matches(db: sqlite3.Connection, query: str, *, outlet: str | None = None) -> int:
    """How many articles match ``query`` (title or text), however many that is."""
    found = plan(query)
    if found is None:
        return 0
    table, condition, parameters = found.where()
    if outlet:
        sql = (f"SELECT count(*) FROM {table} JOIN articles a ON a.rowid = {table}.rowid "
               f"WHERE {condition} AND a.outlet = ?")
        return db.execute(sql, (*parameters, outlet)).fetchone()[0]
    return db.execute(f"SELECT count(*) FROM {table} WHERE {condition}", parameters).fetchone()[0]


def search(db: sqlite3.Connection, query: str, *, outlet: str | None = None, limit: int = 50) -> list[Hit]:
    """The best ``limit`` hits for ``query`` (see module doc for the order)."""
    found = plan(query)
    if found is None or limit <= 0:
        return []
    title_ids = _rowids(db, found, True, outlet, limit)
    ids = list(title_ids)
    if len(ids) < limit:
        seen = set(ids)
        more = _rowids(db, found, False, outlet, limit + len(ids))
        ids.extend(r for r in more if r not in seen)
        ids = ids[:limit]
    if not ids:
        return []
    in_title = set(title_ids)
    placeholders = ",".join("?" * len(ids))
    rows = {r[0]: r for r in db.execute(
        f"SELECT {LISTING_COLUMNS}, a.summary, b.data FROM articles a JOIN bodies b ON b.rowid = a.rowid "
        f"WHERE a.rowid IN ({placeholders})", ids)}
    hits = []
    for rowid in ids:
        row = rows.get(rowid)
        if row is None:
            continue
        listing = Listing.from_row(row)
        hits.append(Hit(listing, rowid in in_title, hit_snippet(db, row[9], row[10], query, rowid=rowid)))
    return hits
