"""The domain: plain frozen dataclasses, converted to rows only at the storage boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum


class Script(str, Enum):
    """The Chinese script an article is written in (detected) or shown in (chosen)."""

    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"
    MIXED = "mixed"
    NONE = "none"


class View(str, Enum):
    """The script a reader asks for: the article's own, or one of the two conversions."""

    ORIGINAL = "original"
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"

    @classmethod
    def parse(cls, value: str) -> View:
        """Read a user's spelling of a script: original, s, t, zh-Hans, zh-Hant, ..."""
        key = value.strip().lower().replace("_", "-")
        aliases = {
            "original": cls.ORIGINAL, "o": cls.ORIGINAL, "orig": cls.ORIGINAL,
            "simplified": cls.SIMPLIFIED, "s": cls.SIMPLIFIED, "zh-hans": cls.SIMPLIFIED,
            "hans": cls.SIMPLIFIED, "zh-cn": cls.SIMPLIFIED,
            "traditional": cls.TRADITIONAL, "t": cls.TRADITIONAL, "zh-hant": cls.TRADITIONAL,
            "hant": cls.TRADITIONAL, "zh-tw": cls.TRADITIONAL, "zh-hk": cls.TRADITIONAL,
        }
        if key not in aliases:
            raise ValueError(
                f"unknown script {value!r} (use original, simplified or traditional; s, t, zh-Hans, zh-Hant)"
            )
        return aliases[key]

    def next(self) -> View:
        """The script the app's `t` key moves to: original → simplified → traditional → original."""
        order = [View.ORIGINAL, View.SIMPLIFIED, View.TRADITIONAL]
        return order[(order.index(self) + 1) % len(order)]


class DateOnly(datetime):
    """A publication date with no time of day (front matter ``date: 2020-10-09``).

    It is the noon (UTC) of that day, so it sorts within its day and falls on that day
    in every time zone from UTC-11 to UTC+11; it is shown as the date, without a time
    (see :mod:`newsreader.labels`), and stored with a flag (the cache's ``date_only``).
    Being a ``datetime``, it passes wherever a publication time does, and stays a
    ``DateOnly`` through ``astimezone``.
    """

    @classmethod
    def on(cls, day: date) -> DateOnly:
        """The date-only moment of a calendar day."""
        return cls(day.year, day.month, day.day, 12, tzinfo=UTC)

    @property
    def calendar_day(self) -> date:
        """The calendar day it stands for (whatever zone it was moved to)."""
        return self.astimezone(UTC).date()


@dataclass(frozen=True)
class Media:
    """An image, video, audio clip or embed that belongs to an article, in body order."""

    kind: str  # image | video | audio | embed
    url: str
    caption: str = ""
    duration: int | None = None  # seconds, for video and audio
    hls_url: str = ""  # the HLS stream of a video, where the source has one
    poster: str = ""  # a video's preview image


@dataclass(frozen=True)
class Link:
    """A link in an article's body: its visible text and where it points."""

    text: str
    url: str


@dataclass(frozen=True)
class Article:
    """One article as a parser read it from an archive file, before it is stored."""

    url: str
    title: str
    outlet: str  # outlet key (see outlets.py)
    published: datetime | None  # aware, UTC; a DateOnly when the source gives only a date
    body_html: str  # cleaned HTML with media placeholders (see sources/htmlclean.py)
    text: str  # the visible body text, paragraphs separated by blank lines
    summary: str = ""
    author: str = ""
    category: str = ""
    keywords: tuple[str, ...] = ()
    media: tuple[Media, ...] = ()
    links: tuple[Link, ...] = ()
    source: str = ""  # path of the file it was read from
    format: str = ""  # name of the parser that read it
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
