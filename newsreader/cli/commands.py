"""One function per command. Each takes the parsed arguments and an open Library and
returns an exit code; errors are raised as :class:`CommandError` and printed by the caller."""

from __future__ import annotations

import argparse
import os
import stat
import sys
import time
from collections.abc import Callable
from datetime import date

from newsreader import cjk, paths
from newsreader.cli import output
from newsreader.cli.output import shown, shown_path
from newsreader.config import Settings
from newsreader.model import View
from newsreader.safetext import echoed
from newsreader.store.indexer import IndexResult
from newsreader.store.library import Library, source_path


class Exit:
    """Exit codes: the CLI's output is an API."""

    OK = 0
    NOT_FOUND = 1
    USAGE = 2


class CommandError(Exception):
    """A one-line error for stderr, with its exit code."""

    def __init__(self, message: str, code: int = Exit.NOT_FOUND) -> None:
        super().__init__(message)
        self.code = code


def _report(path: str, reason: str) -> None:
    print(f"newsreader: {shown_path(path)}: {shown(reason)}", file=sys.stderr)


def ensure_indexed(library: Library) -> None:
    """Index first if the cache is empty or the sources changed (progress on a terminal)."""
    listing, listed = output.progress_bar("listing")
    update, stop = output.progress_bar("indexing")
    try:
        library.ensure_indexed(progress=_after(listed, update), report=_report, listing=listing)
    finally:
        listed()
        stop()


def _after(first: Callable[[], None], then: Callable[[int, int], None]) -> Callable[[int, int], None]:
    """``then``, calling ``first`` once before it (the listing bar gives way to the indexing one)."""
    called = [False]

    def update(done: int, total: int) -> None:
        if not called[0]:
            called[0] = True
            first()
        then(done, total)

    return update


def cmd_index(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """index [PATH ...]"""
    for path in args.paths:
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            reason = "no such file or folder" if isinstance(error, FileNotFoundError) else error.strerror
            raise CommandError(f"{shown_path(path)}: {reason}", Exit.NOT_FOUND) from None
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise CommandError(f"{shown_path(path)}: not a regular file or a folder (only regular files are read)",
                               Exit.USAGE)
    started = time.monotonic()
    listing, listed = output.progress_bar("listing")
    update, stop = output.progress_bar("indexing")
    if _busy():
        print("newsreader: waiting for another index run to finish…", file=sys.stderr)
    try:
        result = library.index(args.paths or None, progress=_after(listed, update), report=_report,
                               listing=listing, listed=listed)
    finally:
        listed()
        stop()
    assert result is not None
    seconds = time.monotonic() - started
    print(f"newsreader: {result.seen} files, {result.parsed} read ({result.skipped_unchanged} unchanged): "
          f"{result.articles_added} articles added, {result.articles_updated} updated, "
          f"{result.articles_removed} removed, {len(result.failed)} files not read; "
          f"{library.count()} articles in the cache ({seconds:.1f} s{_listed(result)})", file=sys.stderr)
    if result.parsed and len(result.failed) == result.parsed and not result.skipped_unchanged:
        return Exit.NOT_FOUND
    if result.seen == 0 and args.paths:
        raise CommandError("no files found in " + ", ".join(shown_path(p) for p in args.paths))
    return Exit.OK


def _listed(result: IndexResult) -> str:
    """When every article was listed, if that came well before the end."""
    return f"; all listed after {result.listed_after:.1f} s" if result.parsed and result.completed else ""


def _busy() -> bool:
    from newsreader.store.indexer import IndexLock

    lock = IndexLock(paths.index_lock())
    try:
        free = lock.acquire(blocking=False)
    except OSError:  # no cache folder to lock in: the cache is in memory, nobody else's
        return False
    if free:
        lock.release()
        return False
    return True


def cmd_sources(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """sources [--remove PATH]"""
    if args.remove:
        if not library.state.remove_source(source_path(args.remove)):
            raise CommandError(f"{shown_path(args.remove)} is not a remembered source")
        print(f"forgot {shown_path(source_path(args.remove))}; its articles leave the cache at the next index",
              file=sys.stderr)
        return Exit.OK
    remembered = library.state.sources()
    if not remembered:
        print(f"{paths.bundled_seeds()}  (the bundled sample: no source given yet; "
              "add one with 'newsreader index PATH')")
        return Exit.OK
    for path in remembered:
        print(shown_path(path))
    return Exit.OK


def _date(text: str | None, flag: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} takes a date as YYYY-MM-DD, not {echoed(text)}", Exit.USAGE) from None


def _view(text: str) -> View:
    try:
        return View.parse(text)
    except ValueError as error:
        raise CommandError(str(error), Exit.USAGE) from None


def _filters(library: Library, args: argparse.Namespace) -> dict:
    return {
        "outlet": library.outlet_key(args.outlet) if args.outlet else None,
        "since": _date(args.since, "--since"),
        "until": _date(args.until, "--until"),
    }


def cmd_list(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """list [--outlet O] [--since D] [--until D] [--limit N] [--starred] [--unread] [--json]"""
    ensure_indexed(library)
    items = library.listings(**_filters(library, args), limit=args.limit, starred=args.starred, unread=args.unread)
    if args.json:
        notes = library.annotations([i.id for i in items])
        output.write_json([{**i.to_json(), **notes[i.id]} for i in items])
    else:
        output.listing_table(items, _view(args.script), settings.traditional, sys.stdout)
    if not items:
        if not args.json:
            print("newsreader: no articles match", file=sys.stderr)
        return Exit.NOT_FOUND
    return Exit.OK


def _resolve(library: Library, prefix: str) -> str:
    from newsreader.store.library import Ambiguous, NotFound

    try:
        return library.resolve(prefix)
    except NotFound as error:
        raise CommandError(str(error), Exit.NOT_FOUND) from None
    except Ambiguous as error:
        raise CommandError(str(error), Exit.USAGE) from None


def cmd_show(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """show ID [--script S] [--format text|markdown|json]"""
    ensure_indexed(library)
    view = _view(args.script)
    detail = library.article(_resolve(library, args.id))
    if args.format == "json":
        data = output.detail_json(detail, view, settings.traditional)
        output.write_json({**data, **library.annotations([detail.listing.id])[detail.listing.id]})
    elif args.format == "markdown":
        sys.stdout.write(output.shown_line(output.article_markdown(detail, view, settings.traditional)))
    else:
        wrap = min(output.width(), 100) if output.is_terminal(sys.stdout) else None
        text = output.article_text(detail, view, settings.traditional, wrap)
        if output.colour(sys.stdout):  # the headline bold, the line under it dim
            head, _, rest = text.partition("\n")
            meta, _, rest = rest.partition("\n")
            text = output.paint(head, "1", True) + "\n" + output.paint(meta, "2", True) + "\n" + rest
        sys.stdout.write(text)
    return Exit.OK


def cmd_export(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """export [--outlet O] [--since D] [--until D] [--script S]: one JSON object a line."""
    ensure_indexed(library)
    view = _view(args.script)
    items = library.listings(**_filters(library, args))
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        notes = library.annotations([i.id for i in chunk])
        for item in chunk:
            data = output.detail_json(library.article(item.id), view, settings.traditional)
            output.write_json({**data, **notes[item.id]}, lines=True)
    if not items:
        print("newsreader: no articles match", file=sys.stderr)
        return Exit.NOT_FOUND
    return Exit.OK


def cmd_star(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """star ID / unstar ID"""
    ensure_indexed(library)
    article_id = _resolve(library, args.id)
    starred = args.command == "star"
    library.set_starred(article_id, starred)
    listing = library.listing(article_id)
    print(f"{'starred' if starred else 'unstarred'} {article_id[:10]}  {shown(listing.title)}")
    return Exit.OK


def cmd_read(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """read ID / unread ID"""
    ensure_indexed(library)
    article_id = _resolve(library, args.id)
    read = args.command == "read"
    library.set_read(article_id, read)
    listing = library.listing(article_id)
    print(f"marked {'read' if read else 'unread'} {article_id[:10]}  {shown(listing.title)}")
    return Exit.OK


def cmd_outlets(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """outlets [--json]"""
    ensure_indexed(library)
    from newsreader import outlets as table

    counts = library.outlet_counts()
    if args.json:
        output.write_json([{
            "key": c.key, "name": c.name(), "name_simplified": table.get(c.key).name_hans,
            "name_traditional": table.get(c.key).name_hant, "count": c.count, "unread": c.unread,
            "starred": c.starred,
            "newest": output.iso(c.newest),
        } for c in counts])
    else:
        key_width = max((cjk.cell_len(shown(c.key)) for c in counts), default=0)  # a key may be a Chinese name
        for c in counts:
            newest = c.newest.astimezone().strftime("%Y-%m-%d") if c.newest else "undated"
            unread = f"{c.unread} unread"
            print(f"{cjk.pad(shown(c.key), key_width)}  {c.count:>6}  {unread:>12}  {newest}  {shown(c.name())}")
    if not counts:
        return Exit.NOT_FOUND
    return Exit.OK


def cmd_search(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """search QUERY [--outlet O] [--limit N] [--json]"""
    ensure_indexed(library)
    view = _view(args.script)
    hits = library.search(args.query, outlet=library.outlet_key(args.outlet) if args.outlet else None,
                          limit=args.limit)
    if args.json:
        from newsreader import script

        notes = library.annotations([h.listing.id for h in hits])
        output.write_json([{**h.listing.to_json(), "title": script.convert(h.listing.title, view, settings.traditional),
                            "snippet": script.convert(h.snippet, view, settings.traditional),
                            "in_title": h.in_title, **notes[h.listing.id]} for h in hits])
    else:
        from newsreader import script

        for hit in hits:
            output.listing_table([hit.listing], view, settings.traditional, sys.stdout)
            print("            " + shown(script.convert(hit.snippet, view, settings.traditional)))
    searched, total = library.searchable()
    if searched < total:
        print(f"newsreader: searched {searched:,} of {total:,} articles; the rest are listed but still being "
              "indexed for search (run 'newsreader index' to finish)", file=sys.stderr)
    if not hits:
        print(f"newsreader: nothing matches {echoed(args.query)}", file=sys.stderr)
        return Exit.NOT_FOUND
    return Exit.OK
