"""Search tokens that ignore script: what goes into the FTS5 index, and what a query becomes.

SQLite's tokenizers find nothing inside Chinese text, and the trigram one cannot
answer one- or two-character queries. So text is tokenized here, before FTS5 sees
it: converted to simplified script (OpenCC t2s) with fullwidth forms and variant pairs
(著/着 …) folded; every run of Han,
kana or hangul becomes its overlapping bigrams; a run's last character also stands alone
where nothing else holds it (a run of one) or where a word or number follows the run
(``港2024``: the query's phrase needs it there); Latin words and numbers stay whole
(unicode61 folds their case). Elsewhere the lone last character would be a tenth of the
index for nothing: one-character queries read the characters index (store/search.py).

A Chinese query then becomes a phrase of its bigrams, which matches wherever the
query occurs as a substring; a last character of one alone after a word becomes a prefix
(``2024年*``), which finds it in every bigram it begins and as a run of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from operator import add
from typing import Any

import opencc

from newsreader.lazyre import lazy
from newsreader.markers import PLACEHOLDER
from newsreader.script import to_simplified

# Bump when tokenization changes: a cache built with other tokens is rebuilt.
VERSION = f"5/opencc-{opencc.__version__}"

_HAN_RUN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# A run of Han/kana/hangul, or a run of other letters and digits (a Latin word, a number).
_PIECE = lazy(f"([{_HAN_RUN}]+)|([^\\W_{_HAN_RUN}]+)")


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


def _fold_all_fullwidth(text: str) -> str:
    """``text`` with :data:`_FULLWIDTH` applied: run by run for a short text, as arrays for a
    long one (Chinese prose is full of fullwidth punctuation, a run every few characters)."""
    if len(text) < _ARRAY_FROM:
        return _FULLWIDTH_RUN.sub(_fold_fullwidth, text)
    if _FULLWIDTH_RUN.search(text) is None:
        return text
    codes = _codes(text).copy()
    codes[(codes >= 0xFF01) & (codes <= 0xFF5E)] -= 0xFEE0
    codes[codes == 0x3000] = 0x20
    return _text(codes)


def normalise(text: str) -> str:
    """The one script and form both index and query are compared in."""
    folded = to_simplified(_fold_all_fullwidth(text))
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


_HAN_CHAR = lazy(f"[{_HAN_RUN}]")
# In the characters index, a character of the title is also this marker and the character.
TITLE_MARK = "t"


def index_tokens(text: str) -> str:
    """The token string stored in the FTS5 index for ``text``."""
    return index_forms(text)[0]


def index_forms(text: str) -> tuple[str, str]:
    """The token string stored in the FTS5 index for ``text``, and the Han, kana and hangul
    characters in it, each once, in code point order (for the characters index that answers
    one-character queries)."""
    normalised = normalise(PLACEHOLDER.sub(" ", text))
    if len(normalised) >= _ARRAY_FROM:
        return _array_forms(normalised)
    return _tokens(normalised), "".join(sorted(set(_HAN_CHAR.findall("".join(set(normalised))))))


def char_tokens(title_chars: Iterable[str], body_chars: Iterable[str]) -> str:
    """What the characters index holds for an article: every character of its title and
    text once, and each character of its title once more behind :data:`TITLE_MARK`."""
    title = sorted(set(title_chars))
    if isinstance(body_chars, str) and len(body_chars) >= _ARRAY_FROM and max(body_chars, *title) < "\U00010000":
        every = _union(title, body_chars)
    else:
        every = " ".join(sorted(set(title).union(body_chars)))
    return every + " " + " ".join(TITLE_MARK + c for c in title)


# Texts at least this long are tokenised with arrays (numpy), shorter ones (queries, titles) in Python.
_ARRAY_FROM = 256


def _tokens(normalised: str) -> str:
    if len(normalised) >= _ARRAY_FROM:
        return _array_forms(normalised)[0]
    out: list[str] = []
    append, extend = out.append, out.extend
    pieces = _PIECE.findall(normalised)
    for n, (run, word) in enumerate(pieces):
        if run:
            extend(map(add, run, run[1:]))  # its bigrams, made in C
            if len(run) == 1 or (n + 1 < len(pieces) and pieces[n + 1][1]):
                append(run[-1])  # a run of one, or a word follows: see the module doc
        else:
            append(word)
    return " ".join(out)


def phrase(term: str) -> str | None:
    """One query term as an FTS5 phrase of the bigram index (``"a b c"`` or ``"a b" *``), or
    None if it has no tokens. Not exact alone where :func:`split_term` gives a character
    (a term of one character, ``"c" *``, misses it at the end of a longer run): search
    asks through :func:`newsreader.store.search.plan`, which adds the characters index."""
    found, lead = split_term(term)
    if found is None and lead is not None:
        return f'"{lead}" *'
    return found


def split_term(term: str) -> tuple[str | None, str | None]:
    """One query term as an FTS5 phrase of the bigram index, and the one character the
    characters index must hold as well (or None).

    The character is there when the term opens with a run of one character and more
    follows it after a separator (``港，美国``): in a text the character may end a longer
    run (``香港，美国``), whose last character the index does not hold alone, so the
    phrase starts after it. A term of one character alone is that character and no phrase.
    """
    pieces = list(_PIECE.finditer(normalise(term)))
    out: list[str] = []
    prefix = False
    lead: str | None = None
    for n, match in enumerate(pieces):
        last = n == len(pieces) - 1
        run = match.group(1)
        if not run:
            out.append(match.group(2))
            continue
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
        if last:
            if len(run) == 1:
                if n == 0:
                    return None, run
                out.append(run)
                prefix = True  # it opens a run in the text: a bigram it begins, or a run of one
        elif pieces[n + 1].group(2):
            out.append(run[-1])  # a word follows: the text holds the run's last character alone
        elif len(run) == 1:
            if n == 0:
                lead = run
            else:
                out.append(run)  # a run of one in the text too (after a word or a separator)
    if not out:
        return None, lead
    return '"' + " ".join(out) + '"' + (" *" if prefix else ""), lead


_TERM = re.compile(r'"([^"]*)"|(\S+)')


def terms(query: str) -> list[str]:
    """The terms of a query: quoted phrases as written, other words split at spaces."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _TERM.finditer(query)]


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query (all terms must match), or None."""
    phrases = [p for p in (phrase(t) for t in terms(query)) if p]
    return " AND ".join(phrases) if phrases else None


_SEPARATOR = lazy(f"[^\\w{_HAN_RUN}]|_")  # neither in a Han run nor in a word


@lru_cache(maxsize=1)
def _classes() -> Any:
    """Each BMP code point's class as :data:`_PIECE` has it: 0 separates pieces, 1 is of a
    Han run, 2 of a word."""
    return _classify("".join(map(chr, range(0x10000))))


def _classify(text: str) -> Any:
    """The class of each character of ``text`` (see :func:`_classes`), by the same regular
    expressions, one pass each: a character they replace by ``a`` (neither) is one of theirs."""
    import numpy as np

    codes = _codes(text)
    kind = np.full(len(codes), 2, dtype=np.uint8)
    kind[_codes(_SEPARATOR.sub("a", text)) != codes] = 0
    kind[_codes(_HAN_CHAR.sub("a", text)) != codes] = 1
    return kind


def _codes(text: str) -> Any:
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _array_forms(normalised: str) -> tuple[str, str]:
    """:func:`_tokens` and the set of Han characters for a long text, without a Python step
    per character: a Han run ``abc`` is written ``a`` + ``b b`` + ``c c`` (= ``ab bc c``),
    every piece after the first opens with a space, separators vanish."""
    import numpy as np

    codes = _codes(normalised)
    if not len(codes):
        return "", ""
    kind = _classify(normalised) if int(codes.max()) > 0xFFFF else _classes()[codes]  # the table is the BMP's
    previous = np.empty_like(kind)
    previous[0] = 0
    previous[1:] = kind[:-1]
    han_more = (kind == 1) & (previous == 1)  # c -> "c c"
    starts = (kind != 0) & (kind != previous)  # a piece's first character -> " c" (no space first)
    if not starts.any():
        return "", ""
    starts[int(np.argmax(starts))] = False
    # a run's last character (of two or more) stands alone only where a word follows it
    following = np.zeros_like(kind)
    following[:-1] = kind[1:]
    ends = np.flatnonzero(han_more & (following != 1))
    if len(ends):
        present = np.flatnonzero(kind)
        after = np.searchsorted(present, ends, side="right")  # the next piece's first character
        word_next = np.zeros(len(ends), dtype=bool)
        inside = after < len(present)
        word_next[inside] = kind[present[after[inside]]] == 2
        han_more[ends[~word_next]] = False  # "c", closing the last bigram, not "c c"
    counts = (kind != 0).astype(np.int64) + 2 * han_more + starts
    out = np.repeat(codes, counts)
    ends = np.cumsum(counts)
    out[ends[han_more] - 2] = 0x20
    out[ends[starts] - 2] = 0x20
    seen = np.zeros(0x10000, dtype=bool)  # Han, kana and hangul are all in the BMP
    seen[codes[kind == 1]] = True
    return out.tobytes().decode("utf-32-le", "surrogatepass"), _text(np.flatnonzero(seen))


def _text(codes: Any) -> str:
    import numpy as np

    return codes.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def _union(few: list[str], many: str) -> str:
    """The characters of both (all in the BMP), each once, in code point order, spaced."""
    import numpy as np

    seen = np.zeros(0x10000, dtype=bool)
    seen[_codes(many)] = True
    seen[[ord(c) for c in few]] = True
    codes = np.flatnonzero(seen)
    spaced = np.full(2 * len(codes) - 1, 0x20, dtype=np.uint32)
    spaced[0::2] = codes
    return _text(spaced)
