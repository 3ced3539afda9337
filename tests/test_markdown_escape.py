"""Article text never becomes Markdown structure (issue 10, item 10).

Whatever an article's text holds — link syntax, emphasis, HTML, code, headings,
quotes, list and table look-alikes, character references — the Markdown rendered
for it reads back, in a CommonMark parser and in the app's own layout, as exactly
that text: one text run, no link, emphasis, code or HTML node.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsreader import render, script
from newsreader.model import Media, View
from newsreader.tui import layout

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

HOSTILE = [
    "[x](javascript:alert(1))",
    "**not bold**",
    "_not italic_",
    "<img src=x onerror=alert(1)>",
    "`rm -rf ~`",
    "# not a heading",
    "> not a quote",
    "1. not a list",
    "2) nor this",
    "- nor this",
    "+ nor this",
    "* nor this",
    "| a | b |",
    "|---|---|",
    "&amp; &lt;b&gt; &#42;&#42;x&#42;&#42; &copy;",
    "===",
    "---",
    "***",
    "___",
    "~~not struck~~",
    "```python",
    "~~~",
    "<https://evil.example/>",
    "<script>alert(1)</script>",
    "<!-- a comment -->",
    "![alt](https://evil.example/pixel.gif)",
    "[ref]: https://evil.example/",
    "[ref][1] and [1]: javascript:x",
    "[^1] footnote",
    "a\\*b\\_c\\",
    "a_b_c snake_case_name",
    "*_*_*_*",
    "__dunder__",
    "拜登與**習近平**在[舊金山](https://evil.example)會晤",
    "<div>", "</p>", "<p>",
    "\\",
    "#",
    "10) 第十",
    "12345678. 大数",
    "    四个空格缩进",
    "- [ ] not a task",
    "{{ template }} ${shell} $(whoami) `id`",
    "a  \n b",
]

MD = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def collapsed(text: str) -> str:
    return " ".join(text.split())


def only_text(markdown: str) -> str:
    """The text of Markdown that must be one paragraph of plain text (asserted)."""
    tokens = MD.parse(markdown)
    kinds = [t.type for t in tokens]
    assert kinds == ["paragraph_open", "inline", "paragraph_close"], (markdown, kinds)
    children = tokens[1].children or []
    assert {c.type for c in children} <= {"text", "softbreak"}, (markdown, [c.type for c in children])
    return "".join(c.content if c.type == "text" else "\n" for c in children)


def app_text(markdown: str) -> str:
    """What the app's layout shows for the Markdown: one plain, unstyled paragraph (asserted)."""
    [(kind, text)] = layout.blocks(markdown, layout.Styles())
    assert kind == "para" and not text.spans, (markdown, kind, text.spans)
    return text.plain


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_in_html_is_text_in_markdown(hostile: str):
    markdown = render.markdown(f"<p>{html.escape(hostile)}</p>", [])
    assert collapsed(only_text(markdown)) == collapsed(hostile)
    assert collapsed(app_text(markdown)) == collapsed(hostile)
    for view in (View.SIMPLIFIED, View.TRADITIONAL):  # script conversion keeps the escapes
        only_text(script.convert_markdown(markdown, view))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_without_html_is_text_in_markdown(hostile: str):
    """The path for bodies too big for html2text: Markdown made from the visible text."""
    text = "\n".join(line.strip() for line in hostile.split("\n"))
    markdown = render.markdown("", [], text)
    assert collapsed(only_text(markdown)) == collapsed(text)


ALPHABET = st.sampled_from(list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ aZ09") + ["习近平", "，", "。", "&amp;", "&#42;"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=40).map("".join))
def test_any_text_reads_back_as_itself(text: str):
    if not text.strip():
        return
    markdown = render.markdown(f"<p>{html.escape(text)}</p>", [])
    assert collapsed(only_text(markdown)) == collapsed(text)
    assert collapsed(app_text(markdown)) == collapsed(text)
    fallback = render.markdown("", [], text)
    assert collapsed(only_text(fallback)) == collapsed(text.strip())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(ALPHABET, min_size=1, max_size=12).map("".join), min_size=2, max_size=4))
def test_text_split_by_tags_reads_back_as_itself(pieces: list[str]):
    """Text arrives in pieces between tags (an empty ``<strong>``, a ``<span>``): a marker
    made of two pieces (``1`` + ``. x``) is escaped too. (html2text trims spaces next to
    emphasis, so spaces are not compared here.)"""
    joined = "".join(pieces)
    if not joined.strip():
        return
    markdown = render.markdown("<p>" + "<strong></strong>".join(html.escape(p) for p in pieces) + "</p>", [])
    assert "".join(only_text(markdown).split()) == "".join(joined.split())


def test_structure_the_parser_built_is_still_markup():
    body = ('<h2>小标题 *星* #</h2><p>一段 <strong>粗体 _x_</strong> 和 <em>斜体</em>，'
            '<a href="https://example.com/a_(b)">链接 [1]</a>。</p>'
            '<blockquote><p>引用 # 号</p></blockquote><ul><li>条目 1. 一</li></ul>'
            '<p>\ue0001\ue001 图片说明 **不粗**</p><pre>第一行 **a**\n# 第二行</pre>'
            '<p>行内<code>a`b</code>代码</p>')
    markdown = render.markdown(body, [Media("image", "https://example.com/i.jpg", "图片说明")])
    tokens = MD.parse(markdown)
    types = [t.type for t in tokens]
    assert types.count("heading_open") == 1 and types.count("blockquote_open") == 1
    assert types.count("bullet_list_open") == 1 and "code_block" not in types and "fence" not in types
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert [c.type for c in inline].count("strong_open") == 2  # the bold text and the media label
    assert [c.type for c in inline].count("em_open") == 1
    links = [c.attrs["href"] for c in inline if c.type == "link_open"]
    assert links == ["https://example.com/a_%28b%29"]
    text = "".join(c.content for c in inline if c.type == "text")
    for literal in ("小标题 *星* #", "粗体 _x_", "链接 [1]", "引用 # 号", "条目 1. 一", "[Image 1]",
                    "图片说明 **不粗**", "第一行 **a**", "# 第二行", "行内a`b代码"):
        assert literal in text, literal


def test_links_that_may_not_be_opened_are_text_and_mailto_is_trimmed():
    body = ('<p><a href="javascript:alert(1)">脚本</a> <a href="mailto:a@example.com?subject=hi&amp;'
            'attach=/etc/passwd&amp;body=x">信</a> <a href="https://example.com/a&gt;b)c">怪</a></p>')
    tokens = MD.parse(render.markdown(body, []))
    inline = tokens[1].children or []
    hrefs = [c.attrs["href"] for c in inline if c.type == "link_open"]
    assert hrefs == ["mailto:a@example.com?subject=hi&body=x", "https://example.com/a%3Eb%29c"]
    assert "脚本" in "".join(c.content for c in inline if c.type == "text")


def test_show_markdown_json_body_and_export_keep_article_markdown_as_text(tmp_path):
    from conftest import run_cli

    hostile = ["[点我](javascript:alert(1))", "**不是粗体**", "_不是斜体_", "<img src=x onerror=alert(1)>",
               "# 不是标题", "> 不是引用", "1. 不是列表", "| 不 | 是 |", "&amp;lt;"]
    body = "".join(f"<p>{html.escape(h)}</p>" for h in hostile)
    (tmp_path / "a.txt").write_text(
        f"<!--1698786902000-->\n[标题 **星**](https://example.com/md)\n------\n{body}", encoding="utf-8")
    assert run_cli("index", str(tmp_path)).returncode == 0
    article_id = run_cli("list").stdout.split()[0]
    shown = run_cli("show", article_id, "--format", "markdown").stdout
    data = __import__("json").loads(run_cli("show", article_id, "--format", "json").stdout)
    exported = __import__("json").loads(run_cli("export").stdout.splitlines()[0])
    for markdown in (data["body"], exported["body"], shown):
        tokens = MD.parse(markdown)
        inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
        links = [c.attrs["href"] for c in inline if c.type == "link_open"]
        assert links == (["https://example.com/md"] if markdown is shown else []), markdown
        assert {c.type for c in inline} <= {"text", "softbreak", "link_open", "link_close"}, markdown
        assert {t.type for t in tokens} <= {"paragraph_open", "inline", "paragraph_close",
                                            "heading_open", "heading_close"}, markdown
        text = "\n".join(c.content for c in inline if c.type == "text")
        for literal in hostile:
            assert literal in text, literal
    assert "# 标题 \\*\\*星\\*\\*\n" in shown
