"""How commands write: plain UTF-8 to pipes, a little colour on a terminal, JSON as an API.

Nothing here imports Textual. Rich is imported only when writing to a terminal.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterable
from typing import IO, Any

from newsreader import cjk, labels, paths, render, script
from newsreader.labels import local_time  # noqa: F401 - the CLI's name for it
from newsreader.model import View
from newsreader.safetext import openable_url, printable, printable_line
from newsreader.store.records import Detail, Listing, iso


def is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is an interactive terminal (colour, width, progress)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def colour(stream: IO[str]) -> bool:
    """Whether to colour output: a terminal, and NO_COLOR unset."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def paint(text: str, code: str, on: bool) -> str:
    """``text`` in an SGR style (``1`` bold, ``2`` dim, ``33`` yellow …) when ``on``."""
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def width() -> int:
    """The terminal's width in cells."""
    return shutil.get_terminal_size((100, 24)).columns


def shown(text: str) -> str:
    """Any text about to reach a terminal on one line (titles, messages): made
    :func:`~newsreader.safetext.printable`, undecodable bytes of a path in it shown as ``\\xb0``."""
    return printable_line(paths.show_bytes(text))


def shown_path(path: str) -> str:
    """A file or folder name about to reach a terminal: :func:`~newsreader.paths.display`
    (undecodable bytes and look-alike backslashes escaped, unambiguously), on one line."""
    return printable_line(paths.display(path))


def configure_streams(json_out: bool) -> None:
    """The one place output is encoded. JSON is UTF-8 whatever the locale (it is an API);
    text goes out in the locale's encoding, a character it lacks replaced (``?``), never a
    crash; messages on stderr escape what the locale cannot show."""
    for stream, encoding, errors in ((sys.stdout, "utf-8" if json_out else None, "replace"),
                                     (sys.stderr, None, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if encoding:
                reconfigure(encoding=encoding, errors=errors)
            else:
                reconfigure(errors=errors)
        except (ValueError, OSError):  # a stream already written to in another encoding: leave it
            pass


def _json_safe(obj: Any) -> Any:
    """Every string of ``obj`` as it may leave the program: a path's undecodable bytes shown
    as ``\\xb0`` (JSON cannot carry bytes), nothing that is not Unicode text, no control, bidi
    or invisible format character (safetext.printable)."""
    if isinstance(obj, str):
        return printable(paths.show_bytes(obj)) if not obj.isprintable() else obj
    if isinstance(obj, dict):
        return {_json_safe(key): _json_safe(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_json_safe(value) for value in obj]
    return obj


def write_json(obj: Any, stream: IO[str] | None = None, *, lines: bool = False) -> None:
    """UTF-8 JSON (no ``\\u`` escapes); ``lines`` writes one compact object per line."""
    stream = stream or sys.stdout
    obj = _json_safe(obj)
    if lines:
        stream.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
    else:
        stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def listing_table(items: Iterable[Listing], view: View, variant: str, stream: IO[str]) -> None:
    """The aligned table of ``list``: id prefix, local date, outlet, title (starred marked)."""
    items = list(items)
    if not items:
        return
    outlet_width = max(cjk.cell_len(i.outlet) for i in items)
    term = is_terminal(stream)
    room = width() - (10 + 2 + 10 + 2 + outlet_width + 2 + 2) if term else 0
    for item in items:
        day = labels.local_day(item.published) if item.published else "undated   "
        title = script.convert(item.title, view, variant)
        mark = "★ " if item.starred else ("  " if term else "")
        if term and room > 10:
            title = cjk.truncate(title, room)
        tint = colour(stream)
        line = (f"{paint(item.id[:10], '33', tint)}  {paint(day, '2', tint)}  "
                f"{paint(cjk.pad(shown(item.outlet), outlet_width), '36', tint)}  {mark}{shown(title)}")
        stream.write(line.rstrip() + "\n")


def detail_json(detail: Detail, view: View, variant: str) -> dict:
    """The fields of ``show --format json`` and of each ``export`` line."""
    def conv(text: str) -> str:
        return script.convert(text, view, variant)

    data = detail.listing.to_json()
    data["title"] = conv(data["title"])
    data["outlet_name"] = detail.listing.outlet_name(view)
    data.update({
        "author": conv(detail.author),
        "category": conv(detail.category),
        "summary": conv(detail.summary),
        "keywords": [conv(k) for k in detail.keywords],
        "body": script.convert_markdown(render.markdown(detail.body_html, detail.media, detail.text), view, variant,
                                        render.code_lines(detail.body_html, markdown=True)),
        "media": [{"kind": m.kind, "url": m.url, "caption": conv(m.caption),
                   **({"duration": m.duration} if m.duration is not None else {}),
                   **({"hls": m.hls_url} if m.hls_url else {})} for m in detail.media],
        "links": [{"text": conv(link.text), "url": link.url} for link in detail.links],
        "script": detail.script,
        "sources": [paths.display(source) for source in detail.sources],
    })
    data["published"] = iso(detail.listing.published)
    return data


def markdown_head(data: dict, listing: Listing) -> str:
    """The head of ``show --format markdown``: the title as a heading, outlet · time · author,
    the URL as an autolink; the article's text in it escaped (render.escape_markdown)."""
    meta = labels.join_byline(listing.outlet, data["outlet_name"], listing.published, data["author"])
    head = f"# {render.escape_markdown(data['title'])}\n\n{render.escape_markdown(meta)}"
    url = openable_url(listing.url)
    return head + (f"\n\n<{url}>\n\n" if url else "\n\n")


def article_markdown(detail: Detail, view: View, variant: str) -> str:
    """The article as Markdown: what the text format has (title, outlet, date, URL, summary,
    body, numbered media and links with captions), every part in the asked-for script."""
    data = detail_json(detail, view, variant)
    esc = render.escape_markdown
    out = [markdown_head(data, detail.listing).rstrip("\n"), ""]
    if data["summary"]:
        out += ["> " + esc(" ".join(data["summary"].split())), ""]
    out.append(data["body"].strip())
    refs = render.references(detail.media, detail.links)
    if refs:
        out += ["", "## Media and links", ""]
        captions = [m["caption"] for m in data["media"]] + [link["text"] for link in data["links"]]
        for (number, kind, url, _text), caption in zip(refs, captions, strict=True):
            line = f"{number}. {labels.reference_kind(number, kind, detail.media)}: {_markdown_url(url)}"
            hls = detail.media[number - 1].hls_url if kind != "link" else None
            if hls:
                line += f" (HLS: {_markdown_url(hls)})"
            if caption:
                line += "  " + esc(" ".join(caption.split()))
            out.append(line)
    return "\n".join(out).rstrip() + "\n"


def _markdown_url(url: str) -> str:
    """A URL as an autolink when it may be one (:func:`openable_url`), else as escaped text."""
    safe = openable_url(url)
    return f"<{safe}>" if safe else render.escape_markdown(url)


def article_text(detail: Detail, view: View, variant: str, wrap_width: int | None) -> str:
    """The article as plain text: title, outlet, date, URL, body, then numbered media and links."""
    def conv(text: str) -> str:
        return script.convert(text, view, variant)

    def block(text: str) -> list[str]:
        if not wrap_width:
            return [text]
        return cjk.wrap(text, wrap_width)

    listing = detail.listing
    out: list[str] = []
    out.extend(block(conv(listing.title)))
    out.append(labels.byline(listing, detail.author, view, variant))
    if listing.url:
        out.append(listing.url)
    out.append("")
    if detail.summary:
        out.extend(block(conv(detail.summary)))
        out.append("")
    body = script.convert(render.plain(detail.text, detail.media), view, variant, render.code_lines(detail.body_html))
    for paragraph in body.split("\n\n"):
        if paragraph.strip():
            out.extend(block(paragraph))
            out.append("")
    refs = render.references(detail.media, detail.links)
    if refs:
        out.append("Media and links")
        for number, kind, url, text in refs:
            line = f"[{number}] {labels.reference_kind(number, kind, detail.media)}: {url}"
            if text:
                line += f"  {conv(text)}"
            out.extend(block(line))
            if kind != "link" and detail.media[number - 1].hls_url:
                out.extend(block(f"    HLS: {detail.media[number - 1].hls_url}"))
    return "\n".join(shown_line(line) for line in out).rstrip() + "\n"


def shown_line(line: str) -> str:
    """Output text that may span lines (an article): made printable (safetext), tabs kept."""
    return printable(line)


def progress_bar(label: str):
    """A Rich progress bar on stderr for a terminal, as (update(done, total), stop()); else no-ops."""
    if not is_terminal(sys.stderr) or os.environ.get("CI"):
        return (lambda done, total: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task(label, total=None)
    started = [False]

    def update(done: int, total: int) -> None:
        if not started[0]:
            bar.start()
            started[0] = True
        bar.update(task, completed=done, total=max(total, 1))

    def stop() -> None:
        if started[0]:
            bar.stop()

    return update, stop
