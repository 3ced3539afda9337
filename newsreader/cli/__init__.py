"""The command line: argparse over the headless core. The app is imported only to open it."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime

from newsreader.cli import story_commands
from newsreader.cli.commands import (
    CommandError,
    Exit,
    cmd_export,
    cmd_index,
    cmd_list,
    cmd_outlets,
    cmd_read,
    cmd_search,
    cmd_show,
    cmd_sources,
    cmd_star,
)
from newsreader.safetext import echoed, printable_line
from newsreader.store.library import CacheError
from newsreader.store.state import StateError

DESCRIPTION = """\
A terminal reader for archives of Chinese-language news (DW, Epoch Times, RFI, NYT Chinese, …).
Run without a command to open the reader app. Every command that reads indexes first when the
remembered sources changed; with no source given yet, the bundled sample of five articles is used."""

EPILOG = """\
examples:
  newsreader                                  open the app
  newsreader index ~/archive                  index a folder (remembered as a source)
  newsreader list --outlet dw --since 2023-10-01
  newsreader show 3f2a --script simplified | less
  newsreader search 习近平 --json              finds 習近平 too
  newsreader export --outlet rfi > rfi.jsonl
  newsreader read 3f2a                        mark an article read (unread: the opposite)

ID is an article id or any unique prefix of it. S (--script) is original, simplified or
traditional (s, t, zh-Hans, zh-Hant). Exit status: 0 ok, 1 not found / nothing matched, 2 usage."""


ERROR_MAX = 300  # characters of a usage error (argparse's own messages repeat the arguments)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print one line and exit 2."""
        if len(message) > ERROR_MAX:  # argparse repeats what was typed: a 6 KB argument stays one line
            message = message[:ERROR_MAX] + "…"
        print(f"{self.prog}: {printable_line(message)} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(Exit.USAGE)


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outlet", metavar="O", help="only this outlet (key or name)")
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="published on or after this local date")
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="published on or before this local date")


def _script(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--script", metavar="S", default="original",
                        help="original (default), simplified or traditional (s, t, zh-Hans, zh-Hant)")


LIMIT_MAX = 2**62  # "no limit": any larger --limit means as many as there are


def _positive(text: str) -> int:
    text = text.strip()
    if text.isdecimal() and len(text) > 18:
        return LIMIT_MAX  # (also past int()'s 4,300-digit guard)
    try:
        value = int(text, 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {echoed(text)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return min(value, LIMIT_MAX)


class _Version(argparse.Action):
    """``--version``, looked up only when asked for: reading the package metadata costs every
    command ~50 ms of CPU (importlib.metadata and the email parser it imports)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        from newsreader import __version__

        parser._print_message(f"newsreader {__version__}\n", sys.stdout)
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = Parser(prog="newsreader", description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, nargs=0, help="show program's version number and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    index = commands.add_parser("index", help="index files/folders (remembered as sources); none: re-index sources",
                                description="Index archive files and folders (recursively) into the cache. "
                                "Given PATHs are remembered as sources; without PATH every remembered source "
                                "is re-indexed, reading only files whose size or time changed.")
    index.add_argument("paths", nargs="*", metavar="PATH")

    sources = commands.add_parser("sources", help="list (or forget) the remembered sources")
    sources.add_argument("--remove", metavar="PATH", help="forget this source")

    list_ = commands.add_parser("list", help="list articles, newest first")
    _filters(list_)
    list_.add_argument("--limit", type=_positive, metavar="N", help="at most N articles")
    list_.add_argument("--starred", action="store_true", help="only starred articles")
    list_.add_argument("--unread", action="store_true", help="only unread articles")
    list_.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    _script(list_)

    show = commands.add_parser("show", help="print one article")
    show.add_argument("id", metavar="ID")
    _script(show)
    show.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default), markdown or json")

    search = commands.add_parser("search", help="search titles and text in either script")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--outlet", metavar="O", help="only this outlet (key or name)")
    search.add_argument("--limit", type=_positive, metavar="N", default=50, help="at most N results (50)")
    search.add_argument("--json", action="store_true", help="a JSON list with snippets")
    _script(search)

    export = commands.add_parser("export", help="every matching article as JSON, one object a line")
    _filters(export)
    _script(export)

    for name, verb in (("star", "keep"), ("unstar", "stop keeping")):
        star = commands.add_parser(name, help=f"{verb} an article (the app's s key)")
        star.add_argument("id", metavar="ID")

    for name, verb in (("read", "mark an article read"), ("unread", "mark an article unread")):
        read = commands.add_parser(name, help=f"{verb} (the app's r key)")
        read.add_argument("id", metavar="ID")

    outlets = commands.add_parser("outlets", help="the outlets in the cache, with counts")
    outlets.add_argument("--json", action="store_true", help="a JSON list")
    story_commands.add_parsers(commands, _filters, _script, _positive)
    return parser


HANDLERS = {
    "index": cmd_index, "sources": cmd_sources, "list": cmd_list, "show": cmd_show, "search": cmd_search,
    "export": cmd_export, "star": cmd_star, "unstar": cmd_star, "read": cmd_read, "unread": cmd_read,
    "outlets": cmd_outlets, "stories": story_commands.cmd_stories, "story": story_commands.cmd_story,
    "coverage": story_commands.cmd_coverage,
}


def _run(args: argparse.Namespace) -> int:
    from newsreader import config
    from newsreader.cli import output
    from newsreader.store import schema
    from newsreader.store.library import Library

    settings = config.load()
    for problem in settings.problems:
        print(f"newsreader: {output.shown(problem)}", file=sys.stderr)
    library = Library()
    try:
        try:
            return HANDLERS[args.command](args, library, settings)
        except Exception as error:
            if not schema.is_corruption(error):
                raise
            library.repair(error)
            return HANDLERS[args.command](args, library, settings)
    finally:
        library.close()


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


PATH_ARGUMENTS = frozenset({"paths", "remove"})  # decoded as paths (newsreader.paths), byte for byte


def _text_arguments(args: argparse.Namespace) -> argparse.Namespace:
    """Every argument that is text, not a path, as valid Unicode: bytes of the command line
    that are not in the locale's encoding (Python keeps them as lone surrogates) become
    U+FFFD, so a query or an outlet can be searched, stored and printed."""
    def text(value: str) -> str:
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeError:
            return value.encode("utf-8", "replace").decode("utf-8")

    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, text(value))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            setattr(args, name, [text(v) for v in value])
    return args


def _settle_time_zone() -> str:
    """Times are shown in the local zone (TZ honoured); a TZ the C library reads as an offset of
    a day or more (TZ=UTC+99:99) made every command that shows a time end in a traceback. Such a
    zone is replaced by UTC for the run, and the returned line says so ('' when TZ is usable)."""
    try:
        datetime.now().astimezone()
    except (ValueError, OverflowError, OSError):
        given = os.environ.get("TZ", "")
        os.environ["TZ"] = "UTC"
        time.tzset()
        return f"TZ={echoed(given)} is not a usable time zone (an offset of a day or more); times are shown in UTC"
    return ""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsreader`` command."""
    for name in ("stdout", "stderr"):  # closed by the caller (`>&-`): output goes nowhere, not a crash
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - for the whole run
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        try:  # --help and usage errors are written while parsing: in any locale, never a crash
            stream.reconfigure(errors=errors)  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass
    parser = build_parser()
    args = _text_arguments(parser.parse_args(argv))
    zone_problem = _settle_time_zone()
    if zone_problem:
        print(f"newsreader: {zone_problem}", file=sys.stderr)
    if getattr(args, "outlet", None) is not None and not args.outlet.strip():
        parser.error("--outlet takes an outlet's key or name (see 'newsreader outlets'), not an empty string")
    for name, what in (("query", "words or characters to look for"), ("id", "an article id or a prefix of it")):
        value = getattr(args, name, None)
        if value is not None and not value.strip():
            parser.error(f"{args.command} takes {what}, not {echoed(value)}")
    if args.command is None:
        if not _is_terminal(sys.stdout) or not _is_terminal(sys.stdin):
            print("newsreader: the app needs a terminal; for output to a file or pipe run "
                  "'newsreader list', 'newsreader show ID' or 'newsreader export' (see 'newsreader --help')",
                  file=sys.stderr)
            return Exit.USAGE
        from newsreader.tui.run import run_app

        return run_app()
    from newsreader.cli import output

    output.configure_streams(json_out=getattr(args, "json", False) or getattr(args, "format", "") == "json"
                             or args.command == "export")
    try:
        return _run(args)
    except CommandError as error:
        print(f"newsreader: {output.shown(str(error))}", file=sys.stderr)
        return error.code
    except CacheError as error:  # a full or read-only cache: what it held stays usable
        print(f"newsreader: {output.shown(str(error))}", file=sys.stderr)
        return Exit.NOT_FOUND
    except StateError as error:  # nothing was changed; say what and why
        print(f"newsreader: {output.shown(str(error))}", file=sys.stderr)
        return Exit.NOT_FOUND
    except KeyboardInterrupt:
        print("newsreader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return Exit.OK
    except OSError as error:
        print(f"newsreader: {output.shown(str(error.strerror or error))}", file=sys.stderr)
        return Exit.NOT_FOUND
