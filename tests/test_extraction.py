"""Issue 9, items 1-3: all of the article and none of the page around it (fixtures modelled on the samples)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from newsreader.model import DateOnly
from newsreader.sources import parse_text
from newsreader.sources.htmlclean import clean_html


def feed(html: str, url: str = "https://www.example-news.com/a/2021/01/20/story.html", title: str = "标题") -> str:
    return f"<!--1611100000000-->\n[{title}]({url})\n------\n\n{html}"


# -- 1. whitespace between inline elements -------------------------------------------------

def test_spaces_around_inline_elements_are_kept():
    body = clean_html('<p>The Department’s <a href="https://zhihu.com/x">Zhihu account</a> on '
                      'Tuesday <b>said</b>\n<i>that</i>&nbsp;it <span>was</span><em> fine</em>.</p>')
    assert body.text == "The Department’s Zhihu account on Tuesday said that\xa0it was fine."


def test_whitespace_collapses_but_never_glues_words():
    body = clean_html("<p>  one\n\n  <strong>two</strong>\t\tthree<span>four</span> </p><p> <em>five</em></p>")
    assert body.text == "one two threefour\n\nfive"  # no space in the source between three and four


def test_no_space_is_added_between_two_cjk_characters():
    body = clean_html("<p>中国<a href='https://a.example/x'>外交部</a>发言人<b>华春莹</b>\n说，"
                      "<span>这是</span>\n<span>谎言</span>。</p>")
    assert body.text == "中国外交部发言人华春莹说，这是谎言。"


def test_a_space_typed_between_chinese_words_stays():
    assert clean_html("<p>川普卸任离白宫 <b>返回佛州</b></p>").text == "川普卸任离白宫 返回佛州"


# -- 2. comment threads, related lists, pagers, "submitted by" ---------------------------------

DRUPAL_PAGE = """
<div class="node"><div class="submitted">Submitted by 管理员 on 2014-04-10</div>
<p>第一段正文，讲电子邮箱的安全。</p><p>第二段正文。</p>
<ul class="links inline"><li class="comment-add"><a href="/article/70#comment-form">冒个泡吧！</a></li></ul>
<div class="comment-wrapper" id="comments"><h2 class="title">评论</h2>
 <div class="comment comment-by-anonymous"><div class="comment-text"><p>Buy cheap viagra online pharmacy</p></div>
 <ul class="links inline"><li class="comment-reply"><a href="/comment/reply/70/20479">回复</a></li></ul></div>
</div>
<div class="item-list"><ul class="pager"><li><a href="?page=1">1</a></li><li><a href="?page=2">2</a></li>
<li><a href="?page=1">下一页 ›</a></li></ul></div>
</div>"""


def test_comment_thread_pager_and_submitted_line_are_dropped():
    [a] = parse_text(feed(DRUPAL_PAGE, url="https://www.pao-pao.net/article/70"))
    assert a.text == "第一段正文，讲电子邮箱的安全。\n\n第二段正文。"


def test_related_list_of_the_same_site_is_dropped_with_its_heading():
    html = ("<p>台股今天震盪收黑。</p><p>成交量前5名個股為聯電、長榮。</p>"
            "<div class='paragraph moreArticle'><div class='moreArticle-title'>延伸閱讀</div>"
            "<a class='moreArticle-link' href='https://www.cna.com.tw/news/afe/1.aspx'><span>台股開高走高</span></a>"
            "<a class='moreArticle-link' href='https://www.cna.com.tw/news/afe/2.aspx'><span>台股小跌</span></a></div>")
    [a] = parse_text(feed(html, url="https://www.cna.com.tw/news/afe/3.aspx"))
    assert a.text == "台股今天震盪收黑。\n\n成交量前5名個股為聯電、長榮。"


def test_inline_see_also_bullets_go_but_links_in_prose_and_lists_of_other_sites_stay():
    html = ("<p>代孕的现象并不少见，据<a href='https://www.bbc.com/zhongwen/simp/world-1'>此前报道</a>称。</p>"
            "<ul><li><a href='https://www.bbc.com/zhongwen/simp/world-48075834'>代孕争议：建立全球规则有多难</a></li>"
            "<li><a href='https://www.bbc.com/zhongwen/simp/world-43212556'>代孕之王</a></li></ul>"
            "<p>消息来源：</p><ul><li><a href='https://www.reuters.com/a'>路透社报道</a></li>"
            "<li><a href='https://apnews.com/b'>美联社报道</a></li></ul>")
    [a] = parse_text(feed(html, url="https://www.bbc.com/zhongwen/simp/world-55700000"))
    assert "代孕争议" not in a.text and "代孕之王" not in a.text
    assert "据此前报道称" in a.text and "路透社报道" in a.text and "美联社报道" in a.text


def test_a_table_of_contents_of_the_page_itself_is_the_article():
    url = "https://cn.govopendata.com/xinwenlianbo/20210120/"
    html = "".join(f"<li><a href='{url}#2238{n}'>第{n}条新闻的标题</a></li>" for n in range(5))
    [a] = parse_text(feed(f"<ul>{html}</ul>", url=url))
    assert a.text.count("新闻的标题") == 5


def test_contributions_by_the_posts_authors_are_the_article():
    html = ("<p>Two months ago I received a phone call.</p>"
            "<div id='comments' class='comment-wrapper'><h2 class='title'>Comments</h2>"
            "<article class='comment comment-by-node-author'><div class='field-name-comment-body'>"
            "<p>Pamela Crossley remembers her teacher.</p></div>"
            "<ul class='links'><li class='comment_forbidden'></li></ul></article>"
            "<article class='comment comment-by-anonymous'><p>spam spam cheap pills</p></article></div>")
    [a] = parse_text(feed(html, url="https://www.chinafile.com/conversation/remembering"))
    assert a.text == "Two months ago I received a phone call.\n\nPamela Crossley remembers her teacher."


def test_a_body_wrapper_named_like_comments_is_not_dropped():
    prose = "<p>" + "这是一篇很长的文章的正文。" * 40 + "</p>"
    html = f"<article class='post comments-open'><h1>标题</h1>{prose}</article>"
    [a] = parse_text(feed(html))
    assert a.text.count("这是一篇很长的文章的正文。") == 40


# -- 3. bodies that vanish ---------------------------------------------------------------------

def test_a_root_with_framework_attributes_keeps_its_text():
    html = ('<div class="main" data-v-7f77c10f="" data-v-c130297e=""><div class="content" data-v-7f77c10f="">'
            '<p data-v-7f77c10f="">格丽克的诗歌嫁接了经典文化与私人意识。</p>'
            '<p data-v-7f77c10f="">第二段。</p></div></div>')
    [a] = parse_text(feed(html, url="https://m.allnow.com/post/5f7f96aa"))
    assert a.text == "格丽克的诗歌嫁接了经典文化与私人意识。\n\n第二段。"


def test_a_figure_wrapping_paragraphs_keeps_them():
    html = ("<figure><img src='https://img.example/a.jpg' alt='图一'>"
            "<p>第一段在图里。</p><p>第二段也在图里。</p><figcaption>说明</figcaption></figure><p>图后的段落。</p>")
    [a] = parse_text(feed(html))
    assert "第一段在图里。" in a.text and "第二段也在图里。" in a.text and "图后的段落。" in a.text
    assert [m.url for m in a.media] == ["https://img.example/a.jpg"]


def test_a_plain_figure_is_still_one_medium_with_its_caption():
    [a] = parse_text(feed("<figure><img src='https://img.example/b.jpg'><figcaption>拜登宣誓就任</figcaption>"
                          "</figure><p>正文。</p>"))
    [image] = a.media
    assert image.caption == "拜登宣誓就任"
    assert a.text.endswith("正文。") and a.text.count("拜登宣誓就任") == 1


@pytest.mark.parametrize("alt", ["img", "IMG", "图片", "圖片", ".", "line", "image-1611142227503.png", "DSC_0042"])
def test_an_images_placeholder_alt_is_no_caption(alt: str):
    # CDT's alt="img", "图片", "." and file names were printed as "[Image 1] img"
    [a] = parse_text(feed(f"<img src='https://img.example/a.jpg' alt='{alt}'><p>正文。</p>"))
    [image] = a.media
    assert image.caption == "" and alt not in a.text


def test_an_images_real_alt_is_its_caption():
    [a] = parse_text(feed("<img src='https://img.example/a.jpg' alt='拜登 2021'><p>正文。</p>"))
    assert a.media[0].caption == "拜登 2021"


@pytest.mark.parametrize("ending", ["（編輯：楊昭彥）1100121", "（编辑：杨昭彦）1100121", "（編輯：楊昭彥） 1091231"])
def test_an_editors_credit_keeps_its_name_and_loses_the_filing_code(ending: str):
    # CNA ends a story with its editor and a date in the ROC calendar, glued: "（編輯：楊昭彥）1100121"
    [a] = parse_text(feed(f"<p>拜登今天在華府發表演說。{ending}</p><p>下一段。</p>"))
    credit = ending.split("）")[0] + "）"
    assert f"發表演說。{credit}" in a.text and "110012" not in a.text and "109123" not in a.text


def test_a_number_after_an_editors_credit_that_is_no_date_is_text():
    [a] = parse_text(feed("<p>（編輯：楊昭彥）1101399</p><p>報導說，（編輯：王）1100121人參加。</p>"))
    assert "1101399" in a.text and "1100121人參加" in a.text


# -- found reading waimei-sample: the feed service's header, captions, printed dates ---------

def test_a_printed_header_time_and_author_are_taken_out_of_the_body():
    html = ("<div><i> 安静<br>2021-01-20T16:54:23.481Z</i></div><img src='' width='100%'>"
            "<p>（德国之声中文网）美国华盛顿时间20日。</p>")
    [a] = parse_text("---\ntitle: 拜登\nauthor: 德国之声\ndate: 2021-01-20T21:54:00.000Z\n"
                     "from: https://www.dw.com/zh/a-56289547\n---\n" + feed(html, url="https://www.dw.com/zh/a-56289547"))
    assert a.text == "（德国之声中文网）美国华盛顿时间20日。"
    assert a.published == datetime(2021, 1, 20, 16, 54, 23, 481000, tzinfo=UTC)
    assert a.author == "安静"  # the printed byline beats a front matter author that is the outlet


def test_an_rfc_2822_header_time_and_a_caption_printed_after_its_image():
    html = ("<div><i>Wed, 20 Jan 2021 22:52:28 GMT</i></div>"
            "<img src='https://images.weserv.nl?url=gdb.voanews.com/a.jpg' width='100%'>"
            "<div><small style='color: #999;'>资料照片：沙欣3型导弹</small></div><p>巴基斯坦星期三说。</p>")
    [a] = parse_text(feed(html, url="https://www.voachinese.com/a/x.html"))
    assert a.published == datetime(2021, 1, 20, 22, 52, 28, tzinfo=UTC)
    [image] = a.media
    assert (image.url, image.caption) == ("https://gdb.voanews.com/a.jpg", "资料照片：沙欣3型导弹")
    assert a.text.count("沙欣3型导弹") == 1 and a.text.endswith("巴基斯坦星期三说。")


def test_a_caption_outside_its_figure_is_not_repeated():
    html = ("<div><div class='figure-media'><img src='https://img.example/b.jpg' title='拜登宣誓就任。 （路透社）'>"
            "</div><figcaption>拜登宣誓就任。 （路透社）</figcaption><p>正文。</p></div>")
    [a] = parse_text(feed(html))
    assert a.text.count("拜登宣誓就任") == 1 and a.media[0].caption == "拜登宣誓就任。 （路透社）"


def test_a_printed_date_alone_is_a_date_not_midnight():
    html = "<time datetime='2020-12-18'>2020年12月18日</time><p>正文。</p>"
    [a] = parse_text(feed(html, url="http://www.bbc.com/zhongwen/simp/world-1"))
    assert isinstance(a.published, DateOnly) and a.published.calendar_day == date(2020, 12, 18)
    captured = feed(html.replace("2020-12-18", "2021-01-20"), url="http://www.bbc.com/zhongwen/simp/world-1")
    [b] = parse_text(captured.replace("1611100000000", "1611102400000"))
    assert b.published == datetime(2021, 1, 20, 0, 26, 40, tzinfo=UTC)  # the capture time, on that day


def test_the_wordpress_feed_footer_and_a_repeated_byline():
    html = ("<div><i>MAGGIE HABERMAN,MAGGIE HABERMAN<br>2021-01-20 15:50:33</i></div><p>华盛顿——梅拉尼娅。</p>"
            "<p>The post <a rel='nofollow' href='https://chinadigitaltimes.net/chinese/2021/01/x/'>汪有｜是人的底线</a>"
            " appeared first on <a rel='nofollow' href='https://chinadigitaltimes.net/chinese'>中国数字时代</a>.</p>")
    [a] = parse_text(feed(html, url="https://cn.nytimes.com/usa/20210120/melania-trump-legacy/"))
    assert a.text == "华盛顿——梅拉尼娅。"
    assert a.author == "MAGGIE HABERMAN"
    assert a.published == datetime(2021, 1, 20, 7, 50, 33, tzinfo=UTC)  # Beijing time, as NYT Chinese prints it


def test_hidden_labels_and_doubled_hosts():
    html = ("<h2 class='element-invisible'><a href='/file/1010'>shen_cha.jpg</a></h2>"
            "<span class='sr-only'>跳到正文</span><div style='display: none'>隐藏</div>"
            "<p>Listen on: <a href='https://www.economist.comhttps://open.spotify.com/show/12'>Spotify</a></p>")
    [a] = parse_text(feed(html, url="https://www.economist.com/podcasts/x"))
    assert a.text == "Listen on: Spotify"
    assert [link.url for link in a.links] == ["https://open.spotify.com/show/12"]


def test_the_headline_repeated_as_a_paragraph_and_an_author_box_are_page_chrome():
    html = ('<div class="main" data-v-7f77c10f=""><p class="title">新晋诺奖得主露易丝·格丽克</p>'
            '<div class="author-wrap"><a class="single-name" href="/user/1">钟昱赟</a><div class="time">10-9</div></div>'
            "<p>格丽克的诗歌嫁接了经典文化与私人意识。</p></div>")
    [a] = parse_text(feed(html, url="https://m.allnow.com/post/5f7f", title="新晋诺奖得主露易丝·格丽克"))
    assert a.text == "格丽克的诗歌嫁接了经典文化与私人意识。"


# -- the words a rule on a block's text needs are first looked for in the whole page's text ------
# (boilerplate._Said, htmlclean._may_hold): each way the whole can hide them is tried here.

@pytest.mark.parametrize("said", [
    "Submitted\n  by 管理员",  # whitespace that cleaning folds
    "Sub\x01mitted by 管理员",  # a control character that cleaning removes joins the word
    "POSTED BY 管理员",  # the rule ignores case
    "分享：",
    "Share:",
])
def test_a_block_that_says_it_is_furniture_is_dropped_however_it_is_written(said: str):
    [a] = parse_text(feed(f"<p>第一段正文。</p><div>{said}</div><p>第二段正文。</p>", url="https://example.com/a/1"))
    assert a.text == "第一段正文。\n\n第二段正文。"


def test_every_furniture_block_goes_when_the_first_one_held_the_only_words_of_its_kind():
    html = "<div>分享</div><p>第一段正文。</p><div>Posted by 管理员</div><p>第二段。</p><div>RSS 不是这里</div>"
    [a] = parse_text(feed(html, url="https://example.com/a/1"))
    assert a.text == "第一段正文。\n\n第二段。\n\nRSS 不是这里"


@pytest.mark.parametrize("heading, title", [
    ("<h1>北京 大雪</h1>", "北京 大雪"), ("<h2>Snow\n\n in  Beijing</h2>", "Snow in Beijing"),
    ("<p>北京\x02大雪</p>", "北京大雪"), ("<h2><span>北京</span> <b>大雪</b></h2>", "北京 大雪"),
])
def test_the_headline_repeated_is_found_however_its_text_is_split(heading: str, title: str):
    [a] = parse_text(feed(f"{heading}<p>北京今天下了大雪。</p>", url="https://example.com/a/2", title=title))
    assert a.text == "北京今天下了大雪。"


def test_a_page_without_the_headline_s_words_keeps_every_paragraph():
    [a] = parse_text(feed("<h2>北京</h2><p>大雪。</p>", url="https://example.com/a/3", title="北京 大雪"))
    assert a.text == "北京\n\n大雪。"
