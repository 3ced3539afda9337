"""The reference sentences (tests/script_reference.tsv) and how conversions are scored on them.

Shared by tests/test_script_reference.py (the rate stays under its bound) and
benchmarks/bench_script.py (before/after figures per variant).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import opencc

REFERENCE = Path(__file__).resolve().parent / "script_reference.tsv"
VARIANTS = ("plain", "tw", "twp", "hk")
# The variant tables that turn the reference's standard forms into each variant's.
_VARIANT_OF_STANDARD = {"tw": "t2tw", "twp": "t2tw", "hk": "t2hk"}


@dataclass(frozen=True)
class Sentence:
    """One reference line: the simplified source, its standard traditional, and twp if it differs."""

    source: str
    standard: str
    twp: str
    section: str


def load(path: Path = REFERENCE) -> list[Sentence]:
    """Every sentence of the reference file, with the section (``dev``, ``held-out``) it is in."""
    sentences: list[Sentence] = []
    section = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3) or not all(fields):
            raise ValueError(f"{path.name} line {number}: expected SIMPLIFIED<TAB>TRADITIONAL[<TAB>TWP]")
        sentences.append(Sentence(fields[0], fields[1], fields[2] if len(fields) == 3 else "", section))
    return sentences


def expected(sentence: Sentence, variant: str) -> str:
    """The correct conversion of ``sentence`` in ``variant``."""
    if variant == "twp" and sentence.twp:
        return sentence.twp
    config = _VARIANT_OF_STANDARD.get(variant)
    return opencc.OpenCC(config).convert(sentence.standard) if config else sentence.standard


def errors(want: str, got: str) -> int:
    """Characters wrong in ``got``: each replaced, missing or extra run counts its longer side."""
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


@dataclass(frozen=True)
class Score:
    """Errors over characters of source text."""

    errors: int
    characters: int
    wrong: list[tuple[str, str, str]]  # (source, expected, got) of each sentence with an error

    @property
    def per_10k(self) -> float:
        """Errors per 10,000 characters."""
        return 10_000 * self.errors / max(self.characters, 1)


def score(convert: Callable[[str], str], sentences: list[Sentence], variant: str) -> Score:
    """How ``convert`` (simplified text → ``variant``) does on ``sentences``."""
    total = 0
    chars = 0
    wrong = []
    for sentence in sentences:
        want = expected(sentence, variant)
        got = convert(sentence.source)
        count = errors(want, got)
        total += count
        chars += len(sentence.source)
        if count:
            wrong.append((sentence.source, want, got))
    return Score(total, chars, wrong)
