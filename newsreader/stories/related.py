"""Related stories: earlier or later developments, linked directly, never merged or chained.

Each group (a story, or an article alone) keeps a profile: its heaviest ``KEYS`` features
with their weights. Two groups whose first articles are at most ``DAYS`` apart are related
when their profiles' cosine is at least ``THRESHOLD``; each keeps its ``LIMIT`` best links.
Links are stored one by one, both ways: A related to B and B to C never makes A related to C.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from sys import intern

KEYS = 24
DAYS = 30
THRESHOLD = 0.35
LIMIT = 5
COMMON = 100  # a feature in more than 1/COMMON of the groups within reach is not looked up

Profile = dict[str, float]


def profile(total: dict[str, float]) -> str:
    """A group's profile as stored: ``feature:weight`` of its heaviest features, unit length."""
    top = sorted(total.items(), key=lambda kv: -kv[1])[:KEYS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return " ".join(f"{t}:{w / norm:.3f}" for t, w in top)


# Stored weights have three decimals, so a run reads the same few hundred of them again and again:
# each is one float object (a 20,000-article recompute held 250,000 floats and as many copies of
# the same bigrams, ~30 MB of its ~70 MB of Python objects). Bounded against a hostile cache.
_WEIGHTS: dict[str, float] = {}
_MAX_WEIGHTS = 4096


def parse(text: str) -> Profile:
    """A stored profile back as a sparse vector (its features interned, its weights shared)."""
    out: Profile = {}
    weights = _WEIGHTS
    for item in text.split():
        token, _, written = item.rpartition(":")
        weight = weights.get(written)
        if weight is None:
            try:
                weight = float(written)
            except ValueError:
                continue
            if len(weights) < _MAX_WEIGHTS:
                weights[written] = weight
        out[intern(token)] = weight
    return out


def _similar(a: Profile, b: Profile) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(a[t] * b[t] for t in a.keys() & b.keys())  # the shared features, found in C


class Index:
    """The profiles of the groups within reach (``DAYS``) of those being linked, with postings.

    A run keeps one and feeds it groups in (roughly) time order, so a year of stories never
    sits in memory at once and no profile is read back from the cache twice. Each feature's
    posting holds its groups with their weights, so a new profile's cosine with every group
    it shares a feature with is summed straight from the postings (exact unless a feature was
    too widespread to look up).
    """

    def __init__(self) -> None:
        self.entries: dict[str, tuple[int, Profile]] = {}
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)

    def load(self, db: sqlite3.Connection, low: int, high: int) -> None:
        """Take in the stored profiles of groups first published in [low, high]."""
        for story, first, keys in db.execute(
                "SELECT story, first, keys FROM story_keys WHERE first >= ? AND first <= ?", (low, high)):
            self._add(story, first, parse(keys))

    def _add(self, story: str, first: int, vector: Profile) -> None:
        if story in self.entries:  # a group rewritten: its old profile goes
            self._remove(story)
        self.entries[story] = (first, vector)
        for token, weight in vector.items():
            self.postings[token][story] = weight

    def drop(self, stories: Iterable[str]) -> None:
        """Forget these groups' profiles (they are about to be written again)."""
        for story in stories:
            if story in self.entries:
                self._remove(story)

    def drop_before(self, moment: int) -> None:
        """Forget groups first published before ``moment`` (out of reach of what comes next)."""
        for story in [s for s, (first, _) in self.entries.items() if first < moment]:
            self._remove(story)

    def _remove(self, story: str) -> None:
        _, vector = self.entries.pop(story)
        for token in vector:
            posting = self.postings.get(token)
            if posting is not None:
                posting.pop(story, None)
                if not posting:
                    del self.postings[token]

    def _scores(self, story: str, first: int, vector: Profile) -> list[tuple[float, str]]:
        """The groups within ``DAYS`` whose cosine with ``vector`` reaches ``THRESHOLD``."""
        common = max(50, len(self.entries) // COMMON)  # too widespread to look up (they still count)
        partial: dict[str, float] = {}
        skipped = False
        for token, weight in vector.items():
            posting = self.postings.get(token)
            if not posting:
                continue
            if len(posting) > common:
                skipped = True
                continue
            for other, other_weight in posting.items():
                partial[other] = partial.get(other, 0.0) + weight * other_weight
        scored = []
        bar = THRESHOLD / 2 if skipped else THRESHOLD  # without a skipped feature the sum is the cosine
        reach = DAYS * 86400
        for other, rough in partial.items():
            if rough < bar or other == story:
                continue
            other_first, other_vector = self.entries[other]
            if abs(other_first - first) > reach:
                continue
            score = _similar(vector, other_vector) if skipped else rough
            if score >= THRESHOLD:
                scored.append((score, other))
        scored.sort(reverse=True)
        return scored[:LIMIT]

    def link(self, db: sqlite3.Connection, written: Iterable[tuple[str, int, str]]) -> None:
        """Store the profiles of groups just written and link each to its related groups."""
        written = list(written)
        if not written:
            return
        db.executemany("INSERT OR REPLACE INTO story_keys VALUES (?, ?, ?)", written)
        touched: set[str] = set()
        rows: list[tuple[str, str, float]] = []
        for story, first, keys in written:
            vector = parse(keys)
            self._add(story, first, vector)
            for score, other in self._scores(story, first, vector):
                rows.append((story, other, score))
                rows.append((other, story, score))
                touched.update((story, other))
        db.executemany("INSERT OR REPLACE INTO story_related VALUES (?, ?, ?)", rows)
        db.executemany("DELETE FROM story_related WHERE story = ? AND related NOT IN "
                       "(SELECT related FROM story_related WHERE story = ? ORDER BY score DESC, related DESC LIMIT ?)",
                       [(story, story, LIMIT) for story in touched])


def link(db: sqlite3.Connection, written: Iterable[tuple[str, int, str]]) -> None:
    """Link groups using the stored profiles around them (one-off; runs keep an :class:`Index`)."""
    written = list(written)
    if not written:
        return
    index = Index()
    index.load(db, min(f for _, f, _ in written) - DAYS * 86400, max(f for _, f, _ in written) + DAYS * 86400)
    for story, _, _ in written:
        index.entries.pop(story, None)
    index.link(db, written)


def forget(db: sqlite3.Connection, groups: Iterable[str]) -> None:
    """Drop the profiles and links of groups about to be regrouped."""
    rows = [(g,) for g in groups]
    db.executemany("DELETE FROM story_keys WHERE story = ?", rows)
    db.executemany("DELETE FROM story_related WHERE story = ? OR related = ?", [(g, g) for (g,) in rows])
