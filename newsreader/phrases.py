"""A phrase layer over OpenCC: segments of text whose conversion we decide ourselves.

OpenCC converts by longest dictionary match, left to right, then by each character's
default. That fails in two ways a reader notices: a dictionary word found across a word
boundary (气球后 read as 球后 "ball queen" gives 氣球后; 这里面包含 read as 面包 gives
這裏麪包含), and a one-to-many character whose default is wrong in context (钟 → 鍾 in
十几分钟, 范 → 範 in the name 范长龙, 著 left alone in 接著 when simplifying).

Like the phrase tables of New Tong Wen Tang and MediaWiki, a :class:`PhraseTable` lists
such segments with their conversion (``newsreader/data/*.txt``): words, and rules with
context (a regular expression). Before OpenCC runs, every segment the table finds
(leftmost, longest) is replaced by a private-use placeholder, so OpenCC can neither
convert it nor glue it to its neighbours; afterwards the placeholders become the table's
conversion. Everything else is OpenCC's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

# Placeholders: characters of Supplementary Private Use Area-B, which no text we convert
# holds and no OpenCC dictionary touches. One per protected segment of a paragraph.
_FIRST_PLACEHOLDER = 0x100000
_MAX_PLACEHOLDERS = 0xFFFD
_PLACEHOLDERS = re.compile("[\U00100000-\U0010fffd]")


class PhraseTable:
    """Words and context rules with the conversion each must get.

    ``words`` maps a literal segment to its conversion; ``rules`` are (regular
    expression, conversion) pairs for segments that depend on context (lookarounds).
    Literal words are matched longest first; at one position a word wins over a rule.
    """

    def __init__(self, words: dict[str, str], rules: Iterable[tuple[str, str]] = ()) -> None:
        self.words = dict(words)
        self.rules = list(rules)
        alternatives = [_trie_pattern(self.words)] if self.words else []
        alternatives += [f"(?P<r{n}>{pattern})" for n, (pattern, _) in enumerate(self.rules)]
        # Most positions start no segment: a class of every possible first character lets the
        # regex engine pass them at C speed instead of trying each alternative there.
        first: set[str] | None = {word[0] for word in self.words}
        for pattern, _ in self.rules:
            chars = _first_characters(pattern)
            first = None if chars is None or first is None else first | chars
        guard = f"(?=[{''.join(re.escape(c) for c in sorted(first))}])" if first else ""
        self.pattern = re.compile(guard + "(?:" + "|".join(alternatives) + ")") if alternatives else None

    def replacement(self, match: re.Match[str]) -> str:
        """The conversion of one matched segment."""
        group = match.lastgroup
        if group is not None and group.startswith("r"):
            return self.rules[int(group[1:])][1]
        return self.words[match.group(0)]

    def convert(self, text: str, base: Callable[[str], str],
                finish: Callable[[str], str] | None = None) -> str:
        """``text`` through ``base`` (an OpenCC conversion) with this table's segments protected.

        ``finish`` converts the table's own conversions afterwards (a regional variant such
        as Taiwan's 裡/為 applied to the standard forms the tables are written in).
        """
        if not text or self.pattern is None or _PLACEHOLDERS.search(text):
            return base(text)
        found: list[str] = []

        def hide(match: re.Match[str]) -> str:
            if len(found) >= _MAX_PLACEHOLDERS:
                return match.group(0)
            found.append(self.replacement(match))
            return chr(_FIRST_PLACEHOLDER + len(found) - 1)

        masked = self.pattern.sub(hide, text)
        if not found:
            return base(text)
        converted = base(masked)
        if finish is not None:
            found = finish("\n".join(found)).split("\n")
        return _PLACEHOLDERS.sub(lambda m: found[ord(m.group(0)) - _FIRST_PLACEHOLDER], converted)


def _first_characters(pattern: str) -> set[str] | None:
    """The characters a match of ``pattern`` can start with, or None when that is not plain.

    Understands what the tables use: lookbehinds, then a literal character or a class of
    literal characters.
    """
    while pattern.startswith(("(?<=", "(?<!")):
        pattern = pattern[_group_end(pattern) + 1:]
    if not pattern:
        return None
    if pattern[0] == "[" and "]" in pattern:
        body = pattern[1:pattern.index("]")]
        return None if not body or body[0] == "^" or "\\" in body or "-" in body else set(body)
    if re.escape(pattern[0]) == pattern[0] or not pattern[0].isascii():
        return {pattern[0]}
    return None


def _group_end(pattern: str) -> int:
    """The index of the ``)`` that closes the group ``pattern`` starts with."""
    depth, in_class = 0, False
    for index, char in enumerate(pattern):
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif not in_class and char == "(":
            depth += 1
        elif not in_class and char == ")":
            depth -= 1
            if depth == 0:
                return index
    return len(pattern)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regular expression matching any of ``words``, the longest at a position first."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: try the longer words first, then stop here
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


def parse_table(text: str) -> PhraseTable:
    """A table from its text: ``SOURCE<TAB>CONVERSION`` a line, ``#`` comments.

    A SOURCE starting with ``~`` is a regular expression (a rule with context).
    """
    words: dict[str, str] = {}
    rules: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].rstrip() if not line.startswith("~") else line.rstrip()
        if not line.strip():
            continue
        source, sep, target = line.partition("\t")
        target = target.split("\t#", 1)[0].strip()
        if not sep or not source or not target:
            raise ValueError(f"phrase table line {number}: expected SOURCE<TAB>CONVERSION: {line!r}")
        if source.startswith("~"):
            re.compile(source[1:])
            rules.append((source[1:], target))
        else:
            words[source] = target
    return PhraseTable(words, rules)


@lru_cache(maxsize=8)
def table(*names: str) -> PhraseTable:
    """The packaged tables ``newsreader/data/<name>.txt`` as one (``s2t``, ``s2twp``, ``t2s``), loaded once.

    Where two tables list the same word, the later one's conversion is kept.
    """
    words: dict[str, str] = {}
    rules: list[tuple[str, str]] = []
    for name in names:
        part = parse_table(resources.files("newsreader").joinpath("data", f"{name}.txt").read_text("utf-8"))
        words.update(part.words)
        rules += part.rules
    return PhraseTable(words, rules)
