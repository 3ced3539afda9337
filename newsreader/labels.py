"""How an article's byline, dates and media are written — one place for the CLI and the app.

Everything here is plain text (no styles, no Textual, no Rich): the front ends style it.
"""

from __future__ import annotations

from datetime import datetime

from newsreader import outlets, script
from newsreader.model import DateOnly, Media, View
from newsreader.store import tokens
from newsreader.store.records import Listing

KIND_LABEL = {"image": "Image", "video": "Video", "audio": "Audio", "embed": "Embed"}


def local_time(moment: datetime | None, with_zone: bool = True) -> str:
    """A UTC time in the user's local zone: ``2023-10-31 22:00 CET`` (``undated`` for none);
    a date given without a time (:class:`DateOnly`) is that date alone, in every zone."""
    if moment is None:
        return "undated"
    if isinstance(moment, DateOnly):
        return moment.calendar_day.isoformat()
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M %Z" if with_zone else "%Y-%m-%d %H:%M").strip()


def local_day(moment: datetime | None) -> str:
    """The local calendar day of a time, ``2023-10-31`` (``undated`` for none); a
    :class:`DateOnly` is its own day in every zone, never the day before west of Greenwich."""
    if isinstance(moment, DateOnly):
        return moment.calendar_day.isoformat()
    return moment.astimezone().strftime("%Y-%m-%d") if moment is not None else "undated"


def local_clock(moment: datetime | None) -> str:
    """The local time of day, ``22:00`` (``--:--`` for none, blank for a date without a time)."""
    if isinstance(moment, DateOnly):
        return "     "
    return moment.astimezone().strftime("%H:%M") if moment is not None else "--:--"


def repeats_outlet(author: str, outlet_key: str) -> bool:
    """Whether an author line only repeats the outlet (``大纪元`` for the Epoch Times), in
    either script, any case, with or without spaces."""
    folded = tokens.fold(author).replace(" ", "")
    if not folded:
        return True
    outlet = outlets.get(outlet_key)
    names = {outlet_key, outlet.name(View.ORIGINAL), outlet.name(View.SIMPLIFIED), outlet.name(View.TRADITIONAL),
             *outlet.names()}  # and its aliases: 法广 for RFI, (臺)中央社CNA for CNA
    return any(folded == tokens.fold(name).replace(" ", "") for name in names if name)


def byline(listing: Listing, author: str, view: View, variant: str = "tw") -> str:
    """``Outlet · 2023-10-31 22:00 CET · Author`` in a script; an author that only repeats
    the outlet is left out."""
    return join_byline(listing.outlet, listing.outlet_name(view), listing.published,
                       script.convert(author.strip(), view, variant))


def join_byline(outlet_key: str, outlet_name: str, published: datetime | None, author: str) -> str:
    """:func:`byline` from its parts, already in the script wanted."""
    parts = [outlet_name, local_time(published)]
    if author.strip() and not repeats_outlet(author, outlet_key):
        parts.append(author.strip())
    return " · ".join(parts)


def duration_text(seconds: int | None) -> str:
    """``1:24`` or ``1:02:03``."""
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def media_label(number: int, media: list[Media]) -> str:
    """``[Image 1]``, ``[Video 2 · 1:24]`` for the medium numbered ``number`` (1-based)."""
    if not 1 <= number <= len(media):
        return f"[{number}]"
    item = media[number - 1]
    label = f"{KIND_LABEL.get(item.kind, item.kind.title())} {number}"
    if item.duration is not None:
        label += f" · {duration_text(item.duration)}"
    return f"[{label}]"


def reference_kind(number: int, kind: str, media: list[Media]) -> str:
    """The kind of a numbered reference as listed: ``video 1:24``, ``image``, ``link``."""
    if kind in ("video", "audio") and 1 <= number <= len(media):
        duration = media[number - 1].duration
        if duration is not None:
            return f"{kind} {duration_text(duration)}"
    return kind


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 result``, ``208 results``, ``1,024 articles``."""
    return f"{number:,} {noun if number == 1 else (plural or noun + 's')}"
