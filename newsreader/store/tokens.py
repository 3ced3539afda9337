"""Search tokens that ignore script: what goes into the FTS5 index, and what a query becomes.

SQLite's tokenizers find nothing inside Chinese text, and the trigram one cannot
answer one- or two-character queries. So text is tokenized here, before FTS5 sees
it: converted to simplified script (OpenCC t2s) with fullwidth forms and variant pairs
(著/着 …) folded; every run of Han,
kana or hangul becomes its overlapping bigrams followed by its last character alone;
Latin words and numbers stay whole (unicode61 folds their case).

A Chinese query then becomes a phrase of its bigrams, which matches wherever the
query occurs as a substring; one character becomes a prefix query (``港*``), which
finds it in every bigram it begins and at the end of every run.
"""

from __future__ import annotations

import re
from operator import add

import opencc

from newsreader.markers import PLACEHOLDER
from newsreader.script import to_simplified

# Bump when tokenization changes: a cache built with other tokens is rebuilt.
VERSION = f"4/opencc-{opencc.__version__}"

_HAN_RUN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A run of Han/kana/hangul, or a run of other letters and digits (a Latin word, a number).
_PIECE = re.compile(f"([{_HAN_RUN}]+)|([^\\W_{_HAN_RUN}]+)")


# Fullwidth ASCII (ＡＰＥＣ, １１) and the ideographic space fold to their plain forms.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

# Variant pairs that simplified script itself keeps apart but writers mix up, folded to
# one form after the conversion to simplified: 著手 (as OpenCC leaves a traditional 著)
# finds 着手 and back; 乾/干, 於/于, 馀/余, 瞭/了, 麽/么, 锺/钟 likewise.
VARIANT_PAIRS = {ord(a): ord(b) for a, b in ("著着", "乾干", "於于", "馀余", "瞭了", "麽么", "锺钟")}


# str.translate looks every character up in its table (a sixth of a microsecond each): these
# find the few characters the tables change, so whole texts are translated only where needed.
_FULLWIDTH_RUN = re.compile("[\uff01-\uff5e\u3000]+")
_VARIANT = re.compile("[" + "".join(chr(c) for c in VARIANT_PAIRS) + "]")


def _fold_fullwidth(match: re.Match[str]) -> str:
    return match.group().translate(_FULLWIDTH)


def normalise(text: str) -> str:
    """The one script and form both index and query are compared in."""
    folded = to_simplified(_FULLWIDTH_RUN.sub(_fold_fullwidth, text))
    if _VARIANT.search(folded):
        folded = folded.translate(VARIANT_PAIRS)
    return folded.lower()


def fold(text: str) -> str:
    """Simplified and lowercased, keeping every character's position (for highlighting).

    Where whole-text conversion changes the length (a phrase conversion), each
    character is folded on its own instead.
    """
    folded = to_simplified(text).translate(VARIANT_PAIRS).lower()
    if len(folded) == len(text):
        return folded
    return "".join((to_simplified(c).translate(VARIANT_PAIRS).lower() or c)[:1] for c in text)


_HAN_CHAR = re.compile(f"[{_HAN_RUN}]")
# In the characters index, a character of the title is also this marker and the character.
TITLE_MARK = "t"


def index_tokens(text: str) -> str:
    """The token string stored in the FTS5 index for ``text``."""
    return index_forms(text)[0]


def index_forms(text: str) -> tuple[str, set[str]]:
    """The token string stored in the FTS5 index for ``text``, and the set of Han, kana and
    hangul characters in it (for the characters index that answers one-character queries)."""
    normalised = normalise(PLACEHOLDER.sub(" ", text))
    return _tokens(normalised), set(_HAN_CHAR.findall("".join(set(normalised))))


def char_tokens(title_chars: set[str], body_chars: set[str]) -> str:
    """What the characters index holds for an article: every character of its title and
    text once, and each character of its title once more behind :data:`TITLE_MARK`."""
    return " ".join(sorted(title_chars | body_chars)) + " " + " ".join(TITLE_MARK + c for c in sorted(title_chars))


def _tokens(normalised: str) -> str:
    out: list[str] = []
    append, extend = out.append, out.extend
    for run, word in _PIECE.findall(normalised):
        if run:
            extend(map(add, run, run[1:]))  # its bigrams, made in C
            append(run[-1])
        else:
            append(word)
    return " ".join(out)


def phrase(term: str) -> str | None:
    """One query term as an FTS5 phrase (``"a b c"`` or ``"a b" *``), or None if it has no tokens."""
    pieces = list(_PIECE.finditer(normalise(term)))
    tokens: list[str] = []
    prefix = False
    for n, match in enumerate(pieces):
        last = n == len(pieces) - 1
        run = match.group(1)
        if not run:
            tokens.append(match.group(2))
            continue
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        if len(run) == 1 and last:
            tokens.append(run)
            prefix = True
        elif not last:
            tokens.append(run[-1])  # the run ends here in the text too: its last char stands alone
    if not tokens:
        return None
    return '"' + " ".join(tokens) + '"' + (" *" if prefix else "")


_TERM = re.compile(r'"([^"]*)"|(\S+)')


def terms(query: str) -> list[str]:
    """The terms of a query: quoted phrases as written, other words split at spaces."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _TERM.finditer(query)]


def characters(query: str) -> list[str] | None:
    """The characters of a query made only of one-character terms (``港``, ``港 臺``), as
    the index folds them, or None for any other query. Such a query is answered by the
    characters index: a prefix query over every bigram a character begins is slow."""
    found = []
    for term in terms(query):
        pieces = list(_PIECE.finditer(normalise(term)))
        if not pieces:
            continue
        if len(pieces) != 1 or not pieces[0].group(1) or len(pieces[0].group(1)) != 1:
            return None
        found.append(pieces[0].group(1))
    return found or None


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query (all terms must match), or None."""
    phrases = [p for p in (phrase(t) for t in terms(query)) if p]
    return " AND ".join(phrases) if phrases else None
