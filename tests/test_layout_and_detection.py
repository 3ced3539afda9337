"""Issue 9 items 11 and 12: script detection reads the whole article; no line starts with closing
punctuation (nor ends with opening punctuation) even where the source has a space beside it."""

from __future__ import annotations

import time

import pytest

from newsreader import cjk, script
from newsreader.model import Script

ENGLISH_OPENING = "Editor's note: this translation first appeared at https://example.org/a-long-link. " * 40


@pytest.mark.parametrize("body, expected", [
    ("这是一篇很长的中文文章，讲的是选举和政治，还有经济与社会的变化。" * 220, Script.SIMPLIFIED),
    ("這是一篇很長的中文文章，講的是選舉和政治，還有經濟與社會的變化。" * 220, Script.TRADITIONAL),
])
def test_a_long_chinese_article_opening_in_english_is_detected_from_its_body(body, expected):
    article = ENGLISH_OPENING + body  # ~3,300 characters of English, then 7,000 of Chinese
    assert len(article) > 10_000
    assert script.detect(article) is expected


def test_detection_samples_across_the_article_not_only_its_start():
    traditional = "這是繁體中文的段落，講的是臺灣的選舉與經濟。" * 30
    simplified = "这是简体中文的段落，讲的是台湾的选举与经济。" * 300
    assert script.detect(traditional + simplified) is Script.SIMPLIFIED  # mostly simplified
    assert script.detect(simplified[:600] + traditional * 10) is Script.TRADITIONAL
    sample = script.sample_han(traditional + simplified, 500)
    assert len(sample) == 500


def test_detection_stays_bounded_on_giant_text():
    start = time.perf_counter()
    assert script.detect("中" + "x" * 30_000_000) is Script.NONE
    assert script.detect("這" * 20_000_000) is Script.TRADITIONAL
    assert time.perf_counter() - start < 5


SOURCE_SPACES = "他說：「這是所謂的脂粉市場 」——從那時起，「 市場 」就變了（ 見下文 ）。"


@pytest.mark.parametrize("width", range(4, 50))
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(width):
    lines = cjk.wrap(SOURCE_SPACES, width)
    assert "".join(lines).replace(" ", "") == SOURCE_SPACES.replace(" ", "")
    for line in lines:
        assert line.lstrip()[:1] not in cjk.NO_START, (width, lines)
        assert line.rstrip()[-1:] not in cjk.NO_END, (width, lines)
        assert cjk.cell_len(line) <= (width if width >= 8 else width + 4), (width, lines)


def test_the_break_before_a_spaced_closing_quote_moves_to_an_earlier_place():
    assert cjk.wrap("所謂的脂粉市場 」——從", 14) == ["所謂的脂粉市", "場 」——從"]
    assert cjk.wrap("所謂的脂粉市場 」——從", 40) == ["所謂的脂粉市場 」——從"]
