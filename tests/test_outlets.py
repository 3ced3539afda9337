"""Issue 9 item 6: one site one outlet, unknown outlets named from front matter, the table knows
the outlets of real archives in both scripts, titles lose only a suffix/prefix repeating the outlet."""

from __future__ import annotations

import time

import pytest

from newsreader import outlets
from newsreader.sources import parse_text
from newsreader.sources.common import strip_outlet_suffix


def post(url: str, title: str = "标题", tags: str = "", author: str = "") -> str:
    meta = f"---\ntitle: \"{title}\"\ndate: 2021-01-20T03:56:34.000Z\nfrom: {url}\n"
    meta += f"tags: [ {tags} ]\n" if tags else ""
    meta += f"author: {author}\n" if author else ""
    return meta + "---\n<p>正文。</p>"


def test_mobile_and_desktop_hosts_are_one_outlet():
    keys = {parse_text(post(url))[0].outlet for url in (
        "https://www.allnow.com/post/1", "https://m.allnow.com/post/2", "https://allnow.com/post/3")}
    assert keys == {"allnow.com"}
    assert outlets.key_for("https://m.dw.com/zh/a-1") == "dw"
    assert outlets.host_of("https://m.com/x") == "m.com"  # a site called m.com stays itself


def test_an_unknown_outlet_is_named_from_front_matter_before_its_host():
    [a] = parse_text(post("https://m.allnow.com/post/5f7f", tags="燕京书评", author="钟昱赟"))
    assert a.outlet == "燕京书评"
    outlet = outlets.get(a.outlet)
    assert (outlet.name_hans, outlet.name_hant) == ("燕京书评", "燕京書評")
    [b] = parse_text(post("https://m.allnow.com/post/5f80", author="钟昱赟"))
    assert b.outlet == "钟昱赟"  # the author, when there are no tags
    [c] = parse_text("<!--1611100000000-->\n[题](https://m.allnow.com/post/1)\n------\n<p>正文。</p>")
    assert c.outlet == "allnow.com"  # no front matter: the site


@pytest.mark.parametrize("host, tags, key, hans, hant", [
    ("https://cn.reuters.com/article/x", "路透", "reuters", "Reuters 路透", "Reuters 路透"),
    ("https://www.cna.com.tw/news/a.aspx", "(臺)中央社CNA", "cna", "CNA 中央社", "CNA 中央社"),
    ("https://www.rti.org.tw/news/view/id/1", "中央廣播電臺", "rti", "RTI 中央广播电台", "RTI 中央廣播電臺"),
    ("https://www.zaobao.com/news/china/story1", "联合早报", "zaobao", "联合早报", "聯合早報"),
    ("https://www.voachinese.com/a/x.html", "美国之音", "voa", "VOA 美国之音", "VOA 美國之音"),
    ("https://www.rfa.org/mandarin/x.html", "自由亚洲电台", "rfa", "RFA 自由亚洲电台", "RFA 自由亞洲電台"),
    ("http://www.bbc.com/zhongwen/simp/world-1", "BBC", "bbc", "BBC 中文", "BBC 中文"),
    ("https://www.ftchinese.com/story/1", "FT中文网", "ftchinese", "FT中文网", "FT中文網"),
    ("https://chinadigitaltimes.net/chinese/2021/01/x/", "中国数字时代", "cdt", "CDT 中国数字时代", "CDT 中國數字時代"),
    ("https://www.solidot.org/story?sid=1", "Solidot", "solidot", "Solidot 奇客", "Solidot 奇客"),
    ("https://bitterwinter.org/x/", "寒冬", "bitterwinter", "寒冬 Bitter Winter", "寒冬 Bitter Winter"),
    ("https://www.economist.com/x", "经济学人en", "economist", "经济学人", "經濟學人"),
    ("https://wqw2010.blogspot.com/2021/01/x.html", "维权网", "wqw", "维权网", "維權網"),
    ("https://cn.govopendata.com/xinwenlianbo/20210120/", "CCTV新闻联播", "xwlb", "CCTV 新闻联播", "CCTV 新聞聯播"),
])
def test_the_table_knows_the_outlets_of_real_archives(host, tags, key, hans, hant):
    [a] = parse_text(post(host, tags=tags))
    assert a.outlet == key
    assert (outlets.get(key).name_hans, outlets.get(key).name_hant) == (hans, hant)
    assert outlets.by_name(tags) is outlets.get(key)  # the front matter's name finds it without a URL


@pytest.mark.parametrize("title, key, expected", [
    ("结束就职仪式 拜登抵达白宫 – 法国国际广播电台 - RFI", "rfi", "结束就职仪式 拜登抵达白宫"),
    ("日股收跌 – 法國國際廣播電台 - RFI", "rfi", "日股收跌"),
    ("疫情下，法国文化掌上明珠美食业受巨大冲击 - 文化遗产", "rfi", "疫情下，法国文化掌上明珠美食业受巨大冲击 - 文化遗产"),
    ("床位不足在家疗养 - 东京专栏", "rfi", "床位不足在家疗养 - 东京专栏"),
    ("德国之声｜美国准内阁出席任命听证会", "dw", "美国准内阁出席任命听证会"),
    ("德国之声｜美国准内阁出席任命听证会", "cdt", "德国之声｜美国准内阁出席任命听证会"),  # CDT quoting DW
    ("活粒｜被疫情改道的人们", "matters", "活粒｜被疫情改道的人们"),
    ("[中央社] 拜登就職", "cna", "拜登就職"),
    ("拜登疫情中就職 誓言團結美國修復與盟友關係[影]", "cna", "拜登疫情中就職 誓言團結美國修復與盟友關係[影]"),
    ("RFI", "rfi", "RFI"),
])
def test_titles_lose_only_a_suffix_or_prefix_repeating_the_outlet(title, key, expected):
    assert strip_outlet_suffix(title, *outlets.get(key).names()) == expected


def test_a_bracketed_prefix_repeating_the_posts_own_category_goes():
    [a] = parse_text(post("https://www.rti.org.tw/news/view/id/1", title="[國際] 拜登就職", tags="國際"))
    assert a.title == "拜登就職"
    [b] = parse_text(post("https://matters.news/@x/1", title="[冷戰物語]可以參與國際圍堵", tags="Matters"))
    assert b.title == "[冷戰物語]可以參與國際圍堵"  # a series name, not the post's label: kept
    long = "RFI - " * 100_000 + "标题 - RFI"
    start = time.perf_counter()
    assert strip_outlet_suffix(long, *outlets.get("rfi").names()).endswith("标题")  # bounded: a few passes
    assert time.perf_counter() - start < 2
