"""The reader's layout of inline Markdown: links carry their number from the `m` list."""

from __future__ import annotations

from newsreader import render
from newsreader.model import Link, Media
from newsreader.tui import layout


def click_actions(text) -> dict[str, str]:
    """Which action a click on each run of characters runs."""
    found = {}
    for span in text.spans:
        meta = getattr(span.style, "meta", None) or {}
        if "@click" in meta:
            found[text.plain[span.start:span.end]] = meta["@click"]
    return found


def test_inline_links_carry_their_m_list_number_and_a_click_opens_them():
    html = ('<p>看<a href="https://a.example/x_(1)?a=1&amp;b=2">这里_的</a>和<a href="mailto:x@y.example">信</a>，'
            '<a href="https://not-listed.example/">没有编号</a>。</p><p>\ue0001\ue001</p>')
    media = [Media("image", "https://i.example/1.jpg", "图一")]
    links = [Link("这里_的", "https://a.example/x_(1)?a=1&b=2"), Link("信", "mailto:x@y.example")]
    body = render.markdown(html, media)
    found = layout.blocks(body, layout.Styles(), render.link_numbers(media, links))
    para = found[0][1]
    assert para.plain == "看这里_的[2]和信[3]，没有编号。"  # the URL with escaped parens parsed whole
    actions = click_actions(para)
    assert actions["[2]"] == "open_link(2)" and actions["这里_的"] == "open_link(2)"
    assert actions["[3]"] == "open_link(3)"
    assert "没有编号" not in actions
    kind, medium = found[1]
    assert kind == "media" and medium.plain.startswith("[Image 1]")
    assert click_actions(medium)["[Image 1]"] == "open_link(1)"


def test_without_numbers_links_are_only_styled():
    body = render.markdown('<p><a href="https://a.example/">链接</a>文字</p>', [])
    (_kind, para), = layout.blocks(body, layout.Styles())
    assert para.plain == "链接文字" and not click_actions(para)


def test_links_inside_italics_and_bold_stay_whole_and_keep_their_numbers():
    """An underscore in a URL never closes the italics around the link (seen on ChinaFile:
    `_[Chinese Roundabout](<https://…/edition/_/M7…>)_` showed as raw Markdown)."""
    url = "https://books.example/edition/_/M7?dq=a+b"
    body = (f"first _[The Search](<https://books.example/edition/The_Search_for/v>)_ (1990), "
            f"_[Chinese Roundabout](<{url}>)_ (1992) and **[x_y](<https://a.example/_b_>)** end \\_a\\_ z")
    text = layout.inline(body, layout.Styles(), numbers={url: 7})
    assert text.plain == "first The Search (1990), Chinese Roundabout[7] (1992) and x_y end _a_ z"
    assert click_actions(text)["[7]"] == "open_link(7)"


def test_also_covered_by_wraps_between_outlets_never_inside_a_name():
    from rich.cells import cell_len

    from newsreader.tui.article_layout import covered_lines

    names = ["联合早报", "Reuters 路透", "大纪元 (2)", "CNA 中央社 (2)", "DW 德国之声", "RFI 法广"]
    covered = "also covered by: " + " · ".join(names)
    for width in range(30, 100):  # from the width of "also covered by: " and the first name
        lines = [line.plain for line in covered_lines(covered, width)]
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        for name in names:
            assert any(name in line for line in lines), (width, name, lines)  # whole on one line
        assert " ".join(lines).replace("· ", "·").replace("·", " · ") .split() == covered.split()
    assert [line.plain for line in covered_lines("also covered by: 很长的名字" * 10, 20)]  # wider than a line: still wraps
