"""Grouping articles into stories: constrained (average-linkage) agglomeration, day by day.

Articles arrive in publication order, a UTC day at a time. Each is compared (through an
inverted index of features) only with articles published within ``WINDOW`` seconds before
it. Pairs at least ``PAIR`` similar whose headlines share a feature not common in the window
are taken most similar first; a pair joins its two groups only when the groups' members are
on average at least ``CENTROID`` similar (``LINKAGE`` "average"; "centroid" compares the
groups' centroids), so one shared phrase cannot chain unrelated events (single-link chaining
is what turns daily tallies into 70-day "stories"). Groups that are each one and the same
outlet's articles alone need ``ONE_OUTLET``: an outlet's own articles share its house style,
columns and recurring phrasing, so their likeness says less about the event than two
outlets' does. A story never spans more than ``SPAN`` seconds or holds more than
``MAX_ARTICLES``; two articles of one outlet's template series (same column marker or same
title skeleton, e.g. ``简报``, ``新闻联播 文字版``, ``人民币中间价``) on different days are never in one
story, and a digest whose title lists several items (``简报：A；B``) is in none.

The :class:`Grouper` keeps only the last few days in memory, so a year of articles costs
what a few days do, and a new day is grouped against the stories already found.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from newsreader.stories.features import (
    Doc,
    doc_characters,
    doc_features,
    fold,
    outlet_boilerplate,
    weigh,
    weigh_profile,
)

DAY = 86400
WINDOW = 2 * DAY  # articles are compared with those published up to this long before them
SPAN = 3 * DAY  # a story's cap from its first to its last article
MAX_ARTICLES = 150
PAIR = 0.25  # a pair this similar is a candidate link
CENTROID = 0.20  # two groups join only if their members are on average this similar
ONE_OUTLET = 0.40  # ... or this similar when both are one and the same outlet's articles alone
LINKAGE = "average"
LOOKUP = 24  # a doc's heaviest features looked up for candidates
COMMON = 0.08  # features in more than this share of the window are not looked up (too common)

# Markers of digests, roundups and daily template series.
DIGEST = re.compile(
    r"简报|文字版|一周回顾|每周回顾|周末回顾|最新情报|早安世界|翻墙必看|新闻摘要|报纸摘要|今日要闻|要闻速览|晚间新闻|早报|晚报|快讯|午间新闻"
)
_ITEMS = re.compile(r"[；;]")  # a digest listing several items: "简报：美称…种族灭绝；特朗普白宫最后一天"
ROUNDUP = "roundup"  # the series key of a digest of several items: it is in no story
_COLUMN = re.compile(r"^\s*[【\[]([^】\]]{1,10})[】\]]|^([^：:》｜|]{1,6})[：:》｜|]")
_NON_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")
# A market report's headline: a stock market, then within a few characters its session and move
# ("美股收涨", "华尔街股市收红 日股开高", "亚股涨多跌少"). Each outlet files one per market and
# session every day; two reports are one story only when they are of one market and session.
_MARKET = re.compile(r"(美股|美国股市|日本股市|香港股市|台湾股市|华尔街股市|华尔街|道指|纳指|标普|日股|日经|港股|恒指|恒生|欧股|欧洲股市|亚股|亚洲股市"
                     r"|A股|陆股|沪指|深指|沪深|台股|台指)(.{0,4}?)(?=[涨跌红黑高低平挫弹]|创新高)")
_MARKET_NAME = {"美国股市": "美股", "日本股市": "日股", "香港股市": "港股", "台湾股市": "台股", "华尔街股市": "美股", "华尔街": "美股", "道指": "美股", "纳指": "美股", "标普": "美股",
                "日经": "日股", "恒指": "港股", "恒生": "港股", "欧洲股市": "欧股", "亚洲股市": "亚股",
                "陆股": "A股", "沪指": "A股", "深指": "A股", "沪深": "A股", "台指": "台股"}
MARKET = "mk:"  # series keys of a market report: "mk:" + market + session ("开", "收" or "")


def series_keys(title: str) -> frozenset[str]:
    """The keys that tie a title to a template series: digest markers, a column marker, and the
    title's skeleton (its first six Han characters once digits and dates are gone); ``ROUNDUP``
    when a digest's title lists several items (such a digest reports no one event)."""
    folded = fold(title)
    keys = {m.group(0) for m in DIGEST.finditer(folded)}
    if keys and _ITEMS.search(folded):
        keys.add(ROUNDUP)
    column = _COLUMN.match(folded)
    if column:
        marker = _NON_HAN.sub("", column.group(1) or column.group(2) or "")
        if marker:
            keys.add("col:" + marker)
    for market, between in _MARKET.findall(folded):
        session = "开" if "开" in between else "收" if "收" in between else ""
        keys.add(MARKET + _MARKET_NAME.get(market, market) + session)
    skeleton = _NON_HAN.sub("", folded)[:6]
    if len(skeleton) >= 4:
        keys.add("sk:" + skeleton)
    return frozenset(keys)


@dataclass(eq=False, slots=True)
class Group:
    """A story being built: its members and the sum of their vectors."""

    members: list[Doc]
    total: dict[str, float]
    norm2: float
    first: int
    last: int
    series: set[tuple[str, str, int]] = field(default_factory=set)  # (outlet, key, day)
    profile: dict[str, float] = field(default_factory=dict)  # sum of members' profiles

    def __post_init__(self) -> None:
        for doc in self.members:
            for token, weight in doc.profile.items():
                self.profile[token] = self.profile.get(token, 0.0) + weight

    @classmethod
    def of(cls, doc: Doc, keys: frozenset[str]) -> Group:
        """A group of one."""
        return cls([doc], dict(doc.vector), 1.0 if doc.vector else 0.0, doc.published, doc.published,
                   {(doc.outlet, k, doc.day) for k in keys})

    def similarity(self, other: Group) -> float:
        """Cosine of the two centroids (``LINKAGE`` "centroid") or the mean similarity of their
        members' pairs ("average")."""
        if not self.norm2 or not other.norm2:
            return 0.0
        a, b = (self.total, other.total) if len(self.total) <= len(other.total) else (other.total, self.total)
        dot = sum(w * b.get(t, 0.0) for t, w in a.items())
        if LINKAGE == "average":
            return dot / (len(self.members) * len(other.members))
        return dot / (self.norm2 * other.norm2) ** 0.5

    def clashes(self, other: Group) -> bool:
        """Whether joining would put one outlet's template series of two days in one story."""
        small, big = (self.series, other.series) if len(self.series) <= len(other.series) else (other.series, self.series)
        by_key: dict[tuple[str, str], set[int]] = {}
        for outlet, key, day in big:
            by_key.setdefault((outlet, key), set()).add(day)
        return any(days - {day} for outlet, key, day in small if (days := by_key.get((outlet, key))))

    def absorb(self, other: Group) -> None:
        """Take in ``other``'s members."""
        self.members.extend(other.members)
        for token, weight in other.total.items():
            self.total[token] = self.total.get(token, 0.0) + weight
        self.norm2 = sum(w * w for w in self.total.values())
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.series |= other.series
        for token, weight in other.profile.items():
            self.profile[token] = self.profile.get(token, 0.0) + weight


Link = Callable[[Doc, Doc, float], bool]


class Grouper:
    """Groups docs fed in publication order, one batch (a day) at a time.

    ``force`` (optional) names pairs that must be one entry whatever the caps (editions):
    it is asked for candidate pairs, most similar first, and a True puts the second doc
    into the first's group.
    """

    def __init__(self, force: Link | None = None) -> None:
        self.window: list[Doc] = []
        self.postings: dict[str, list[Doc]] = {}  # feature -> docs in the window, in publication order
        self.group_of: dict[int, Group] = {}
        self.keys: dict[int, frozenset[str]] = {}
        self.force = force
        self.df: Counter[str] = Counter()  # document frequency over the window (kept as it moves)
        self.cdf: Counter[str] = Counter()  # ... of the features' characters (which bigrams hold together)

    def add(self, batch: list[Doc]) -> list[Group]:
        """Group a batch (published no earlier than anything before); returns the groups that can
        no longer change (every member older than the newest doc by more than the window)."""
        if not batch:
            return []
        batch.sort(key=lambda d: (d.published, d.rowid))
        self._weigh(batch)
        pairs = self._pairs(batch)
        for doc in batch:
            self.keys[doc.rowid] = series_keys(doc.title)
            self.group_of[doc.rowid] = Group.of(doc, self.keys[doc.rowid])
        pairs.sort(key=lambda p: -p[0])
        for score, a, b in pairs:
            self._link(score, a, b)
        return self._expire(batch[-1].published)

    def preload(self, docs: list[Doc], story_of: dict[int, str | None]) -> None:
        """Docs grouped before (``story_of``: rowid → story id, None alone), as context for what
        comes next: new docs may join their groups."""
        if not docs:
            return
        docs.sort(key=lambda d: (d.published, d.rowid))
        self._weigh(docs)
        by_story: dict[str, Group] = {}
        for doc in docs:
            self.keys[doc.rowid] = series_keys(doc.title)
            group = Group.of(doc, self.keys[doc.rowid])
            story = story_of.get(doc.rowid)
            if story is not None and story in by_story:
                by_story[story].absorb(group)
                group = by_story[story]
            elif story is not None:
                by_story[story] = group
            self.group_of[doc.rowid] = group
            for token in doc.vector:
                self.postings.setdefault(token, []).append(doc)
            self.window.append(doc)

    def finish(self) -> list[Group]:
        """Every group still open."""
        return self._expire(None)

    def _weigh(self, batch: list[Doc]) -> None:
        context = self.window + batch
        df, cdf = self.df, self.cdf
        for doc in batch:
            df.update(doc_features(doc))
            cdf.update(doc_characters(doc))
        boiler = outlet_boilerplate(context)
        empty: frozenset[str] = frozenset()
        idf: dict[str, float] = {}
        for doc in batch:
            doc.vector = weigh(doc, df, len(context), boiler.get(doc.outlet, empty), idf, cdf)
            doc.profile = weigh_profile(doc, df, len(context))
        self._common = {t for t, n in df.items() if n > max(20, COMMON * len(context))}

    def _pairs(self, batch: list[Doc]) -> list[tuple[float, Doc, Doc]]:
        pairs: list[tuple[float, Doc, Doc]] = []
        common = self._common
        postings = self.postings
        for doc in batch:
            # a pair as similar as PAIR shares some of the doc's heaviest features: look only those up
            lookup = sorted((w, t) for t, w in doc.vector.items() if t not in common)[-LOOKUP:]
            scores: dict[int, float] = {}
            found: dict[int, Doc] = {}
            low = doc.published - WINDOW
            for weight, token in lookup:
                for other in postings.get(token, ()):
                    if other.published >= low:
                        scores[other.rowid] = scores.get(other.rowid, 0.0) + weight * other.vector[token]
                        found[other.rowid] = other
            for rowid, partial in scores.items():
                if partial >= PAIR * 0.4:  # exact cosine only for plausible pairs
                    other = found[rowid]
                    if _headlines_meet(doc, other, common):
                        exact = _dot(doc.vector, other.vector)
                        if exact >= PAIR:
                            pairs.append((exact, other, doc))
            for token in doc.vector:
                postings.setdefault(token, []).append(doc)
            self.window.append(doc)
        return pairs

    def _link(self, score: float, a: Doc, b: Doc) -> None:
        group_a, group_b = self.group_of.get(a.rowid), self.group_of.get(b.rowid)
        if group_a is None or group_b is None or group_a is group_b:
            return
        if self.force and self.force(a, b, score):
            self._join(group_a, group_b)
            return
        if self.refusal(a, b, group_a, group_b) is None:
            self._join(group_a, group_b)

    def refusal(self, a: Doc, b: Doc, group_a: Group, group_b: Group) -> str | None:
        """Why the candidate pair ``a``, ``b`` may not join their two groups (a short name of the
        rule: "digest", "size", "span", "series", "market", "one-outlet", "centroid"), None when it may."""
        if ROUNDUP in self.keys.get(a.rowid, ()) or ROUNDUP in self.keys.get(b.rowid, ()):
            return "digest"
        if len(group_a.members) + len(group_b.members) > MAX_ARTICLES:
            return "size"
        if max(group_a.last, group_b.last) - min(group_a.first, group_b.first) > SPAN:
            return "span"
        if group_a.clashes(group_b):
            return "series"
        if (self._markets(a) or self._markets(b)) and not _markets_meet(self._group_markets(group_a),
                                                                         self._group_markets(group_b)):
            return "market"
        if _sole_outlet(group_a) == _sole_outlet(group_b) is not None:
            return "one-outlet" if group_a.similarity(group_b) < ONE_OUTLET else None
        return "centroid" if group_a.similarity(group_b) < CENTROID else None

    def _markets(self, doc: Doc) -> list[str]:
        return [k for k in self.keys.get(doc.rowid, ()) if k.startswith(MARKET)]

    def _group_markets(self, group: Group) -> set[str]:
        return {k for doc in group.members for k in self._markets(doc)}

    def _join(self, keep: Group, gone: Group) -> None:
        if len(gone.members) > len(keep.members):
            keep, gone = gone, keep
        keep.absorb(gone)
        for doc in gone.members:
            self.group_of[doc.rowid] = keep

    def _expire(self, now: int | None) -> list[Group]:
        if now is None:
            groups = {id(g): g for g in self.group_of.values()}
            self.window, self.postings, self.group_of, self.keys = [], {}, {}, {}
            self.df, self.cdf = Counter(), Counter()
            return list(groups.values())
        low = now - WINDOW
        if self.window and self.window[0].published >= low:
            return []
        kept: list[Doc] = []
        stale: set[str] = set()  # the postings that hold a doc leaving the window
        gone: Counter[str] = Counter()  # the features of the docs leaving, counted (in C)
        gone_chars: Counter[str] = Counter()  # ... and their characters
        for doc in self.window:
            if doc.published >= low:
                kept.append(doc)
                continue
            stale.update(doc.vector)
            gone.update(doc_features(doc))
            gone_chars.update(doc_characters(doc))
        self.window = kept
        for counts, leaving in ((self.df, gone), (self.cdf, gone_chars)):
            for token, n in leaving.items():
                left = counts[token] - n
                if left > 0:
                    counts[token] = left
                else:
                    del counts[token]
        published = attrgetter("published")
        for token in stale:  # postings are in publication order: the docs leaving are in front
            posting = self.postings.get(token)
            if posting is None:
                continue
            cut = bisect_left(posting, low, key=published)
            if cut == len(posting):
                del self.postings[token]
            elif cut:
                del posting[:cut]
        # a group is final when it can take no more: nothing new may link to it
        done: dict[int, Group] = {}
        for group in list(self.group_of.values()):
            if group.last < low or now - group.first > SPAN:
                done[id(group)] = group
        for group in done.values():
            for doc in group.members:
                self.group_of.pop(doc.rowid, None)
                self.keys.pop(doc.rowid, None)
        return list(done.values())


def _markets_meet(a: set[str], b: set[str]) -> bool:
    """Whether two groups' market reports may be one story: one of them has none, or they share a
    market and session (a report that names no session meets either of its market's)."""
    if not a or not b:
        return True
    for x in a:
        for y in b:
            if x == y or (x[:-1] == y and x[-1] in "开收") or (y[:-1] == x and y[-1] in "开收"):
                return True
    return False


def _headlines_meet(a: Doc, b: Doc, common: set[str]) -> bool:
    """Whether the two titles share a feature that is not common in the window: outlets reporting
    one event name it in their headlines, while leads alike only in their setting (one press
    conference, one hearing, one day's tallies) carry different headlines. (Only features both
    vectors keep count: an outlet's boilerplate is no shared headline.)"""
    return any(t in b.vector and t in a.vector and t not in common and t in b.title_tokens for t in a.title_tokens)


def _sole_outlet(group: Group) -> str | None:
    """The outlet of every member, when there is one (None when several outlets wrote them)."""
    outlet = group.members[0].outlet
    return outlet if all(d.outlet == outlet for d in group.members) else None


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(a[t] * b[t] for t in a.keys() & b.keys())  # the shared features, found in C


def group_all(docs: Iterable[Doc], force: Link | None = None) -> Iterator[list[Doc]]:
    """Every group of ``docs`` (any order), fed a UTC day at a time; singletons included."""
    ordered = sorted(docs, key=lambda d: (d.published, d.rowid))
    grouper = Grouper(force)
    day: list[Doc] = []
    for doc in ordered:
        if day and doc.day != day[0].day:
            for group in grouper.add(day):
                yield group.members
            day = []
        day.append(doc)
    for group in grouper.add(day):
        yield group.members
    for group in grouper.finish():
        yield group.members
