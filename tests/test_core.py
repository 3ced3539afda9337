"""Script detection and conversion, rendering, CJK layout, safe text, and the headless boundary."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import SEEDS

from newsreader import cjk, render, script
from newsreader.model import Media, Script, View
from newsreader.safetext import clean, safe_url
from newsreader.sources import parse_file


@pytest.mark.parametrize("prefix, expected", [
    ("000", Script.TRADITIONAL), ("001", Script.SIMPLIFIED), ("002", Script.SIMPLIFIED),
    ("003", Script.SIMPLIFIED), ("004", Script.SIMPLIFIED),
])
def test_detect_the_seeds_scripts(prefix, expected):
    [path] = SEEDS.glob(f"{prefix}_*")
    [article] = parse_file(str(path))
    assert script.detect(article.title + article.text) is expected


def test_detect_none_and_mixed():
    assert script.detect("Only English here.") is Script.NONE
    assert script.detect("习近平在北京会见了来访的客人。" + "習近平在臺灣會見了來訪的客人與記者們。") is Script.MIXED


def test_conversion_both_ways_and_variants():
    assert script.to_simplified("習近平與臺灣") == "习近平与台湾"
    assert script.to_traditional("习近平与台湾") == "習近平與臺灣"
    assert script.to_traditional("软件", "twp") == "軟體"
    assert script.convert("台湾", View.ORIGINAL) == "台湾"
    assert script.converter("t2s") is script.converter("t2s")  # built once


def test_convert_markdown_leaves_urls_alone():
    md = "見[習近平](<https://example.com/習近平/台灣>) 和 https://example.com/臺灣 與 <https://x.tw/體>"
    out = script.convert_markdown(md, View.SIMPLIFIED)
    assert out == "见[习近平](<https://example.com/習近平/台灣>) 和 https://example.com/臺灣 与 <https://x.tw/體>"


def test_view_parse_aliases():
    assert View.parse("zh-Hans") is View.SIMPLIFIED and View.parse("t") is View.TRADITIONAL
    assert View.ORIGINAL.next() is View.SIMPLIFIED and View.TRADITIONAL.next() is View.ORIGINAL
    with pytest.raises(ValueError):
        View.parse("latin")


def test_media_labels_and_plain_placeholders():
    media = [Media("image", "https://a/1.jpg", "图"), Media("video", "https://a/v.mp4", "视频", duration=84)]
    assert render.plain("\ue0001\ue001 图\n\n\ue0002\ue001 视频", media) == "[Image 1] 图\n\n[Video 2 · 1:24] 视频"
    assert render.duration_text(3723) == "1:02:03"


def test_wrap_breaks_between_han_and_keeps_punctuation_attached():
    text = "美国总统拜登承诺在战略、经济和技术事务上与中国进行无情的竞争。他说：“我们正在共同努力”。"
    for width in range(6, 40):
        lines = cjk.wrap(text, width)
        assert "".join(lines) == text
        for line in lines:
            assert cjk.cell_len(line) <= width
            assert line[0] not in cjk.NO_START
            assert line[-1] not in cjk.NO_END


def test_wrap_keeps_latin_words_whole_with_no_gap():
    lines = cjk.wrap("美国国务卿布林肯（Antony Blinken）当时还延宕了造访中国的行程", 20)
    assert all(cjk.cell_len(line) <= 20 for line in lines)
    joined = "".join(lines)
    assert "Antony" in joined and "Blinken" in "".join(lines)
    assert not any(line.startswith(" ") or line.endswith(" ") for line in lines)


def test_truncate_and_pad_count_cells():
    assert cjk.truncate("拜登与习近平将在秘鲁举行", 9) == "拜登与习…"
    assert cjk.cell_len(cjk.pad("拜登abc", 10)) == 10


def test_clean_strips_terminal_control_and_bidi():
    assert clean("a\x1b[31mred\x1b]52;c;Zm9v\x07\u202eb\x08c") == "a[31mred]52;c;Zm9vbc"


@pytest.mark.parametrize("url, ok", [
    ("https://example.com/a", True), ("http://x.y", True), ("mailto:a@b.c", True),
    ("javascript:alert(1)", False), ("vbscript:x", False), ("data:text/html,x", False),
    ("file:///etc/passwd", False), ("-oProxyCommand=x", False), ("https://a b", False), ("", False),
])
def test_safe_url(url, ok):
    assert bool(safe_url(url)) is ok


def test_headless_modules_never_import_textual():
    code = ("import sys, newsreader.cli, newsreader.cli.commands, newsreader.store.library, newsreader.render, "
            "newsreader.sources, newsreader.script; assert 'textual' not in sys.modules, 'textual imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_text_already_in_the_asked_script_is_left_alone():
    text = "將會是兩人自去年11月在峇里島G20場邊會談之後"
    assert script.convert(text, View.TRADITIONAL) == text  # s2t would make 峇裏島
    assert script.convert_markdown("峇里島場邊會談\n\n拜登称与李强会面", View.TRADITIONAL) == "峇里島場邊會談\n\n拜登稱與李強會面"
    assert script.convert("习近平与台湾", View.SIMPLIFIED) == "习近平与台湾"
