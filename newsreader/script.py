"""Chinese script: detect what an article is written in, and convert text with OpenCC.

Converters are built once per configuration and shared. Only text converts: callers
pass titles and prose, never URLs (see :func:`convert_markdown` for bodies).
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from newsreader.model import Script, View

# The traditional variant: plain OpenCC traditional, Taiwan or Hong Kong standard.
VARIANTS = {"plain": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=8)
def converter(config: str) -> opencc.OpenCC:
    """One shared OpenCC converter per configuration name (t2s, s2t, s2tw, ...)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Text in simplified script."""
    return converter("t2s").convert(text) if text else text


def to_traditional(text: str, variant: str = "plain") -> str:
    """Text in traditional script, in the configured variant (plain, tw, twp, hk)."""
    return converter(VARIANTS.get(variant, "s2t")).convert(text) if text else text


# From standard traditional to a regional variant, for text already in traditional script.
_TRADITIONAL_VARIANTS = {"tw": "t2tw", "twp": "t2tw", "hk": "t2hk"}


def convert(text: str, view: View, variant: str = "plain") -> str:
    """Text as the reader asked to see it.

    Text already in the asked-for script is left alone: converting traditional text
    "to traditional" again would turn the 里 of 峇里島 into 裏.
    """
    if view is View.ORIGINAL or not text:
        return text
    written = detect(text)
    return text if written is Script.NONE else _convert_known(text, view, variant, written)


def detect(text: str, sample: int = 500) -> Script:
    """Which script ``text`` is written in: simplified, traditional, mixed or none.

    Counts the Han characters that change under each conversion in a sample of the text:
    characters that only a traditional text has, and those only a simplified one has.
    """
    chunk = "".join(_HAN.findall(text[:sample * 3]))[:sample]
    if not chunk:
        return Script.NONE
    as_simplified = to_simplified(chunk)
    as_traditional = converter("s2t").convert(chunk)
    traditional_only = sum(a != b for a, b in zip(chunk, as_simplified, strict=False)) if len(chunk) == len(as_simplified) else 0
    simplified_only = sum(a != b for a, b in zip(chunk, as_traditional, strict=False)) if len(chunk) == len(as_traditional) else 0
    total = traditional_only + simplified_only
    if total == 0:
        return Script.NONE if len(chunk) < 2 else Script.SIMPLIFIED
    share = traditional_only / total
    if share >= 0.75:
        return Script.TRADITIONAL
    if share <= 0.25:
        return Script.SIMPLIFIED
    return Script.MIXED


# Markdown link targets and autolinks: converting must not touch them.
_URL_PARTS = re.compile(r"\]\([^)\s]*\)|<(?:https?|mailto):[^>\s]*>|(?:https?|mailto):[^\s)\]>]+")


def convert_markdown(markdown: str, view: View, variant: str = "plain") -> str:
    """Convert Markdown's text but leave every URL in it exactly as it was."""
    if view is View.ORIGINAL or not markdown:
        return markdown
    return "\n\n".join(_convert_paragraph(p, view, variant) for p in markdown.split("\n\n"))


def _convert_paragraph(paragraph: str, view: View, variant: str) -> str:
    """One paragraph, its script judged on its own (a simplified caption in a traditional
    article still converts), URLs untouched."""
    if view is View.ORIGINAL or not paragraph:
        return paragraph
    text_only = _URL_PARTS.sub(" ", paragraph)
    written = detect(text_only)
    if written is Script.NONE:
        return paragraph
    pieces: list[str] = []
    last = 0
    for match in _URL_PARTS.finditer(paragraph):
        pieces.append(_convert_known(paragraph[last:match.start()], view, variant, written))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_convert_known(paragraph[last:], view, variant, written))
    return "".join(pieces)


def _convert_known(text: str, view: View, variant: str, written: Script) -> str:
    if not text:
        return text
    if view is View.SIMPLIFIED:
        return text if written is Script.SIMPLIFIED else to_simplified(text)
    if written is Script.TRADITIONAL:
        config = _TRADITIONAL_VARIANTS.get(variant)
        return converter(config).convert(text) if config else text
    return to_traditional(text, variant)
