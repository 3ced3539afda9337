"""Conversion errors on the reference sentences stay under 0.5 per 10,000 characters in every variant."""

from __future__ import annotations

import pytest
from script_reference import VARIANTS, load, score

from newsreader import script

BOUND = 0.5  # errors per 10,000 characters (issue 9)


@pytest.mark.parametrize("variant", VARIANTS)
def test_reference_error_rate_is_under_the_bound(variant: str) -> None:
    sentences = load()
    assert len(sentences) > 1000 and {s.section for s in sentences} == {"dev", "held-out", "running", "held-out-2"}
    result = score(lambda text: script.to_traditional(text, variant), sentences, variant)
    shown = "\n".join(f"{src}\n  want {want}\n  got  {got}" for src, want, got in result.wrong[:10])
    assert result.per_10k < BOUND, f"{result.errors} errors in {result.characters} characters:\n{shown}"


def test_the_scorer_counts_every_wrong_character() -> None:
    from script_reference import Sentence, errors, expected
    assert errors("氣球後", "氣球后") == 1 and errors("十幾分鐘", "十幾分鍾") == 1 and errors("ab", "ab") == 0
    assert errors("軟體", "軟件呢") == 2
    sentence = Sentence("这里面", "這裏面", "", "dev")
    assert expected(sentence, "plain") == "這裏面" and expected(sentence, "tw") == "這裡面"
    assert expected(sentence, "hk") == "這裏面"
