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

KEYS = 24
DAYS = 30
THRESHOLD = 0.35
LIMIT = 5

Profile = dict[str, float]


def profile(total: dict[str, float]) -> str:
    """A group's profile as stored: ``feature:weight`` of its heaviest features, unit length."""
    top = sorted(total.items(), key=lambda kv: -kv[1])[:KEYS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return " ".join(f"{t}:{w / norm:.3f}" for t, w in top)


def parse(text: str) -> Profile:
    """A stored profile back as a sparse vector."""
    out: Profile = {}
    for item in text.split():
        token, _, weight = item.rpartition(":")
        try:
            out[token] = float(weight)
        except ValueError:
            continue
    return out


def _similar(a: Profile, b: Profile) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def link(db: sqlite3.Connection, written: Iterable[tuple[str, int, str]]) -> None:
    """Store the profiles of groups just written and link them to their related groups."""
    written = list(written)
    if not written:
        return
    db.executemany("INSERT OR REPLACE INTO story_keys VALUES (?, ?, ?)", written)
    low = min(f for _, f, _ in written) - DAYS * 86400
    high = max(f for _, f, _ in written) + DAYS * 86400
    mine = {s for s, _, _ in written}
    stored = [(s, f, parse(k)) for s, f, k in db.execute(
        "SELECT story, first, keys FROM story_keys WHERE first >= ? AND first <= ?", (low, high))]
    index: dict[str, list[int]] = defaultdict(list)
    for n, (_, _, vector) in enumerate(stored):
        for token in vector:
            index[token].append(n)
    touched: set[str] = set()
    common = max(50, len(stored) // 20)  # features this widespread are not looked up (they still count)
    for story, first, keys in written:
        vector = parse(keys)
        partial: dict[int, float] = {}
        for token, weight in vector.items():
            posting = index.get(token, ())
            if len(posting) > common:
                continue
            for n in posting:
                partial[n] = partial.get(n, 0.0) + weight * stored[n][2][token]
        scored = []
        for n, rough in partial.items():
            if rough < THRESHOLD / 2:
                continue
            other, other_first, other_vector = stored[n]
            if other == story or abs(other_first - first) > DAYS * 86400:
                continue
            score = _similar(vector, other_vector)
            if score >= THRESHOLD:
                scored.append((score, other))
        scored.sort(reverse=True)
        for score, other in scored[:LIMIT]:
            if other in mine and other < story:
                continue  # the pair is stored from the other side's turn
            db.execute("INSERT OR REPLACE INTO story_related VALUES (?, ?, ?)", (story, other, score))
            db.execute("INSERT OR REPLACE INTO story_related VALUES (?, ?, ?)", (other, story, score))
            touched.update((story, other))
    for story in touched:
        db.execute("DELETE FROM story_related WHERE story = ? AND related NOT IN "
                   "(SELECT related FROM story_related WHERE story = ? ORDER BY score DESC LIMIT ?)",
                   (story, story, LIMIT))


def forget(db: sqlite3.Connection, groups: Iterable[str]) -> None:
    """Drop the profiles and links of groups about to be regrouped."""
    rows = [(g,) for g in groups]
    db.executemany("DELETE FROM story_keys WHERE story = ?", rows)
    db.executemany("DELETE FROM story_related WHERE story = ? OR related = ?", [(g, g) for (g,) in rows])
