"""What every format's parser shares: dates, titles and turning parts into an Article."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from newsreader import cjk, outlets
from newsreader.model import Article, DateOnly
from newsreader.safetext import clean, clean_line, safe_url
from newsreader.sources.htmlclean import clean_html
from newsreader.sources.numbers import whole_number

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
EARLIEST_CAPTURE = datetime(1995, 1, 1, tzinfo=UTC)  # no feed was archived before the web had feeds


class ParseError(ValueError):
    """A file that is not an article in any format we read; the message says why."""


def plausible(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC when it is a date an article could have, else None."""
    if moment is None:
        return None
    try:
        moment = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None
    return moment if EARLIEST <= moment < LATEST else None


def parse_time(value: object, zone: str = "UTC") -> datetime | None:
    """An ISO 8601 time (``Z``, offsets, milliseconds, a space for ``T``) as UTC.

    A time without an offset is read in ``zone``, the outlet's own time zone.
    Anything unreadable or impossible gives None.
    """
    if not isinstance(value, (str, datetime)):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        if not text:
            return None
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    if moment.tzinfo is None:
        try:
            moment = moment.replace(tzinfo=ZoneInfo(zone))
        except (KeyError, ValueError):
            moment = moment.replace(tzinfo=UTC)
    return plausible(moment)


def from_epoch_ms(value: str | int) -> datetime | None:
    """A capture time in epoch milliseconds (or seconds) as UTC, if plausible."""
    number = whole_number(str(value))  # NaN, undefined, negative, absurdly long: unknown
    if number is None:
        return None
    if number > 10**11:
        number //= 1000
    try:
        moment = plausible(datetime.fromtimestamp(number, UTC))
    except (OverflowError, OSError, ValueError):
        return None
    return moment if moment is not None and moment >= EARLIEST_CAPTURE else None


_SEPARATORS = (" - ", " – ", " — ", " | ", "｜", "|", " -- ")
_BRACKETS = {"[": "]", "【": "】", "(": ")", "（": "）", "「": "」"}


def strip_outlet_suffix(title: str, *names: str, labels: tuple[str, ...] = ()) -> str:
    """Drop a `` - Outlet`` suffix or an ``Outlet｜``/``[Outlet]`` prefix that only repeats the
    outlet's name (any of ``names``, with or without a Latin part), a few times at most
    (`` – 法国国际广播电台 - RFI``); and a bracketed prefix that only repeats one of the
    document's own ``labels`` (its front matter tags and categories: ``[國際] ``). Never
    other text; bounded work."""
    candidates = set()
    for name in names:
        name = " ".join(name.split()).casefold()
        if name:
            candidates |= {name, name.split(" ", 1)[-1], name.split(" ", 1)[0]}
    candidates.discard("")
    bracketed = candidates | {" ".join(label.split()).casefold() for label in labels} - {""}
    changed = True
    for _ in range(6):
        if not changed:
            break
        changed = False
        for separator in _SEPARATORS:
            cut = title.rfind(separator)
            if cut > 0 and " ".join(title[cut + len(separator):].split()).casefold() in candidates:
                title, changed = title[:cut].rstrip(), True
                break
            cut = title.find(separator)
            if cut > 0 and " ".join(title[:cut].split()).casefold() in candidates:
                title, changed = title[cut + len(separator):].lstrip(), True
                break
        close = _BRACKETS.get(title[:1])
        if not changed and close:
            end = title.find(close, 1, 60)
            if end > 0 and title[1:end].strip().casefold() in bracketed and title[end + 1:].strip():
                title, changed = title[end + 1:].lstrip(), True
    return title


_TRACKING = re.compile(r"^(utm_[a-z]+|source|smid|ref|ref_src|fbclid|gclid|spm)$", re.I)


def canonical_url(url: str) -> str:
    """The URL an article is known by: no fragment, no tracking parameters, tidy escapes."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    url = safe_url(url.strip())
    if not url or url.startswith("mailto:"):
        return ""
    try:
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
        path = re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), parts.path) or "/"
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))
    except ValueError:
        return ""


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def printed_time(text: str, zone: str, known: datetime | None) -> datetime | None:
    """The outlet's printed time; a printed date alone (``<time datetime="2021-01-20">``) is
    that day — as the more precise ``known`` time when that falls on it (in the outlet's
    zone), else as a :class:`DateOnly` — never midnight of it."""
    if not text:
        return None
    if not _DAY.fullmatch(text.strip()):
        return parse_time(text, zone)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    if known is not None and not isinstance(known, DateOnly):
        try:
            if known.astimezone(ZoneInfo(zone)).date() == day:
                return known
        except (KeyError, ValueError):
            pass
    return plausible(DateOnly.on(day))


# A headline is one line of a list: a real one is under 200 characters. A longer one (a
# collector's garbage, a whole paragraph in the title field) is cut here and marked, so every
# list, chart and window shows a bounded title, never "(untitled)" or a megabyte.
MAX_TITLE = 1000


def headline(title: str, outlet_names: Iterable[str], labels: tuple[str, ...] = ()) -> str:
    """A document's title as an article's: cleaned, one line (a title wrapped over source lines
    joined as the body's lines are), without the outlet's name around it. The one place both
    the full parse and the catalogue (sources/header.py) make a title."""
    title = clean_line(cjk.unwrap_source_lines(clean(title)))
    return strip_outlet_suffix(title, *outlet_names, labels=labels)


def bounded_title(title: str) -> str:
    """``title`` cut to :data:`MAX_TITLE` characters (marked with an ellipsis) when longer."""
    if len(title) <= MAX_TITLE:
        return title
    return title[:MAX_TITLE - 1].rstrip() + "…"


def build(
    *,
    url: str,
    title: str,
    html: str,
    source: str,
    fmt: str,
    published: datetime | None = None,
    captured: datetime | None = None,
    summary: str = "",
    author: str = "",
    category: str = "",
    keywords: tuple[str, ...] = (),
    outlet_hints: tuple[str, ...] = (),
    outlet_labels: tuple[str, ...] = (),
    folder: str = "",
    extra_links: tuple = (),
) -> Article:
    """Assemble an Article: clean the body, settle the outlet, title and publication time.

    Time precedence: the outlet's own time printed in the HTML (read in its time zone),
    then ``published`` from the document's metadata, then the capture time.
    """
    url = canonical_url(url)
    key = outlets.key_for(url, *outlet_hints, folder=folder)
    outlet = outlets.get(key)
    full_title = headline(title, outlet.names(), outlet_labels)
    title = bounded_title(full_title)
    body = clean_html(html, title=full_title, url=url)  # (a headline repeated in the body is dropped whole)
    own = printed_time(body.own_time, outlet.timezone, published or captured)
    links = list(body.links)
    seen = {link.url for link in links}
    for link in extra_links:
        if link.url not in seen:
            links.append(link)
            seen.add(link.url)
    return Article(
        url=url,
        title=title or "(untitled)",
        outlet=key,
        published=own or published or captured,
        body_html=body.html,
        text=body.text,
        summary=clean(summary).strip(),
        author=clean_line(body.author if body.author and (not author.strip() or
                                                          author.strip().casefold() in outlet.names()) else author),
        category=clean_line(category),
        keywords=tuple(clean_line(k) for k in keywords if clean_line(k)),
        media=tuple(body.media),
        links=tuple(links),
        source=source,
        format=fmt,
    )
