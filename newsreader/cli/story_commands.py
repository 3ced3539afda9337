"""The story commands: ``stories``, ``story ID`` and ``coverage QUERY``."""

from __future__ import annotations

import argparse
import sys

from newsreader import cjk, labels, script
from newsreader.cli import output
from newsreader.cli.commands import Exit, _date, _resolve, _view, ensure_indexed
from newsreader.cli.output import shown
from newsreader.config import Settings
from newsreader.safetext import echoed
from newsreader.store.library import Library
from newsreader.stories.coverage import BY, span

SPARKS = " ▁▂▃▄▅▆▇█"


def add_parsers(commands: argparse._SubParsersAction, filters, script_option, positive) -> None:
    """Add the three commands to the CLI's parser."""
    stories = commands.add_parser("stories", help="stories several outlets covered, newest first")
    filters(stories)
    stories.add_argument("--min-outlets", type=positive, default=2, metavar="N",
                         help="only stories at least N outlets covered (2)")
    stories.add_argument("--limit", type=positive, metavar="N", help="at most N stories")
    stories.add_argument("--json", action="store_true", help="a JSON list")
    script_option(stories)

    story = commands.add_parser("story", help="one story: every outlet's article, related stories")
    story.add_argument("id", metavar="ID", help="the id (or a unique prefix) of any of its articles")
    script_option(story)
    story.add_argument("--json", action="store_true", help="a JSON object")

    coverage = commands.add_parser("coverage", help="articles matching QUERY per outlet over time")
    coverage.add_argument("query", metavar="QUERY")
    coverage.add_argument("--by", choices=BY, default="day", help="day (default), week or month (local time)")
    filters(coverage)
    coverage.add_argument("--json", action="store_true", help="a JSON object")


def cmd_stories(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """stories [--since D] [--until D] [--outlet O] [--min-outlets N] [--limit N] [--json]"""
    ensure_indexed(library)
    view = _view(args.script)
    found = library.stories(outlet=library.outlet_key(args.outlet) if args.outlet else None,
                            since=_date(args.since, "--since"), until=_date(args.until, "--until"),
                            min_outlets=args.min_outlets, limit=args.limit)
    if args.json:
        output.write_json([s.to_json() for s in found])
    else:
        term = output.is_terminal(sys.stdout)
        tint = output.colour(sys.stdout)
        for item in found:
            day = output.local_time(_utc(item.first), with_zone=False)[:10]
            title = script.convert(item.title, view, settings.traditional)
            head = f"{output.paint(item.id[:10], '33', tint)}  {day}  {item.articles:>3}  "
            outlets = ",".join(shown(key) for key in item.outlets)
            room = output.width() - 32 - len(outlets) if term else 0
            if term and room > 10:
                title = cjk.truncate(title, room)
            sys.stdout.write(f"{head}{shown(title)}  {output.paint(outlets, '36', tint)}\n")
    if not found:
        if not args.json:
            print("newsreader: no stories match", file=sys.stderr)
        return Exit.NOT_FOUND
    return Exit.OK


def _utc(epoch: int):
    from newsreader.store.records import utc

    return utc(epoch)


def cmd_story(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """story ID [--script S] [--json]"""
    ensure_indexed(library)
    view = _view(args.script)
    story, members, related = library.story(_resolve(library, args.id))
    notes = library.annotations([m.listing.id for m in members])

    def conv(text: str) -> str:
        return script.convert(text, view, settings.traditional)

    if args.json:
        data = story.to_json()
        data["title"] = conv(data["title"])
        data["articles"] = [{**m.listing.to_json(), "title": conv(m.listing.title), "length": m.length,
                             "same_text": m.same_text, **notes.get(m.listing.id, {})} for m in members]
        data["related"] = [{**r.to_json(members=False), "title": conv(r.title)} for r in related]
        output.write_json(data)
        return Exit.OK
    tint = output.colour(sys.stdout)
    print(output.paint(shown(conv(story.title)), "1", tint))
    print(f"{labels.count(len(members), 'article')} · {labels.count(len(story.outlets), 'outlet')} · story {story.id[:10]}")
    print()
    for member in members:
        listing = member.listing
        mark = "=" if member.same_text else " "
        when = output.local_time(listing.published, with_zone=False)
        outlet = cjk.pad(cjk.truncate(listing.outlet_name(view), 14), 14)
        print(f"{output.paint(listing.id[:10], '33', tint)}  {when}  {outlet}  {member.length:>6}  {mark} "
              f"{shown(conv(listing.title))}")
    if any(m.same_text for m in members):
        print("\n= the same text as another outlet's article (a wire copy)")
    if related:
        print("\nRelated")
        for item in related:
            day = output.local_time(_utc(item.first), with_zone=False)[:10]
            print(f"{output.paint(item.id[:10], '33', tint)}  {day}  {item.articles:>3}  {shown(conv(item.title))}")
    return Exit.OK


def cmd_coverage(args: argparse.Namespace, library: Library, settings: Settings) -> int:
    """coverage QUERY [--by day|week|month] [--outlet O] [--since D] [--until D] [--json]"""
    ensure_indexed(library)
    data = library.coverage(args.query, by=args.by, outlet=library.outlet_key(args.outlet) if args.outlet else None,
                            since=_date(args.since, "--since"), until=_date(args.until, "--until"))
    if args.json:
        output.write_json(data)
    elif not output.is_terminal(sys.stdout):
        sys.stdout.write("outlet\tbucket\tcount\n")
        for outlet, buckets in data["outlets"].items():
            for name, n in buckets.items():
                sys.stdout.write(f"{shown(outlet)}\t{name}\t{n}\n")
    else:
        sys.stdout.write(chart(data, output.width()))
    if not data["total"]:
        print(f"newsreader: nothing matches {echoed(args.query)}", file=sys.stderr)
        return Exit.NOT_FOUND
    return Exit.OK


def chart(data: dict, width: int) -> str:
    """The terminal chart: one row per outlet, a bar of block characters per bucket, its total."""
    names = span([b for buckets in data["outlets"].values() for b in buckets], data["by"])
    if not names:
        return ""
    keys = {key: shown(key) for key in data["outlets"]}
    key_width = max(cjk.cell_len(k) for k in keys.values())
    room = max(8, width - key_width - 10)
    names = names[-room:]
    peak = max((n for buckets in data["outlets"].values() for n in buckets.values()), default=1)
    lines = [f"{'':<{key_width}}  {names[0]} … {names[-1]}  ({labels.count(data['total'], 'article')}, by {data['by']})"]
    for outlet, buckets in data["outlets"].items():
        bar = "".join(SPARKS[0 if not buckets.get(b) else max(1, round(buckets[b] / peak * 8))] for b in names)
        lines.append(f"{cjk.pad(keys[outlet], key_width)}  {bar}  {sum(buckets.values()):>5}")
    return "\n".join(lines) + "\n"

