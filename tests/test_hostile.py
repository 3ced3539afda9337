"""Hostile input: every bad file costs that file only, text stays data, links stay safe."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsreader.cli import output
from newsreader.model import View
from newsreader.sources import ParseError, parse_file, parse_text
from newsreader.store.library import Library

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
ESCAPES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def parses_cleanly(text: str) -> None:
    """A parser returns articles or raises ParseError — nothing else."""
    try:
        articles = parse_text(text, "fuzz")
    except ParseError:
        return
    for article in articles:
        assert isinstance(article.title, str) and isinstance(article.text, str)
        for field in (article.title, article.author, article.summary):
            assert not ESCAPES.search(field)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_crash_a_parser(tmp_path_factory, data: bytes):
    path = tmp_path_factory.mktemp("fuzz") / "file"
    path.write_bytes(data)
    try:
        parse_file(str(path))
    except ParseError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SEED_TEXTS), st.data())
def test_mutated_seeds_give_articles_or_a_clean_error(seed: str, data):
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    text = list(seed)
    for _ in range(data.draw(st.integers(1, 40))):
        choice = rng.random()
        position = rng.randrange(len(text)) if text else 0
        if choice < 0.4 and text:
            del text[position:position + rng.randint(1, 200)]
        elif choice < 0.8:
            text[position:position] = rng.choice(["{", "}", "[", "]", '"', "<div>", "</p>", "---\n", "\x1b[31m",
                                                  "<!--", "-->", "null", "\ue000", "&#0;", "\u202e", ":"])
        else:
            text[position:position] = [chr(rng.randrange(1, 0x3000))]
    parses_cleanly("".join(text))


@pytest.mark.parametrize("name, content, expected", [
    ("deep.json", "[" * 200_000 + "]" * 200_000, "not a DW article|nested too deeply"),
    ("deep-dict.json", '{"a":' * 200_000 + "1" + "}" * 200_000, "not a DW article|nested too deeply"),
    ("null-body.json", json.dumps({"type": "Article", "name": "空的", "body": None, "text": None}), None),
    ("odd-types.json", json.dumps({"type": "Article", "name": 5, "displayDate": "not a date", "permaLink": 7,
                                   "body": ["一段文字", 42, {"content": 3}, {"content": {"type": "Image", "sizes": "x"}},
                                            {"content": {"type": "Video", "sources": [{"format": "mp4", "url": 9}]}}]}),
     None),
    ("far-future.txt", "<!--99999999999999-->\n[未来](https://example.com/f)\n------\n<p>正文</p>", None),
])
def test_bad_shapes_are_recovered_or_refused(tmp_path: Path, name: str, content: str, expected: str | None):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    if expected:
        with pytest.raises(ParseError, match=expected):
            parse_file(str(path))
        return
    [article] = parse_file(str(path))
    assert article.published is None or article.published.year < 2200
    if name == "odd-types.json":
        assert "一段文字" in article.text


def test_html_nested_50000_deep_is_indexed_in_bounded_time(tmp_path: Path):
    path = tmp_path / "deep.html"
    path.write_text("<!--1698786902000-->\n[深](https://example.com/deep)\n------\n" + "<div>" * 50_000 +
                    "最深处的文字" + "</div>" * 50_000, encoding="utf-8")
    [article] = parse_file(str(path))
    assert "最深处的文字" in article.text


def test_symlink_loop_is_walked_once(tmp_path: Path):
    root = tmp_path / "archive"
    (root / "a").mkdir(parents=True)
    (root / "a" / "item.txt").write_text(SEED_TEXTS[2], encoding="utf-8")
    os.symlink(root, root / "a" / "loop")
    library = Library()
    result = library.index([str(root)])
    assert result.articles_added == 1 and result.seen == 1


def test_markup_and_escapes_in_articles_stay_literal_and_inert(tmp_path: Path):
    doc = ("<!--1698786902000-->\n[[bold red]红[/] \x1b]52;c;ZXZpbA==\x07标题\u202e](https://example.com/x)\n------\n"
           "<p>正文 [link=https://evil.example]点我[/link] [@click=app.quit]退出[/] \x1b[2J\x08 结束</p>"
           '<p><a href="javascript:alert(1)">脚本</a> <a href="-oProxyCommand=sh">选项</a> '
           '<a href="file:///etc/passwd">文件</a> <a href="https://ok.example/">好</a></p>')
    (tmp_path / "evil.txt").write_text(doc, encoding="utf-8")
    result = run_cli("index", str(tmp_path))
    assert result.returncode == 0
    listing = run_cli("list")
    assert "[bold red]红[/]" in listing.stdout and "\x1b" not in listing.stdout and "\x07" not in listing.stdout
    article_id = listing.stdout.split()[0]
    for fmt in ("text", "markdown", "json"):
        shown = run_cli("show", article_id, "--format", fmt)
        assert shown.returncode == 0
        assert not ESCAPES.search(shown.stdout.replace("\n", "")), fmt
        assert "javascript:" not in shown.stdout and "file:" not in shown.stdout and "-oProxy" not in shown.stdout
    data = json.loads(run_cli("show", article_id, "--format", "json").stdout)
    assert [link["url"] for link in data["links"]] == ["https://ok.example/"]
    assert "[@click=app.quit]退出[/]" in data["body"].replace("\\", "")
    exported = run_cli("export").stdout
    assert "\x1b" not in exported and "\u202e" not in exported


def test_messages_of_index_carry_no_control_characters(tmp_path: Path):
    bad = tmp_path / "bad\x1b[31mname\x07.txt"
    bad.write_text("not an article", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(SEED_TEXTS[2], encoding="utf-8")
    result = run_cli("index", str(tmp_path))
    assert result.returncode == 0
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "bad[31mname.txt" in result.stderr


def test_a_30mb_article_is_indexed_or_refused_in_bounded_time(tmp_path: Path):
    paragraph = "<p>" + "拜登与习近平在旧金山会晤，讨论了两国关系。" * 40 + "</p>\n"
    body = paragraph * (30_000_000 // len(paragraph.encode()))
    (tmp_path / "huge.txt").write_text("<!--1698786902000-->\n[巨](https://example.com/huge)\n------\n" + body,
                                       encoding="utf-8")
    result = run_cli("index", str(tmp_path))
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr
    if result.returncode == 0:
        assert run_cli("search", "旧金山会晤").returncode == 0


def test_detail_json_never_converts_urls():
    library = Library()
    library.ensure_indexed()
    item = next(i for i in library.listings() if i.outlet == "rfi")
    data = output.detail_json(library.article(item.id), View.TRADITIONAL, "plain")
    assert data["url"] == item.url
