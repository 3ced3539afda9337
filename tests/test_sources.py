"""Parsers: every field of the five seeds, the hand-made fixtures, encodings and bad input."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS

from newsreader.sources import ParseError, parse_file, parse_text
from newsreader.sources.htmlclean import clean_html, unwrap_image_proxy


def seed(prefix: str):
    [path] = SEEDS.glob(f"{prefix}_*")
    [article] = parse_file(str(path))
    return article


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_dw_fields_and_block_order():
    a = seed("000")
    assert a.format == "dw-json"
    assert a.outlet == "dw"
    assert a.title == "「拜習會」11月登場？美官員：已開始籌備"
    assert a.url == "https://p.dw.com/p/4XBJZ"
    assert a.published == datetime(2023, 10, 6, 1, 48, 46, 923000, tzinfo=UTC)
    assert a.category == "政治"
    assert a.summary.startswith("在美中尋求恢復穩定關係之際")
    assert a.keywords[:2] == ("拜登", "习近平")
    kinds = [m.kind for m in a.media]
    assert kinds == ["image", "image", "video", "video"]
    lead, _, video, _ = a.media
    assert lead.url == "https://static.dw.com/image/63750162_304.jpg"  # the largest size
    assert lead.caption.startswith("圖為去年11月14日")
    assert video.duration == 84
    assert video.url.endswith("AVC_1920x1080.mp4")  # the best mp4 by bitrate
    assert video.hls_url.endswith(".m3u8")
    # blocks in order: lead image, paragraphs, image, …, video, …
    text = a.text
    assert text.index("\ue0001\ue001") < text.index("（德國之聲中文網）") < text.index("\ue0002\ue001")
    assert text.index("\ue0002\ue001") < text.index("美中關係解凍") < text.index("\ue0003\ue001")
    # ArticleRef links point at readable DW pages, not the API
    assert a.links[0].url == "https://www.dw.com/a-66576964"
    assert all("api.dw.com" not in link.url for link in a.links)


def test_epochtimes_jekyll_with_wrapper_and_tweet():
    a = seed("001")
    assert (a.format, a.outlet) == ("jekyll", "epochtimes")
    assert a.title == "白宫发拜登王毅照 敲定11月旧金山拜习会"
    assert a.published == utc(2023, 10, 28, 6, 2, 22)
    assert a.url == "https://www.epochtimes.com/gb/23/10/28/n14104691.htm"
    assert a.author == "大纪元"
    [tweet] = a.media
    assert tweet.kind == "embed" and "/status/1717986709667815884" in tweet.url
    assert "widgets.js" not in a.body_html and "<script" not in a.body_html
    assert "责任编辑：叶紫微" in a.text


@pytest.mark.parametrize("prefix, when", [
    ("002", utc(2023, 10, 31, 21, 0)),  # 22:00 Paris (CET)
    ("003", utc(2023, 10, 28, 9, 22)),  # 11:22 Paris (CEST)
])
def test_rfi_own_time_in_paris_and_boilerplate_gone(prefix, when):
    a = seed(prefix)
    assert (a.format, a.outlet, a.published) == ("feed-item", "rfi", when)
    assert a.url.startswith("https://www.rfi.fr/cn/")
    for junk in ("分享", "facebook", "whatsapp", "x.com/intent", "selfpromo"):
        assert junk not in a.body_html and junk not in a.text
    assert [m.kind for m in a.media] == ["image"]
    assert not a.links  # the share links were the only links


def test_nyt_beijing_time_author_proxy_and_footer():
    a = seed("004")
    assert a.outlet == "nytimes"
    assert a.published == utc(2024, 11, 14, 2, 23, 25)  # 10:23:25 in Beijing
    assert a.author == "MICHAEL D. SHEAR"
    [image] = a.media
    assert image.url == ("https://static01.nyt.com/images/2024/11/13/multimedia/13DC-BIDEN-XI-fpjt/"
                         "13DC-BIDEN-XI-fpjt-master1050.jpg")
    assert image.caption.startswith("本周六的峰会将是拜登总统和习近平主席")
    assert "翻译：纽约时报中文网" in a.text
    assert any(link.url.endswith("biden-xi-china-meeting.html") for link in a.links)


def test_wordpress_post_outlet_suffix_entities_time_and_cleanup():
    [a] = parse_file(str(FIXTURES / "wordpress-post.md"))
    assert a.title == "别依赖你无法控制的东西"  # " - iYouPort" dropped
    assert a.outlet == "iyouport"
    assert a.author == "Tom & Jerry"
    assert a.published == utc(2019, 8, 26, 16, 2, 45)  # the page's own <time> says the same instant
    assert "千万不要对你自己无法完全控制的东西产生依赖性，否则将意味着" in a.text  # wrapped line joined
    assert "这个互联网的基础设施不是公民能控制的，于是 Internet 反抗者" in a.text
    assert "McCaffrey" not in a.text and "Tagged" not in a.text and "tracking" not in a.text
    assert [link.url for link in a.links] == ["https://example.org/infra"]  # javascript: and empty links gone
    assert "javascript" not in a.body_html
    image, embed = a.media
    assert (image.kind, image.url, image.caption) == ("image", "https://www.iyouport.org/wp-content/a.jpg",
                                                       "图：互联网基础设施")
    assert (embed.kind, embed.url) == ("embed", "https://www.youtube.com/embed/abc123")


def test_front_matter_that_is_not_yaml_is_read_leniently():
    [a] = parse_file(str(FIXTURES / "bad-yaml.md"))
    assert a.title == '陈子明: 葬礼 "多人" 参加受阻'
    assert a.outlet == "paopao"
    assert a.published == utc(2014, 10, 27, 13, 34, 59)


def test_feed_service_footer_and_selfpromo_dropped():
    [a] = parse_file(str(FIXTURES / "feed-rss-footer.txt"))
    assert a.title == "香港法院裁决"
    assert "获取更多RSS" not in a.text and "下载应用" not in a.text
    assert a.text == "香港高等法院周二裁决。\n\n第二段有重点。"
    assert a.published == utc(2023, 11, 14, 22, 30)


def test_capture_time_is_the_fallback():
    [a] = parse_file(str(FIXTURES / "no-wrapper-capture-only.txt"))
    assert a.published == utc(2023, 10, 31, 21, 15, 2)


@pytest.mark.parametrize("name, reason", [
    ("notes.txt", "not an article"),
    ("truncated.json", "invalid JSON"),
    ("not-article.json", "not a DW article"),
])
def test_bad_files_raise_parse_error_with_a_reason(name, reason):
    with pytest.raises(ParseError, match=reason):
        parse_file(str(FIXTURES / name))


def test_empty_and_binary_files(tmp_path: Path):
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)))
    with pytest.raises(ParseError, match="empty"):
        parse_file(str(tmp_path / "empty"))
    with pytest.raises(ParseError, match="binary"):
        parse_file(str(tmp_path / "image.jpg"))


TEXT = (SEEDS.glob("002_*").__next__()).read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_encodings_of_simplified_text(tmp_path: Path, encoding: str):
    path = tmp_path / "item"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode(encoding))
    [a] = parse_file(str(path))
    assert a.title == "白宫：拜登希望与习近平进行建设性对话"
    assert "峰会之路布满荆棘" in a.text


def test_big5_traditional_text(tmp_path: Path):
    doc = ("<!--1698786902000-->\n[拜習會登場 美官員：已開始籌備](https://www.dw.com/zh/a-1)\n------\n"
           "<p>美國總統拜登和中國國家主席習近平下個月將在舊金山會晤，且美方已著手展開籌備工作。</p>\n")
    path = tmp_path / "big5"
    path.write_bytes(doc.encode("big5"))
    [a] = parse_file(str(path))
    assert a.title == "拜習會登場 美官員：已開始籌備"
    assert "舊金山會晤" in a.text


def test_proxy_unwrap():
    assert unwrap_image_proxy("https://images.weserv.nl/?url=static01.nyt.com/a.jpg") == "https://static01.nyt.com/a.jpg"
    assert unwrap_image_proxy("https://example.com/a.jpg") == "https://example.com/a.jpg"


def test_no_spurious_space_between_wrapped_chinese_lines():
    body = clean_html("<p>第一行中文\n  第二行中文<em>\n强调</em>\n完</p><p>Latin\nwords 中文 间隔</p>")
    assert body.text == "第一行中文第二行中文强调完\n\nLatin words 中文 间隔"


def test_text_only_parse_picks_format_by_content_not_name():
    dw = (SEEDS.glob("000_*").__next__()).read_text(encoding="utf-8")
    assert parse_text(dw, "whatever.md")[0].format == "dw-json"
