"""Turn one archive file into rows ready to store — the part of indexing that runs in workers.

Everything expensive happens here, in a worker process: reading, decoding, parsing,
cleaning HTML, detecting the script, compressing, and tokenizing for search. The
writer then only inserts. Results are plain tuples so they cross processes cheaply.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsreader import paths, script
from newsreader.model import Article, DateOnly
from newsreader.safetext import storable
from newsreader.store import bodies, tokens

if TYPE_CHECKING:
    from newsreader.sources.header import Header

# Search covers the first million characters of a body (a long book chapter's worth); beyond
# that an article is still stored and shown whole, but its tail is not searched. Keeps the
# memory of indexing a pathological 30 MB file bounded.
MAX_SEARCHED_CHARS = 1_000_000

# Rowids are publication seconds times this, so up to this many articles of the same second
# keep their second (a tie takes the next free rowid).
TIES = 2


@dataclass(frozen=True)
class Row:
    """One article as the cache stores it (see schema.py), plus its search tokens."""

    id: str
    url: str
    outlet: str
    title: str
    summary: str
    author: str
    category: str
    keywords: str
    published: int | None
    script: str
    source: str
    format: str
    data: bytes  # HTML, text, media and links in one frame (store/bodies.py)
    quality: int
    title_tokens: str
    body_tokens: str
    date_only: int = 0  # 1: ``published`` is the noon (UTC) of a day given without a time
    chars: str = ""  # the characters index's tokens (tokens.char_tokens)
    full: bool = True  # False: a catalogue row (its header alone: no body, author, script or tokens)

    def sort_key(self) -> int:
        """The preferred rowid: the publication time in epoch seconds, so rowid order is date
        order and FTS5's rowid deltas stay short; undated articles get negative keys."""
        if self.published is not None:
            return self.published * TIES
        return -1 - (int(self.id[:7], 16) & 0x3FFFFFF)


@dataclass(frozen=True)
class FileResult:
    """What one file gave: its stat, its rows, or the reason it gave none."""

    path: str
    size: int
    mtime_ns: int
    rows: tuple[Row, ...] = ()
    error: str = ""
    retry: bool = False  # not read for a reason outside the file (its worker died or froze): try again next run


def article_id(article: Article) -> str:
    """A stable id: from the canonical URL, else from the content. 16 hex digits."""
    basis = article.url or f"content:{article.title}\n{article.text[:4000]}"
    return hashlib.sha1(basis.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def search_text(summary: str, text: str) -> str:
    """The body-column text the search index holds: summary and body."""
    return f"{summary}\n{text}" if summary else text


def to_row(article: Article, dictionary: bytes | None = None) -> Row:
    """Everything the cache stores for an article (its frame compressed with ``dictionary``)."""
    article = storable(article)
    published = int(article.published.timestamp()) if article.published else None
    title_tokens, title_chars = tokens.index_forms(article.title)
    body_tokens, body_chars = tokens.index_forms(search_text(article.summary, article.text)[:MAX_SEARCHED_CHARS])
    return Row(
        id=article_id(article),
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        summary=article.summary,
        author=article.author,
        category=article.category,
        keywords=json.dumps(list(article.keywords), ensure_ascii=False),
        published=published,
        date_only=int(isinstance(article.published, DateOnly)),
        script=script.detect(article.title + "\n" + article.text).value,
        source=article.source,
        format=article.format,
        data=bodies.pack(article.body_html, article.text, article.media, article.links, dictionary),
        quality=len(article.text),
        title_tokens=title_tokens,
        body_tokens=body_tokens,
        chars=tokens.char_tokens(title_chars, body_chars),
    )


def prepare(path: str, dictionary: bytes | None = None) -> FileResult:
    """Read one file into rows; never raises for anything in the file."""
    try:
        stat = os.stat(paths.external(path))
    except OSError as error:
        return FileResult(path, 0, 0, error=f"cannot read ({error.strerror or error})")
    from newsreader.sources import ParseError, parse_file  # the parsers: only where files are read

    try:
        articles = parse_file(path)
        rows = tuple(to_row(a, dictionary) for a in articles)
    except ParseError as error:
        return FileResult(path, stat.st_size, stat.st_mtime_ns, error=str(error))
    except RecursionError:
        return FileResult(path, stat.st_size, stat.st_mtime_ns, error="nested too deeply to read")
    except MemoryError:
        return FileResult(path, stat.st_size, stat.st_mtime_ns, error="too large to read in memory")
    except Exception as error:
        return FileResult(path, stat.st_size, stat.st_mtime_ns,
                          error=f"could not be parsed ({type(error).__name__}: {error})")
    if not rows:
        return FileResult(path, stat.st_size, stat.st_mtime_ns, error="no article in it")
    return FileResult(path, stat.st_size, stat.st_mtime_ns, rows=rows)


def prepare_many(paths: list[str], dictionary: bytes | None = None) -> list[FileResult]:
    """A worker's batch."""
    return [prepare(p, dictionary) for p in paths]



def header_row(head: Header) -> Row:
    """The catalogue row of an article: every field :func:`to_row` gives that a header settles
    (the same values), the rest empty until its file is parsed in full."""
    url, title, outlet, summary, category, source, fmt = (
        storable(value) for value in (head.url, head.title, head.outlet, head.summary, head.category, head.source,
                                      head.format))
    published = int(head.published.timestamp()) if head.published else None
    return Row(
        id=hashlib.sha1(url.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        url=url, outlet=outlet, title=title, summary=summary, author="", category=category,
        keywords=json.dumps(list(storable(head.keywords)), ensure_ascii=False),
        published=published, date_only=int(isinstance(head.published, DateOnly)), script="",
        source=source, format=fmt, data=b"", quality=-1, title_tokens="", body_tokens="", full=False,
    )


def catalogue(path: str, dictionary: bytes | None = None) -> FileResult:
    """The first phase of indexing one file: its articles' catalogue rows from the cheapest
    correct read of its header; the whole file (as :func:`prepare`) when the header alone
    cannot settle them (no URL, a printed time only the HTML parser can find) or it fails."""
    from newsreader.sources import ParseError, fields_file  # the parsers: only where files are read
    from newsreader.sources.header import header

    try:
        stat = os.stat(paths.external(path))
        found = header(fields_file(path))
    except (OSError, ParseError, RecursionError, MemoryError):
        found = None
    except Exception:  # whatever it was, the full parse meets it again and says what it was
        found = None
    if found is None:
        return prepare(path, dictionary)
    return FileResult(path, stat.st_size, stat.st_mtime_ns, rows=(header_row(found),))


def catalogue_many(paths: list[str], dictionary: bytes | None = None) -> list[FileResult]:
    """A batch of :func:`catalogue`."""
    return [catalogue(p, dictionary) for p in paths]
