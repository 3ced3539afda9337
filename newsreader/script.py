"""Chinese script: detect what an article is written in, and convert text with OpenCC.

Converters are built once per configuration and shared. Only text converts: callers
pass titles and prose, never URLs (see :func:`convert_markdown` for bodies).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from operator import ne
from pathlib import Path

import opencc

from newsreader import phrases
from newsreader.lazyre import lazy
from newsreader.model import Script, View

# The traditional variant: plain OpenCC traditional, Taiwan or Hong Kong standard.
VARIANTS = {"plain": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}

_NOT_HAN = lazy(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    """One shared OpenCC converter per configuration name (t2s, s2t, s2tw, ...)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Text in simplified script by OpenCC alone: what detection and search compare.

    A text holding no character that can change under t2s (most simplified text) is returned
    as it is, found by one regular-expression scan instead of a conversion.
    The reader's simplified view goes through :func:`convert`, which adds the phrase layer.
    """
    if not text:
        return text
    changes = _t2s_changes()
    if changes is not None and changes.search(text) is None:
        return text
    return converter("t2s").convert(text)


@lru_cache(maxsize=1)
def _t2s_changes() -> re.Pattern[str] | None:
    """Finds any character that can make OpenCC's t2s change a text: each one it converts on
    its own, and one of each dictionary phrase it changes that holds none of those (深沈 →
    深沉: 沈). ``data/t2s_changes.txt`` holds them for one OpenCC version (its test derives
    them again from that version's dictionaries); with another version, None: every text converts."""
    header, chars = (Path(__file__).parent / "data" / "t2s_changes.txt").read_text(encoding="utf-8").split("\n", 1)
    if header != f"# opencc {opencc.__version__}":
        return None
    # Characters past the BMP would turn the class into a list looked through at every
    # character (300 times slower); the rare text holding any of them just converts.
    basic = "".join(c for c in chars.strip() if ord(c) < 0x10000)
    return re.compile(f"[{re.escape(basic)}\U00010000-\U0010ffff]")


def to_traditional(text: str, variant: str = "plain") -> str:
    """Simplified text in traditional script, in the configured variant (plain, tw, twp, hk).

    OpenCC with the phrase layer (:mod:`newsreader.phrases`) over it.
    """
    if not text:
        return text
    finish = _TRADITIONAL_VARIANTS.get(variant)
    tables = ("s2t", "s2twp") if variant == "twp" else ("s2t",)
    return phrases.table(*tables).convert(
        text, converter(VARIANTS.get(variant, "s2t")).convert,
        converter(finish).convert if finish else None)


def to_simplified_view(text: str) -> str:
    """Traditional (or mixed) text in simplified script as a reader expects it (接著 → 接着)."""
    return phrases.table("t2s").convert(text, converter("t2s").convert) if text else text


# From standard traditional to a regional variant, for text already in traditional script.
_TRADITIONAL_VARIANTS = {"tw": "t2tw", "twp": "t2tw", "hk": "t2hk"}

# What never converts in plain text: URLs (with a scheme, or a host starting www.). The
# host ends at the first character that cannot be in one (所见www.example.com了解 keeps
# 了解 as text); a path may hold Han characters (an IRI) and ends at space or CJK punctuation.
_URL = (r"(?:(?<![A-Za-z0-9])(?:https?|ftp)://[^\s/?#<>\"'（）「」『』【】《》〈〉，。、；！？]*|(?<![A-Za-z0-9.])www\.[A-Za-z0-9.-]+(?::\d+)?"
        r"|(?<![A-Za-z0-9])mailto:[^\s<>\"'（）「」『』【】《》〈〉，。、；！？]*)"
        r"(?:[/?#][^\s<>\"'（）「」『』【】《》〈〉，。、；！？]*)?")
_PLAIN_KEEP = lazy(_URL, re.IGNORECASE)
# And in Markdown besides: link targets, autolinks, inline code spans.
_MARKDOWN_URLS = r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|<(?:https?|mailto|ftp):[^>\s]*>|`[^`\n]+`|" + _URL
_MARKDOWN_KEEP = lazy(_MARKDOWN_URLS, re.IGNORECASE)
# Fenced code blocks, and indented ones (every line of the block indented 4 spaces or a tab).
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_INDENTED = re.compile(r"(?:^(?: {4}|\t)[^\n]*(?:\n|$))+\Z", re.MULTILINE)


def convert(text: str, view: View, variant: str = "plain", keep: Sequence[str] = ()) -> str:
    """Plain text (a title, a caption, a body) as the reader asked to see it.

    Each paragraph's script is judged on its own, and text already in the asked-for
    script is left alone: converting traditional text "to traditional" again would turn
    the 里 of 峇里島 into 裏. URLs never convert, nor any of the strings in ``keep``
    (the lines of code of a body, say).
    """
    if view is View.ORIGINAL or not text:
        return text
    return _convert_paragraphs(text, view, variant, _keep_pattern(_URL, keep) if keep else _PLAIN_KEEP)


def _keep_pattern(base: str, keep: Sequence[str]) -> re.Pattern[str]:
    """``base`` or any of the literal strings ``keep``, longest first."""
    literals = "|".join(re.escape(k) for k in sorted(set(keep), key=len, reverse=True) if k)
    return re.compile(f"{literals}|{base}" if literals else base, re.IGNORECASE)


_WINDOWS = 8  # places across a long text that the sample is taken from


def sample_han(text: str, size: int = 500) -> str:
    """Up to ``size`` Han characters taken from across the whole of ``text``: from each of
    a few evenly spaced windows in turn, so an article that opens with English, links or a
    long list of names is judged by its body too. Bounded work whatever the length."""
    if len(text) <= size * 3:
        return _NOT_HAN.sub("", text)[:size]
    share = -(-size // _WINDOWS)
    window = max(share * 3, len(text) // (_WINDOWS * 4))
    window = min(window, 20_000)
    step = (len(text) - window) / (_WINDOWS - 1)
    found = []
    for n in range(_WINDOWS):
        start = int(n * step)
        found.append(_NOT_HAN.sub("", text[start:start + window])[:size])
    # equal shares from the windows that have Han text; what a short window leaves, the others take
    picked = [""] * len(found)
    budget = size
    order = sorted(range(len(found)), key=lambda i: len(found[i]))
    for rank, n in enumerate(order):
        picked[n] = found[n][:budget // (len(order) - rank)]
        budget -= len(picked[n])
    return "".join(picked)


def detect(text: str, sample: int = 500) -> Script:
    """Which script ``text`` is written in: simplified, traditional, mixed or none.

    Counts the Han characters that change under each conversion in a sample taken across
    the whole text (:func:`sample_han`): characters that only a traditional text has, and
    those only a simplified one has.
    """
    chunk = sample_han(text, sample)
    if not chunk:
        return Script.NONE
    as_simplified = to_simplified(chunk)
    traditional_only = sum(map(ne, chunk, as_simplified)) if len(chunk) == len(as_simplified) else 0
    if not traditional_only and len(chunk) >= 2:
        return Script.SIMPLIFIED  # whatever the other count (the share below would be 0): spares the slower conversion
    as_traditional = converter("s2t").convert(chunk)
    simplified_only = sum(map(ne, chunk, as_traditional)) if len(chunk) == len(as_traditional) else 0
    total = traditional_only + simplified_only
    if total == 0:
        return Script.NONE if len(chunk) < 2 else Script.SIMPLIFIED
    share = traditional_only / total
    if share >= 0.75:
        return Script.TRADITIONAL
    if share <= 0.25:
        return Script.SIMPLIFIED
    return Script.MIXED


def convert_markdown(markdown: str, view: View, variant: str = "plain", keep: Sequence[str] = ()) -> str:
    """Convert Markdown's text but never a URL, a link target or code (inline, a fenced or
    indented block, or any of the strings in ``keep``: the lines of code of the body)."""
    if view is View.ORIGINAL or not markdown:
        return markdown
    pattern = _keep_pattern(_MARKDOWN_URLS, keep) if keep else _MARKDOWN_KEEP
    pieces: list[str] = []
    last = 0
    for fence in _FENCE.finditer(markdown):
        pieces.append(_convert_paragraphs(markdown[last:fence.start()], view, variant, pattern, True))
        pieces.append(fence.group(0))
        last = fence.end()
    pieces.append(_convert_paragraphs(markdown[last:], view, variant, pattern, True))
    return "".join(pieces)


_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")


def _convert_paragraphs(text: str, view: View, variant: str, keep: re.Pattern[str], markdown: bool = False) -> str:
    parts = _PARAGRAPH_BREAK.split(text)
    for n in range(0, len(parts), 2):
        parts[n] = _convert_paragraph(parts[n], view, variant, keep, markdown)
    return "".join(parts)


def _convert_paragraph(paragraph: str, view: View, variant: str, keep: re.Pattern[str], markdown: bool) -> str:
    """One paragraph, its script judged on its own (a simplified caption in a traditional
    article still converts), what ``keep`` matches untouched."""
    if not paragraph or (markdown and _INDENTED.match(paragraph)):
        return paragraph
    text_only = keep.sub(" ", paragraph)
    written = detect(text_only)
    if written is Script.NONE:
        return paragraph
    pieces: list[str] = []
    last = 0
    for match in keep.finditer(paragraph):
        pieces.append(_convert_known(paragraph[last:match.start()], view, variant, written))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_convert_known(paragraph[last:], view, variant, written))
    return "".join(pieces)


def _convert_known(text: str, view: View, variant: str, written: Script) -> str:
    if not text:
        return text
    if view is View.SIMPLIFIED:
        if written is Script.SIMPLIFIED:  # only the phrase layer: 接著 → 接着
            return phrases.table("t2s").convert(text, _same)
        return to_simplified_view(text)
    if written is Script.TRADITIONAL:
        config = _TRADITIONAL_VARIANTS.get(variant)
        return converter(config).convert(text) if config else text
    return to_traditional(text, variant)


def _same(text: str) -> str:
    return text
