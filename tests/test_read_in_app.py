"""Defects found reading waimei-sample in the app side by side with the source pages (issue 9)."""

from __future__ import annotations

from types import SimpleNamespace

from newsreader import render
from newsreader.sources.htmlclean import clean_html
from newsreader.tui import article_layout

# Modelled on a news agency's page: the image's alt is its caption, and the page prints the
# caption again in a block after the image's wrapper; a related link carries an icon <i></i>.
PAGE = (
    '<div class="wrap"><div class="photo"><img src="https://example.com/a.jpg" '
    'alt="总统20日正式上任。（美联社）"></div><div class="picinfo">总统20日正式上任。（美联社）</div></div>'
    '<p>正文第一段。</p>'
    '<div class="insert"><a href="https://example.com/full"><i class="icon-dot"></i><span>演说全文</span></a></div>'
    '<p>第二段<i></i>文字，<em>强调</em>。</p>'
    '<p>总统20日正式上任。（美联社）</p>'
)


def test_a_caption_printed_again_right_after_its_image_is_said_once() -> None:
    body = clean_html(PAGE)
    assert body.media[0].caption == "总统20日正式上任。（美联社）"
    paragraphs = body.text.split("\n\n")
    assert paragraphs[0].endswith(" 总统20日正式上任。（美联社）") and paragraphs[1] == "正文第一段。"
    # the same words later in the body are the article's own, and stay
    assert paragraphs.count("总统20日正式上任。（美联社）") == 1 and paragraphs[-1] == "总统20日正式上任。（美联社）"


def test_an_empty_inline_element_writes_no_emphasis_marks() -> None:
    body = clean_html(PAGE)
    markdown = render.markdown(body.html, body.media, body.text)
    assert "__" not in markdown and "**" not in markdown.split("\n", 1)[1]
    assert "[演说全文](<https://example.com/full>)" in markdown
    assert "第二段文字，" in markdown and "_强调_" in markdown  # no mark left by the empty <i>, real emphasis kept


def test_the_note_under_a_body_counts_in_the_singular_too() -> None:
    one = SimpleNamespace(media=[object()] * 4, links=[object()])
    assert article_layout.tail(one)[0].plain == "4 media, 1 link — press m"  # was "1 links"
    many = SimpleNamespace(media=[], links=[object()] * 2)
    assert article_layout.tail(many)[0].plain == "0 media, 2 links — press m"


def test_a_link_number_never_starts_a_line() -> None:
    from newsreader import cjk
    text = "由 Mozilla 联合创始人 Brendan Eich 所创公司开发的 Brave 成为首个支持 IPFS 点对点协议的浏览器[2]。IPFS 代表"
    for width in range(20, 110):
        lines = cjk.wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.startswith(("[", "]", "。")) for line in lines), (width, lines)
    # a bracketed number after a space is a word of its own and may start a line
    assert cjk.wrap("见附录 [3] 和表", 8) == ["见附录", "[3] 和表"]
