"""Every output format says the same, in the asked-for script, and converts only text."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import run_cli

from newsreader.render import escape_markdown

# A mainland post with URLs (bare, www., in a link, with Han in the path), inline code, a
# <pre> block, Latin text and a captioned image.
POST = """---
layout: post
title: "台湾发展研究：三天后回归谈判"
date: 2021-01-20T10:00:00+00:00
from: https://example-news.cn/2021/01/taiwan-fazhan
description: "摘要：气球升空后，美国历史上第一次。"
---

<article>
 <div class="entry-content">
  <p>详情见 https://zh.wikipedia.org/wiki/台湾_历史 和 www.example.cn/后台/里面 ，或阅读<a href="https://example-news.cn/发展/后台">台湾发展报告</a>。</p>
  <p>程序员运行 <code>干部 = 里面(后台)</code> 即可；He said “hello” — it’s café.</p>
  <pre>后台 = "台湾发展"
print(后台)</pre>
  <figure><img src="https://example-news.cn/img/历史.jpg"><figcaption>图：这里面包含十几分钟的录像</figcaption></figure>
  <p>他已着手调查，接着看着文件。</p>
 </div>
</article>
"""
DW = "d92507a754"  # the DW seed (the bundled sample): a summary, captions, videos with HLS

KEPT = ["https://zh.wikipedia.org/wiki/台湾_历史", "www.example.cn/后台/里面", "https://example-news.cn/发展/后台",
        "https://example-news.cn/img/历史.jpg", "干部 = 里面(后台)", '后台 = "台湾发展"', "print(后台)",
        "He said “hello” — it’s café."]


def _only(tmp_path: Path) -> str:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "post.md").write_text(POST, encoding="utf-8")
    assert run_cli("index", str(tmp_path / "posts")).returncode == 0
    return json.loads(run_cli("list", "--json").stdout)[0]["id"]


def _strings(value: object) -> str:
    """Every string in a JSON value, one a line."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_strings(v) for v in value)
    return ""


@pytest.mark.parametrize("script", ["original", "simplified", "traditional"])
def test_urls_code_and_latin_never_convert_in_any_format(tmp_path: Path, script: str) -> None:
    article = _only(tmp_path)
    outputs = {fmt: run_cli("show", article, "--format", fmt, "--script", script).stdout
               for fmt in ("text", "markdown", "json")}
    outputs["json"] = _strings(json.loads(outputs["json"]))
    outputs["export"] = "\n".join(_strings(json.loads(line)) for line in run_cli("export", "--script", script).stdout.splitlines())
    for fmt, out in outputs.items():
        for kept in KEPT:
            # Markdown writes a link's URL percent-encoded (safetext.openable_url) and text escaped:
            # the same URL, unconverted
            forms = {kept} | ({quote(kept, safe=":/?#=&%"), escape_markdown(kept)} if fmt != "text" else set())
            assert any(form in out for form in forms), (fmt, kept)
        if script == "traditional":
            assert "臺灣發展研究：三天後回歸談判" in out and "這裡面包含十幾分鐘的錄像" in out, fmt
            assert "干部" not in out.replace("干部 = 里面(后台)", ""), fmt


def test_markdown_has_the_summary_and_every_media_url_that_text_and_json_have() -> None:
    data = json.loads(run_cli("show", DW, "--format", "json", "--script", "s").stdout)
    markdown = run_cli("show", DW, "--format", "markdown", "--script", "s").stdout
    text = run_cli("show", DW, "--script", "s").stdout
    assert data["summary"] and data["summary"] in markdown and data["summary"] in text
    for medium in data["media"]:
        for url in (medium["url"], medium.get("hls")):
            if url:
                assert url in markdown and url in text, url
        assert medium["caption"] in markdown and medium["caption"] in text
    for link in data["links"]:
        assert link["url"] in markdown and link["text"] in markdown


def test_captions_convert_with_the_body() -> None:
    """A simplified caption in a traditional article converts to traditional, and back."""
    trad = json.loads(run_cli("show", DW, "--format", "json", "--script", "t").stdout)
    simp = json.loads(run_cli("show", DW, "--format", "json", "--script", "s").stdout)
    assert trad["media"][2]["caption"] == "拜登稱與李強會面“我沒想遏制中國”"
    assert simp["media"][0]["caption"] == "图为去年11月14日，拜登与习近平在印尼峇里岛G20峰会场边会晤。"
    for fmt in ("text", "markdown"):
        out = run_cli("show", DW, "--format", fmt, "--script", "t").stdout
        assert out.count("拜登稱與李強會面“我沒想遏制中國”") == 2 and "拜登称与李强会面" not in out, fmt
