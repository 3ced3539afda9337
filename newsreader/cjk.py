"""Chinese text layout: line breaking by terminal cells, and unwrapping source lines.

:func:`wrap` breaks text into lines of at most ``width`` cells: between any two Han
characters, at spaces between Latin words, never before closing punctuation
(，。、」）！？ …) and never after opening punctuation (「（《 …). Widths are counted
in terminal cells (a Han character is two).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsreader.lazyre import lazy

# Han, kana, hangul, CJK symbols and fullwidth forms: characters that may break on either side.
CJK_CHARS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
_CJK = lazy(f"[{CJK_CHARS}]")  # (lazyre: such a class costs ~10 ms to compile)

# Kinsoku: no line may start with these ...
NO_START = set("，。、．・：；！？」』）》〉】〕〗〙〛’”…‥〜ー～ゝゞヽヾ々〻,.;:!?)]}%°·」﹂")
# ... and none may end with these.
NO_END = set("「『（《〈【〔〖〘〚‘“([{$£¥﹁")

# A CJK character, then a gap of whitespace and tags, then (looked at, not taken) another CJK
# character. The gap is an atomic group: once taken it is never given back, so a failed
# match costs the gap's length once and scanning stays linear whatever the input.
_CJK_GAP = lazy(f"([{CJK_CHARS}])((?>(?:[ \\t\\r\\n\\f]+|<[^<>]*>)+))(?=[{CJK_CHARS}])")
_TAG = re.compile(r"<[^<>]*>")


def is_cjk(char: str) -> bool:
    """True for a Han, kana, hangul or fullwidth character."""
    return bool(_CJK.match(char))


def unwrap_source_lines(html: str) -> str:
    """Drop the whitespace of wrapped source lines between CJK characters (tags kept).

    HTML collapses a newline to a space; between two Chinese characters that space
    is spurious. A single space typed on one line is kept: authors use it as a separator.
    Linear in the length of ``html``.
    """
    if "\n" not in html:
        return html

    def join(match: re.Match[str]) -> str:
        gap = match.group(2)
        return match.group(1) + "".join(_TAG.findall(gap)) if "\n" in gap else match.group(0)

    return _CJK_GAP.sub(join, html)


@lru_cache(maxsize=65536)
def char_width(char: str) -> int:
    """Cells a character takes in a terminal: 2 for wide and fullwidth, 0 for combining."""
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """The width of ``text`` in terminal cells."""
    return sum(char_width(c) for c in text)


def _tokens(text: str) -> list[str]:
    """Split into unbreakable pieces: each CJK char alone, Latin words whole, spaces alone."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char == " ":
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" ")
        elif is_cjk(char) or char in NO_START or char in NO_END:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return _glue(tokens)


def _glue(tokens: list[str]) -> list[str]:
    """Join tokens that must not be separated: closing punctuation to what precedes it,
    opening punctuation to what follows — across spaces too (``「脂粉市場 」`` must not
    break before its ``」``, nor ``「 脂粉`` after its ``「``). Linear."""
    glued: list[str] = []
    pending_open = ""
    for token in tokens:
        if token == " ":
            if pending_open:
                pending_open += token
            else:
                glued.append(token)
            continue
        if all(c in NO_END for c in token):
            pending_open += token
            continue
        token = pending_open + token
        pending_open = ""
        if token[0] in NO_START and glued:
            spaces = 0
            while spaces < len(glued) and glued[-1 - spaces] == " ":
                spaces += 1
            if spaces < len(glued):
                del glued[len(glued) - spaces:]
                glued[-1] += " " * spaces + token
                continue
        glued.append(token)
    if pending_open:
        glued.append(pending_open)
    return _glue_link_numbers(glued)


_LINK_NUMBER = re.compile(r"\[\d{1,4}\]")


def _glue_link_numbers(tokens: list[str]) -> list[str]:
    """A link's number (``浏览器[2]。``) stays on the line of the word it follows."""
    glued: list[str] = []
    for token in tokens:
        if glued and glued[-1] != " " and _LINK_NUMBER.match(token):
            glued[-1] += token
        else:
            glued.append(token)
    return glued


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Where to cut one line of text (no newlines) into lines of at most ``width`` cells.

    Returns (start, end) index pairs; a line's trailing spaces fall outside its pair and
    the next line starts after them. CJK rules: breaks between Han characters and at
    spaces, never before closing or after opening punctuation.
    """
    width = max(width, 2)
    lines: list[tuple[int, int]] = []
    start = end = position = used = 0
    for token in _tokens(text):
        if token == " ":
            position += 1
            if end == start:  # spaces opening a line are dropped
                start = end = position
            continue
        w = cell_len(token)
        gap = position - end  # spaces between the line's last piece and this one
        if end > start and used + gap + w > width:
            lines.append((start, end))
            start = end = position
            used = gap = 0
        used += gap
        if w > width:  # a piece wider than a whole line: cut it where it must be cut, but
            previous = ""  # never before closing or after opening punctuation (the line runs over)
            for char in token:
                cw = char_width(char)
                if (used + cw > width and end > start and char not in NO_START and char != " "
                        and previous not in NO_END):
                    lines.append((start, end))
                    start = end = position
                    used = 0
                position += 1
                end = position
                used += cw
                previous = char if char != " " else previous
            continue
        position += len(token)
        end = position
        used += w
    lines.append((start, end))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Break a paragraph into lines of at most ``width`` cells, CJK rules applied.

    Newlines in ``text`` are hard breaks.
    """
    lines: list[str] = []
    for hard_line in text.split("\n"):
        lines.extend(hard_line[a:b] for a, b in wrap_offsets(hard_line, width))
    return lines


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``width`` cells, ending in an ellipsis when cut."""
    if cell_len(text) <= width:
        return text
    out, used = "", 0
    limit = width - cell_len(ellipsis)
    for char in text:
        w = char_width(char)
        if used + w > limit:
            break
        out += char
        used += w
    return out + ellipsis


def pad(text: str, width: int) -> str:
    """``text`` cut or padded with spaces to exactly ``width`` cells."""
    text = truncate(text, width)
    return text + " " * (width - cell_len(text))
