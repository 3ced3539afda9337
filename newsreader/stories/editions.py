"""Editions: one outlet's same article in simplified and in traditional script.

Two articles are editions when one outlet published them, one in simplified and one in
traditional script, within ``NEAR`` of each other, and their texts are the same once both
are folded with OpenCC ``tw2sp`` (traditional with Taiwan vocabulary to simplified with
mainland vocabulary, so 軟體/软件 and 資訊/信息 meet). Outlets' URL pairs (RFI ``/cn/``↔``/tw/``,
NYT ``/zh-hant/``, BBC ``simp``↔``trad``, Epoch ``/gb/``↔``/b5/``) lower the bar a little;
DW, whose URLs do not say, is matched by content alone.

Never editions: copies of a wire story by two outlets (they are one story's articles,
marked as the same text by :func:`same_text`), two articles in one script, and two days
of a template series (their texts differ).
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsreader.lazyre import lazy
from newsreader.script import converter
from newsreader.store.tokens import normalise

NEAR = 2 * 86400  # editions appear within this of each other
SAME = 0.75  # bigram overlap (Jaccard) of the folded texts for editions found by content
SAME_WITH_URL = 0.5  # ... when the URLs are an outlet's known edition pair
COPY = 0.6  # overlap at which two outlets' articles are marked as the same text
CONTAINED = 0.8  # share of one text's opening bigrams found in another's: that text carried whole
CONTAINED_MIN = 40  # ... counted only for an opening of at least this many bigrams
_SCRIPTS = {"simplified", "traditional"}

# Markers that differ between an outlet's simplified and traditional URLs.
_URL_MARKERS = re.compile(r"/(?:cn|tw|gb|b5|zh-hans|zh-hant|simp|trad|zh-cn|zh-tw|hans|hant)(?=/|$)|[-_](?:simp|trad)(?=\b)")
_HAN_RUN = lazy(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Text folded for comparing editions: Taiwan traditional phrases to mainland simplified."""
    return normalise(converter("tw2sp").convert(text))


def bigrams(text: str, script: str = "") -> frozenset[str]:
    """The Han bigrams of folded text (Latin words too, for mostly-Latin text); text known to be
    in simplified script is only normalised (the conversion would leave it as it is)."""
    folded = normalise(text) if script == "simplified" else fold(text)
    grams = {run[i:i + 2] for run in _HAN_RUN.findall(folded) for i in range(len(run) - 1)}
    if len(grams) < 8:
        grams |= set(re.findall(r"[a-z]{3,}", folded))
    return frozenset(grams)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard overlap of two bigram sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b) if len(a) <= len(b) else len(b & a)
    return shared / (len(a) + len(b) - shared)


def url_twins(a: str, b: str) -> bool:
    """Whether two URLs differ only in an outlet's script markers (slugs folded too)."""
    if not a or not b or a == b:
        return False
    if not (_URL_MARKERS.search(a) and _URL_MARKERS.search(b)):
        return False
    from urllib.parse import unquote

    return fold(_URL_MARKERS.sub("/*", unquote(a))) == fold(_URL_MARKERS.sub("/*", unquote(b)))


def is_edition(outlet_a: str, script_a: str, url_a: str, published_a: int, text_a: str,
               outlet_b: str, script_b: str, url_b: str, published_b: int, text_b: str) -> bool:
    """Whether two articles are editions of one (see the module doc). ``text`` is title and lead."""
    if outlet_a != outlet_b or abs(published_a - published_b) > NEAR:
        return False
    if {script_a, script_b} != _SCRIPTS:
        return False
    similar = overlap(bigrams(text_a), bigrams(text_b))
    if url_twins(url_a, url_b):
        return similar >= SAME_WITH_URL
    return similar >= SAME


def same_text(text_a: str, text_b: str) -> bool:
    """Whether two articles carry the same text (a wire copy), whatever their outlets and scripts."""
    return overlap(bigrams(text_a), bigrams(text_b)) >= COPY


def contained(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether the smaller of two openings' bigram sets is (nearly) all in the other: one outlet
    republished the other's text under a headline and an introduction of its own."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return len(small) >= CONTAINED_MIN and len(small & large) >= CONTAINED * len(small)


def copies(outlets: list[str], leads: list[str], openings: list[str], scripts: list[str] | None = None) -> list[bool]:
    """For each article, whether another outlet's article carries the same text: their title and
    lead overlap (:data:`COPY`), or one's opening is contained in the other's (:func:`contained`).
    ``leads`` are title and lead, ``openings`` the first thousand-odd characters of the text,
    ``scripts`` each article's script when known."""
    lead_grams = [bigrams(t) for t in leads]
    opening_grams = [bigrams(t, script) for t, script in zip(openings, scripts or [""] * len(openings), strict=True)]
    marked = [False] * len(outlets)
    for n in range(len(outlets)):
        for m in range(n + 1, len(outlets)):
            if outlets[n] == outlets[m] or (marked[n] and marked[m]):
                continue
            if (overlap(lead_grams[n], lead_grams[m]) >= COPY
                    or contained(opening_grams[n], opening_grams[m])):
                marked[n] = marked[m] = True
    return marked
