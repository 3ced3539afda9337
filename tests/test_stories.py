"""Stories, editions, related stories and coverage (issue 12), on small archives made here."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import opencc
import pytest
from conftest import SEEDS, run_cli, write_post

from newsreader.store.library import Library
from newsreader.stories import cluster, compute, coverage, editions, features, resume, tables

TYPHOON = [
    "台风“海鸥”今天凌晨在广东湛江沿海登陆，登陆时中心附近最大风力十四级，当地已转移安置群众三万余人。",
    "广东省气象台表示，受台风影响，粤西地区未来两天将有大暴雨，局部特大暴雨，请市民减少外出。",
    "湛江市政府宣布全市停工停课，机场取消全部航班，高铁部分班次停运，多处道路因积水封闭。",
    "应急管理部已派出工作组赶赴灾区，指导抢险救灾工作，目前尚无人员伤亡报告。",
]
EARTHQUAKE = [
    "日本气象厅说，北海道东部海域今天上午发生里氏六点八级地震，震源深度约五十公里，暂无海啸风险。",
    "根室市和钏路市有明显震感，部分地区停电，新干线和地方铁路一度暂停运行进行安全检查。",
    "日本政府已在首相官邸设立情报联络室，收集灾情信息，目前有三人轻伤送医。",
]


def paragraphs(lines: list[str]) -> str:
    return "</p><p>".join(lines)


def convert(config: str, text: str) -> str:
    return opencc.OpenCC(config).convert(text)


def library_for(folder: Path) -> Library:
    library = Library(warn=lambda m: None)
    library.index([str(folder)])
    return library


def ids_by_title(library: Library) -> dict[str, str]:
    return {title: id_ for id_, title in library.db.execute("SELECT id, title FROM articles")}


# -- stories -------------------------------------------------------------------------------------


def typhoon_archive(folder: Path) -> None:
    """Three outlets report a typhoon, in both scripts; another event the same day; one more outlet
    on the next day."""
    write_post(folder, "https://www.rfi.fr/cn/中国/20230901-台风海鸥登陆湛江", "台风海鸥在广东湛江登陆 三万人转移",
               "2023-09-01T02:10:00Z", paragraphs(TYPHOON))
    write_post(folder, "https://www.cna.com.tw/news/acn/202309010001.aspx", "颱風海鷗登陸廣東湛江 停工停課航班取消",
               "2023-09-01T03:00:00Z", paragraphs([convert("s2twp", TYPHOON[0]), convert("s2twp", TYPHOON[2]),
                                                   convert("s2twp", TYPHOON[1])]))
    write_post(folder, "https://www.zaobao.com/realtime/china/story20230901-1", "台风海鸥登陆湛江 粤西将有特大暴雨",
               "2023-09-01T04:30:00Z", paragraphs([TYPHOON[1], TYPHOON[0], TYPHOON[3]]))
    write_post(folder, "https://www.zaobao.com/realtime/world/story20230901-2", "北海道东部海域发生6.8级地震",
               "2023-09-01T05:00:00Z", paragraphs(EARTHQUAKE))
    write_post(folder, "https://www.dw.com/zh/日本北海道地震/a-1", "日本北海道外海6.8级强震 三人轻伤",
               "2023-09-01T06:00:00Z", paragraphs([EARTHQUAKE[0], EARTHQUAKE[2]]))


def test_one_event_across_outlets_and_scripts_is_one_story(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    library = library_for(tmp_path / "a")
    titles = ids_by_title(library)
    typhoon = {library.story_of(titles[t]) for t in titles if "海鸥" in t or "海鷗" in t}
    quake = {library.story_of(titles[t]) for t in titles if "地震" in t or "强震" in t}
    assert len(typhoon) == 1 and None not in typhoon
    assert len(quake) == 1 and None not in quake
    assert typhoon != quake
    found = library.stories()
    assert {len(s.members) for s in found} == {3, 2}
    story_id = typhoon.pop()
    assert story_id == titles["台风海鸥在广东湛江登陆 三万人转移"]  # the id of its earliest article


def test_stories_and_story_json_follow_the_contract(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    assert run_cli("index", str(tmp_path / "a")).returncode == 0
    listed = json.loads(run_cli("stories", "--json").stdout)
    assert [set(s) for s in listed] == [{"id", "title", "first", "last", "articles", "outlets", "members"}] * 2
    assert listed[0]["last"] >= listed[1]["last"]  # newest first
    typhoon = next(s for s in listed if s["articles"] == 3)
    assert set(typhoon["outlets"]) == {"rfi", "cna", "zaobao"}
    assert typhoon["first"] == "2023-09-01T02:10:00Z" and typhoon["last"] == "2023-09-01T04:30:00Z"
    assert run_cli("stories", "--json", "--min-outlets", "4").stdout.strip() == "[]"
    assert run_cli("stories", "--json", "--outlet", "dw").stdout.count('"id"') == 1
    # any member's id (or a prefix of it) finds the story
    shown = json.loads(run_cli("story", typhoon["members"][-1][:8], "--json").stdout)
    assert shown["id"] == typhoon["id"]
    assert [a["id"] for a in shown["articles"]] == typhoon["members"]  # oldest first
    assert {"id", "outlet", "outlet_name", "title", "published", "url", "read", "starred"} <= set(shown["articles"][0])
    assert all("members" not in r for r in shown["related"])
    items = json.loads(run_cli("list", "--json").stdout)
    assert all({"story", "editions"} <= set(i) for i in items)
    assert sum(i["story"] == typhoon["id"] for i in items) == 3
    text = run_cli("story", typhoon["id"], "--script", "t").stdout
    assert "颱風海鷗登陸廣東湛江" in text and "颱風海鷗在廣東湛江登陸" in text


def test_template_series_of_two_days_is_never_one_story(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    for day in range(1, 6):
        write_post(folder, f"https://cn.nytimes.com/briefing/2023090{day}/", f"简报：台风海鸥登陆湛江；北海道发生地震（9月{day}日）",
                   f"2023-09-0{day}T01:00:00Z", paragraphs(TYPHOON[:2] + EARTHQUAKE[:1]))
        write_post(folder, f"https://cn.reuters.com/article/cny-fix-{day}", f"路透测算的人民币中间价料开在6.47{day}元附近 较上日升{day}1点",
                   f"2023-09-0{day}T01:30:00Z", "路透北京9月{day}日 - 路透根据中国外汇交易中心数据测算，今日人民币兑美元中间价料开在附近。")
    library = library_for(folder)
    rows = library.db.execute("SELECT s.story, a.outlet, a.published FROM story_articles s "
                              "JOIN articles a ON a.rowid = s.rowid").fetchall()
    days: dict[tuple[str, str], set[int]] = {}
    for story, outlet, published in rows:
        if story:
            days.setdefault((story, outlet), set()).add(published // 86400)
    assert all(len(d) == 1 for d in days.values()), days


def test_no_story_spans_more_than_its_cap_or_holds_too_many(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a"
    outlets = ["www.rfi.fr/cn", "www.cna.com.tw/news", "www.zaobao.com/realtime", "www.dw.com/zh", "www.voachinese.com/a"]
    for day in range(1, 11):
        for n, host in enumerate(outlets):
            write_post(folder, f"https://{host}/typhoon-{day}-{n}", f"台风海鸥登陆湛江 三万人转移 第{day}天",
                       f"2023-09-{day:02d}T0{n}:00:00Z", paragraphs(TYPHOON))
    monkeypatch.setattr(cluster, "MAX_ARTICLES", 12)
    library = library_for(folder)
    for story in library.stories(min_outlets=1):
        assert story.last - story.first <= cluster.SPAN
        assert story.articles <= 12


def test_english_function_words_are_no_features() -> None:
    # every English lead has them: two English articles on unrelated events must not look alike
    assert features.tokens("the fall of the wall and the end of an era") == ["fall", "wall", "end", "era"]
    travel = features.tokens("what is being done to tackle the shortage of nurses in the north")
    stocks = features.tokens("what to make of the earnings of the banks in the last quarter")
    assert not set(travel) & set(stocks)


def _typhoon_doc(rowid: int, outlet: str, title: str, lines: list[str]) -> features.Doc:
    return features.make_doc(rowid, f"id{rowid}", outlet, 1693530000 + rowid * 600, title, "".join(lines))


def test_one_outlets_articles_alone_need_more_likeness(monkeypatch: pytest.MonkeyPatch) -> None:
    # an outlet's own articles share its house style and phrasing: two of them alone join only at
    # ONE_OUTLET; the same two articles by two outlets join at the ordinary bar
    def grouped(outlet_b: str) -> list[int]:
        docs = [_typhoon_doc(1, "rfi", "台风海鸥登陆湛江 三万人转移", TYPHOON[:3]),
                _typhoon_doc(2, outlet_b, "台风海鸥登陆 粤西将有特大暴雨", [TYPHOON[1], TYPHOON[0], TYPHOON[3]])]
        return sorted(len(g) for g in cluster.group_all(docs))

    assert grouped("rfi") == [2] and grouped("cna") == [2]  # alike enough either way
    monkeypatch.setattr(cluster, "ONE_OUTLET", 1.01)
    assert grouped("rfi") == [1, 1]
    assert grouped("cna") == [2]


def test_one_setting_with_different_headlines_is_not_one_story() -> None:
    # two events from one press conference: leads alike in their setting, headlines naming
    # different things; a third outlet's report of the first event joins it
    setting = "中国外交部发言人今天在例行记者会上回答记者提问时表示，"
    docs = [
        _typhoon_doc(1, "zaobao", "外交部谈台风救灾 感谢各国支援", [setting + TYPHOON[0], TYPHOON[3]]),
        _typhoon_doc(2, "cna", "北京就北海道強震致慰問", [setting + EARTHQUAKE[0], EARTHQUAKE[2]]),
        _typhoon_doc(3, "rfi", "台风救灾 中国外交部感谢支援", [setting + TYPHOON[0], TYPHOON[3]]),
    ]
    groups = sorted(sorted(d.rowid for d in g) for g in cluster.group_all(docs))
    assert groups == [[1, 3], [2]]
    assert features.cosine(docs[0].vector, docs[1].vector) >= cluster.PAIR  # the leads alone would join


def test_a_bigram_straddling_two_words_is_no_feature() -> None:
    # 典礼 holds together (wherever 礼 is, 典礼 is); 礼与 of "典礼与以往不同" is in few of the docs that
    # hold 礼 or 与: weighed, it is left out, while the docs' words stay
    ceremony = [features.make_doc(i, f"c{i}", "dw", 1693530000 + i, f"就职典礼第{i}天", "就职典礼在华盛顿举行，宾客与家人出席。")
                for i in range(1, 25)]
    odd = [features.make_doc(30 + i, f"odd{i}", outlet, 1693530100 + i, "拜登的就职典礼与以往截然不同", "典礼与以往不同。")
           for i, outlet in enumerate(["voa", "rfi"])]
    docs = [*ceremony, *odd]
    df = features.document_frequency(docs)
    cdf: Counter[str] = Counter()
    for doc in docs:
        cdf.update(features.doc_characters(doc))
    assert features.wordlike("典礼", df, cdf) and features.wordlike("礼", df, cdf)
    assert features.wordlike("以往", df, cdf)  # as rare as its characters: it holds together
    assert features.wordlike("biden", df, cdf)  # only Han bigrams are judged
    assert not features.wordlike("礼与", df, cdf)  # 2 of the 26 docs holding 礼
    kept = features.weigh(odd[0], df, len(docs))
    filtered = features.weigh(odd[0], df, len(docs), cdf=cdf)
    assert "礼与" in kept and "礼与" not in filtered
    assert {"典礼", "以往", "截然"} <= filtered.keys()


def test_the_windows_character_counts_follow_it_as_it_moves() -> None:
    # the grouper keeps character document frequency over its window as it keeps df: docs leaving
    # the window are taken out, so a long archive weighs a day against its own neighbours
    grouper = cluster.Grouper()
    first = [_typhoon_doc(i, "rfi", "台风海鸥登陆湛江", TYPHOON[:2]) for i in range(1, 4)]
    later = [features.make_doc(10 + i, f"l{i}", "dw", first[0].published + 5 * cluster.DAY + i, "北海道发生强震",
                               "".join(EARTHQUAKE)) for i in range(2)]
    grouper.add(first)
    assert grouper.cdf["台"] == 3
    grouper.add(later)
    expected: Counter[str] = Counter()
    for doc in grouper.window:
        expected.update(features.doc_characters(doc))
    assert grouper.window == later and grouper.cdf == expected and "台" not in grouper.cdf


def test_a_column_name_heading_a_title_is_no_feature() -> None:
    # two articles of one column ("【一线采访】") are no closer for its name; a speaker ("X：") is the event
    assert features.strip_title("【一线采访】黑龙江16人被问责 多村全清空") == "黑龙江16人被问责 多村全清空"
    assert features.strip_title("[外交杂闻]啊人家就说要低调了") == "啊人家就说要低调了"
    assert features.strip_title("早安世界》拜登疫情中就职 誓言团结") == "拜登疫情中就职 誓言团结"
    assert features.strip_title("德国之声｜美国准内阁出席任命听证会") == "美国准内阁出席任命听证会"
    assert features.strip_title("布林肯：特朗普对华强硬正确") == "布林肯：特朗普对华强硬正确"
    assert features.strip_title("【图集】") == "【图集】"  # nothing left: kept whole
    one = features.make_doc(1, "a", "epochtimes", 0, "【一线采访】台风海鸥登陆湛江", "")
    other = features.make_doc(2, "b", "epochtimes", 0, "【一线采访】北海道发生强震", "")
    assert not set(one.title_tokens) & set(other.title_tokens)


def test_a_digest_of_several_items_is_in_no_story() -> None:
    # "简报：A；B" reports no one event: it never joins the story of A, though its text is A's;
    # a digest of one item (早安世界》…) stays a report of that event
    report = _typhoon_doc(1, "rfi", "台风海鸥登陆湛江 三万人转移", TYPHOON[:3])
    roundup = _typhoon_doc(2, "nytimes", "简报：台风海鸥登陆湛江；北海道发生强震", TYPHOON[:3] + EARTHQUAKE[:1])
    single = _typhoon_doc(3, "cna", "早安世界》台风海鸥登陆湛江 三万人转移", TYPHOON[:3])
    assert cluster.ROUNDUP in cluster.series_keys(roundup.title)
    assert cluster.ROUNDUP not in cluster.series_keys(single.title)
    groups = sorted(sorted(d.rowid for d in g) for g in cluster.group_all([report, roundup, single]))
    assert groups == [[1, 3], [2]]


def test_each_refused_join_names_its_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    # Grouper.refusal says which rule keeps two groups apart (the error analysis counts lost pairs
    # by it): the same pair of reports is refused by each rule in turn, and joins when none applies
    grouper = cluster.Grouper()
    a = _typhoon_doc(1, "rfi", "台风海鸥登陆湛江 三万人转移", TYPHOON[:3])
    b = _typhoon_doc(2, "cna", "台风海鸥登陆 粤西将有特大暴雨", [TYPHOON[1], TYPHOON[0], TYPHOON[3]])
    grouper.add([a, b])
    assert grouper.group_of[a.rowid] is grouper.group_of[b.rowid]
    one, other = cluster.Group.of(a, frozenset()), cluster.Group.of(b, frozenset())
    assert grouper.refusal(a, b, one, other) is None
    far = cluster.Group.of(b, frozenset())
    far.last = a.published + cluster.SPAN + 1
    assert grouper.refusal(a, b, one, far) == "span"
    monkeypatch.setattr(cluster, "MAX_ARTICLES", 1)
    assert grouper.refusal(a, b, one, other) == "size"
    monkeypatch.setattr(cluster, "MAX_ARTICLES", 150)
    monkeypatch.setattr(cluster, "CENTROID", 1.01)
    assert grouper.refusal(a, b, one, other) == "centroid"
    same = cluster.Group.of(_typhoon_doc(3, "rfi", "台风海鸥登陆 粤西将有特大暴雨", TYPHOON[:3]), frozenset())
    monkeypatch.setattr(cluster, "ONE_OUTLET", 1.01)
    assert grouper.refusal(a, b, one, same) == "one-outlet"
    grouper.keys[a.rowid] = frozenset({cluster.ROUNDUP})
    assert grouper.refusal(a, b, one, other) == "digest"


# -- editions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk", "s2twp"])
def test_an_outlets_two_scripts_are_one_entry(tmp_path: Path, config: str) -> None:
    folder = tmp_path / "a"
    title = "台风海鸥在广东湛江登陆 软件与信息系统受影响"
    body = TYPHOON + ["当地网络运营商说，部分地区的移动网络和计算机信息系统一度中断，正在抢修。"]
    write_post(folder, "https://www.rfi.fr/cn/中国/20230901-台风", title, "2023-09-01T02:10:00Z", paragraphs(body))
    write_post(folder, "https://www.rfi.fr/tw/中國/20230901-颱風", convert(config, title), "2023-09-01T02:12:00Z",
               paragraphs([convert(config, p) for p in body]))
    # a wire copy by another outlet: the same text, never an edition
    write_post(folder, "https://www.zaobao.com/realtime/china/story20230901-1", title, "2023-09-01T03:00:00Z",
               paragraphs(body))
    library = library_for(folder)
    listed = library.listings()
    assert len(listed) == 2  # the RFI editions are one entry
    notes = library.annotations([item.id for item in listed])
    rfi = next(i for i in listed if i.outlet == "rfi")
    assert rfi.title == title  # the first one indexed, in its own script
    assert [e["script"] for e in notes[rfi.id]["editions"]] == ["traditional"]
    hidden = notes[rfi.id]["editions"][0]["id"]
    assert library.article(hidden).listing.url.startswith("https://www.rfi.fr/tw/")  # still reachable by id
    zaobao = next(i for i in listed if i.outlet == "zaobao")
    assert notes[zaobao.id]["editions"] == []
    story, members, _ = library.story(rfi.id)
    assert [m.listing.outlet for m in members] == ["rfi", "zaobao"]
    assert all(m.same_text for m in members)  # marked as the same text
    assert library.story_of(hidden) == story.id
    assert [h.listing.outlet for h in library.search("湛江")] == ["zaobao", "rfi"]


def test_dw_editions_by_content_and_not_across_days(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    write_post(folder, "https://www.dw.com/zh/北海道地震/a-100", "日本北海道外海6.8级强震 三人轻伤",
               "2023-09-01T06:00:00Z", paragraphs(EARTHQUAKE))
    write_post(folder, "https://www.dw.com/zh-hant/北海道地震/a-101", convert("s2tw", "日本北海道外海6.8级强震 三人轻伤"),
               "2023-09-01T06:05:00Z", paragraphs([convert("s2tw", p) for p in EARTHQUAKE]))
    # the same template on another day, in the other script: not an edition
    write_post(folder, "https://www.dw.com/zh-hant/北海道地震/a-102", convert("s2tw", "日本北海道外海6.8级强震 三人轻伤"),
               "2023-09-05T06:05:00Z", paragraphs([convert("s2tw", p) for p in EARTHQUAKE[1:]] + ["另一天的消息。"]))
    library = library_for(folder)
    assert len(library.listings()) == 2
    assert editions.is_edition("dw", "simplified", "", 0, "今天天气很好，我们去公园散步吧，然后吃饭",
                               "dw", "simplified", "", 0, "今天天气很好，我们去公园散步吧，然后吃饭") is False


def test_editions_fold_taiwan_vocabulary() -> None:
    text = "当地网络运营商说，部分地区的移动网络和计算机信息系统一度中断，软件正在升级。" * 2
    twp = convert("s2twp", text)
    assert twp != convert("s2t", text)  # the vocabulary changed, not only the characters
    assert editions.overlap(editions.bigrams(text), editions.bigrams(twp)) >= editions.SAME


# -- related stories on the seeds -------------------------------------------------------------------


def test_seeds_san_francisco_meeting_related_and_peru_apart(tmp_path: Path) -> None:
    library = library_for(SEEDS)
    rows = library.db.execute("SELECT id, published FROM articles ORDER BY published").fetchall()
    peru = rows[-1][0]
    meeting = [r[0] for r in rows[:-1]]
    assert len(meeting) == 4
    peru_story = library.story_of(peru) or peru
    for article_id in meeting:
        story, _, related = library.story(article_id)
        assert peru not in story.members and story.id != peru_story
        others = {library.story_of(o) or o for o in meeting} - {story.id}
        linked = {r.id for r in related}
        assert others <= linked, (article_id, others - linked)
        assert len(related) <= 5


# -- the tables: versions, recompute, incremental --------------------------------------------------


def test_a_new_algorithm_version_recomputes_without_reparsing(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    library = library_for(tmp_path / "a")
    before = {r[0]: r[1] for r in library.db.execute("SELECT id, story FROM story_articles")}
    member = next(i for i, s in before.items() if s and s != i)
    library.db.execute("UPDATE meta SET value = 'stories-0' WHERE key = 'stories'")
    library.db.execute("DELETE FROM stories")
    library.db.execute("UPDATE story_articles SET story = NULL")
    assert not tables.current(library.db)
    assert library.ensure_indexed() is None  # nothing to index: no file parsed again
    assert tables.current(library.db)
    after = {r[0]: r[1] for r in library.db.execute("SELECT id, story FROM story_articles")}
    assert after == before
    assert library.story(member)[0].id == before[member]  # a kept id still finds its story


def test_a_new_day_joins_the_stories_already_there(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    typhoon_archive(folder)
    library = library_for(folder)
    first = library.story_of(ids_by_title(library)["台风海鸥在广东湛江登陆 三万人转移"])
    write_post(folder, "https://www.voachinese.com/a/typhoon-2023/1.html", "台风海鸥登陆湛江后减弱 应急部派工作组",
               "2023-09-02T01:00:00Z", paragraphs([TYPHOON[3], TYPHOON[0]]))
    library.index()
    late = ids_by_title(library)["台风海鸥登陆湛江后减弱 应急部派工作组"]
    assert library.story_of(late) == first
    assert library.stories()[0].articles == 4


def _tables(library: Library) -> tuple:
    db = library.db
    return (sorted(db.execute("SELECT rowid, id, story, edition_of FROM story_articles")),
            sorted(db.execute("SELECT * FROM stories")),
            sorted(db.execute("SELECT * FROM story_related")),
            _coverage_rows(library))


def _coverage_rows(library: Library) -> list[tuple[int, str, int]]:
    """The coverage map as (rowid, outlet, published) of each entry (codes are the map's own)."""
    found = coverage.load_map(library.db)
    assert found is not None
    return [(r, found.outlets[c], p) for r, c, p in zip(found.rowids, found.codes, found.published, strict=True)]


def test_updates_day_by_day_leave_what_a_recompute_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new day (resumed from where the last run stopped) and a removed article (regrouped
    around it), each applied by an update that reads only the rows the triggers noted, leave the
    tables (stories, editions, links, coverage map) as a full recompute makes them."""
    folder = tmp_path / "a"
    typhoon_archive(folder)
    library = library_for(folder)
    assert library.db.execute("SELECT count(*) FROM story_pending").fetchone()[0] == 0
    resumed: list[bool] = []
    run = compute._run
    monkeypatch.setattr(compute, "_run", lambda *a, **k: (o := run(*a, **k), resumed.append(o.resumed))[0])
    write_post(folder, "https://www.voachinese.com/a/typhoon-2023/1.html", "台风海鸥登陆湛江后减弱 应急部派工作组",
               "2023-09-02T01:00:00Z", paragraphs([TYPHOON[3], TYPHOON[0]]))
    write_post(folder, "https://www.rfi.fr/tw/中國/20230902-北海道地震", "北海道地震後 日本政府設立情報聯絡室",
               "2023-09-02T02:00:00Z", paragraphs([convert("s2twp", line) for line in EARTHQUAKE]))
    write_post(folder, "https://www.rfi.fr/cn/中国/20230902-北海道地震", "北海道地震后 日本政府设立情报联络室",
               "2023-09-02T02:05:00Z", paragraphs(EARTHQUAKE))
    library.index()
    assert resumed == [True]  # the new day went on from the kept state: no context rebuilt
    assert library.db.execute("SELECT count(*) FROM story_pending").fetchone()[0] == 0
    assert library.db.execute("SELECT count(*) FROM story_articles WHERE edition_of IS NOT NULL").fetchone()[0] == 1
    stepped = _tables(library)
    compute.recompute(library.db)
    assert _tables(library) == stepped
    # an article gone (DW's, whose story of two then falls apart): its rows leave the story, the
    # map and the links, and the story's row goes
    gone_id, source = library.db.execute("SELECT id, source FROM articles WHERE outlet = 'dw'").fetchone()
    quake = library.story_of(gone_id)
    assert quake is not None
    Path(source).unlink()
    runs = len(resumed)
    library.index()
    assert resumed[runs:] == [False]  # a removal regroups around it
    assert library.story_of(gone_id) is None
    assert library.db.execute("SELECT count(*) FROM stories WHERE id = ?", (quake,)).fetchone()[0] == 0
    stepped = _tables(library)
    compute.recompute(library.db)
    assert _tables(library) == stepped


def test_a_kept_state_that_is_not_a_groupers_is_never_run(tmp_path: Path) -> None:
    """The resume state is unpickled with only the grouper's classes allowed: a cache whose state
    would call anything else is not run, and the update rebuilds its context instead."""
    import pickle

    folder = tmp_path / "a"
    typhoon_archive(folder)
    library = library_for(folder)
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self) -> tuple:
            return (os.system, (f"touch {marker}",))

    library.db.execute("UPDATE story_resume SET data = ?", (pickle.dumps((Hostile(), {})),))
    assert resume.load(library.db, compute._version()) is None
    write_post(folder, "https://www.voachinese.com/a/typhoon-2023/1.html", "台风海鸥登陆湛江后减弱 应急部派工作组",
               "2023-09-02T01:00:00Z", paragraphs([TYPHOON[3], TYPHOON[0]]))
    library.index()
    assert not marker.exists()
    assert library.story_of(ids_by_title(library)["台风海鸥登陆湛江后减弱 应急部派工作组"]) is not None


def test_the_kept_state_is_compressed_and_a_plain_or_bad_one_is_read_or_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state is one zstd frame (a third of the pickle); one kept before compression (a
    plain pickle) still resumes; a frame claiming a giant size or holding a hostile pickle is
    refused without being inflated or run."""
    import pickle

    import zstandard

    folder = tmp_path / "a"
    typhoon_archive(folder)
    library = library_for(folder)
    version = compute._version()
    kept = library.db.execute("SELECT data FROM story_resume").fetchone()[0]
    plain = resume._unpacked(kept)
    assert kept.startswith(resume._ZSTD_MAGIC) and len(kept) < len(plain) / 2
    state = resume.load(library.db, version)
    assert state is not None
    library.db.execute("UPDATE story_resume SET data = ?", (plain,))
    again = resume.load(library.db, version)
    assert again is not None and [d.rowid for d in again.grouper.window] == [d.rowid for d in state.grouper.window]
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self) -> tuple:
            return (os.system, (f"touch {marker}",))

    library.db.execute("UPDATE story_resume SET data = ?",
                       (zstandard.ZstdCompressor().compress(pickle.dumps((Hostile(), {}))),))
    assert resume.load(library.db, version) is None and not marker.exists()
    library.db.execute("UPDATE story_resume SET data = ?", (kept,))
    monkeypatch.setattr(resume, "_MAX_STATE", len(plain) - 1)  # the frame says its size: not inflated
    assert resume.load(library.db, version) is None


def test_tables_from_before_the_triggers_are_recomputed(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    library = library_for(tmp_path / "a")
    library.db.execute("DROP TRIGGER story_pending_insert")
    assert not tables.current(library.db)  # an update would miss what is indexed next
    library.ensure_stories()
    assert tables.current(library.db)


# -- coverage ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "UTC"])
def test_coverage_in_memory_counts_as_a_join_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    """The array counting (map lookup, local buckets, histogram) gives what counting each hit's
    row through SQL gives: for articles around local midnights, a DST change, a month's and a
    year's turn, an undated one, per day, week and month, for every outlet and for one."""
    import time as clock

    monkeypatch.setenv("TZ", zone)
    clock.tzset()
    folder = tmp_path / "a"
    moments = ["2023-11-04T03:59:59Z", "2023-11-04T04:00:00Z", "2023-11-05T04:30:00Z", "2023-11-05T05:00:00Z",
               "2023-11-05T06:10:00Z", "2023-11-30T18:29:59Z", "2023-11-30T18:30:00Z", "2023-12-31T23:59:59Z",
               "2024-01-01T00:00:00Z", "2024-01-01T05:00:00Z", "2024-02-29T12:00:00Z", None]
    hosts = ["www.rfi.fr/cn/a", "www.zaobao.com/realtime/b", "www.dw.com/zh/c"]
    for n, when in enumerate(moments):
        write_post(folder, f"https://{hosts[n % 3]}-{n}", f"台风海鸥过境第{n}报", when, paragraphs(TYPHOON[:2]))
    write_post(folder, "https://www.dw.com/zh/other-1", "北海道发生地震", "2023-11-05T05:00:00Z", paragraphs(EARTHQUAKE))
    library = library_for(folder)
    try:
        for by in coverage.BY:
            for outlet in (None, "dw", "nosuch"):
                for query in ("海鸥", "台风 OR 地震", "过境"):
                    counted = coverage.count(library.db, query, by=by, outlet=outlet)
                    joined = coverage.count_by_sql(library.db, query, by=by, outlet=outlet)
                    assert counted["outlets"] == joined["outlets"], (by, outlet, query)
                    assert counted["total"] == joined["total"]
        assert coverage.count(library.db, "海鸥")["total"] == len(moments) - 1  # the undated one is in no bucket
        with_numpy = [coverage.count(library.db, "海鸥", by=by) for by in coverage.BY]
        monkeypatch.setitem(sys.modules, "numpy", None)  # an install without numpy counts the same
        assert [coverage.count(library.db, "海鸥", by=by) for by in coverage.BY] == with_numpy
    finally:
        library.close()
        monkeypatch.delenv("TZ")
        clock.tzset()


def test_coverage_counts_per_outlet_and_bucket(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    write_post(tmp_path / "a", "https://www.rfi.fr/cn/中国/20230910-湛江", "湛江灾后重建 台风过后一周",
               "2023-09-10T23:30:00Z", paragraphs(TYPHOON[2:]))
    assert run_cli("index", str(tmp_path / "a")).returncode == 0
    data = json.loads(run_cli("coverage", "湛江", "--json").stdout)
    assert set(data) == {"query", "by", "total", "outlets"}
    assert data["by"] == "day" and data["total"] == 4
    assert data["outlets"]["rfi"] == {"2023-09-01": 1, "2023-09-10": 1}
    tokyo = json.loads(run_cli("coverage", "湛江", "--json", env={"TZ": "Asia/Tokyo"}).stdout)
    assert tokyo["outlets"]["rfi"] == {"2023-09-01": 1, "2023-09-11": 1}  # local days, TZ honoured
    weeks = json.loads(run_cli("coverage", "湛江", "--json", "--by", "week").stdout)
    assert weeks["outlets"]["rfi"] == {"2023-W35": 1, "2023-W36": 1}
    months = json.loads(run_cli("coverage", "湛江", "--by", "month", "--json").stdout)
    assert months["outlets"]["zaobao"] == {"2023-09": 1}
    piped = run_cli("coverage", "湛江").stdout.splitlines()
    assert piped[0] == "outlet\tbucket\tcount" and "rfi\t2023-09-10\t1" in piped
    assert run_cli("coverage", "没有这个词").returncode == 1


def test_coverage_chart_has_one_row_per_outlet() -> None:
    from newsreader.cli.story_commands import chart

    data = {"query": "x", "by": "day", "total": 4,
            "outlets": {"rfi": {"2023-09-01": 3, "2023-09-03": 1}, "cna": {"2023-09-02": 1}}}
    lines = chart(data, 80).splitlines()
    assert len(lines) == 3
    rfi_bar = lines[1][len("rfi  "):len("rfi  ") + 3]
    cna_bar = lines[2][len("rfi  "):len("rfi  ") + 3]
    assert rfi_bar[0] == "█" and rfi_bar[1] == " " and rfi_bar[2] != " "
    assert cna_bar[0] == " " and cna_bar[1] != " " and cna_bar[2] == " "
    assert not any("\x1b" in line for line in lines)


def test_story_tables_never_import_textual() -> None:
    import subprocess
    import sys

    code = ("import sys, newsreader.stories.compute, newsreader.stories.queries, newsreader.stories.coverage, "
            "newsreader.cli.story_commands; print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert out.stdout.strip() == "False"


def test_a_cache_without_story_tables_still_lists_searches_and_counts(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    library = library_for(tmp_path / "a")
    for table in tables.TABLES:
        library.db.execute(f"DROP TABLE {table}")  # as a read-only cache made before them would be
    assert not library.stories_ready
    assert len(library.listings()) == 5
    assert len(library.search("湛江")) == 3
    first = library.listings()[0].id
    assert library.annotations([first]) == {first: {"story": None, "editions": []}}
    assert library.stories() == [] and library.story_of(first) is None
    assert library.coverage("湛江")["total"] == 3


def test_a_text_republished_under_an_outlets_own_headline_and_introduction_is_the_same_text(tmp_path: Path) -> None:
    # CDT carries DW's article whole under "德国之声｜" and an introduction of its own; a third
    # outlet tells the same event in its own words: one story, only the first two marked as copies
    folder = tmp_path / "a"
    intro = ("编者按：台风过境广东，多家媒体持续关注灾情与救援进展。以下文章转载自德国之声中文网，"
             "内容仅代表原作者观点，本站转载以供读者参考比较不同媒体的报道角度。")
    write_post(folder, "https://www.dw.com/zh/台风海鸥/a-1", "台风海鸥登陆湛江 三万人转移",
               "2023-09-01T02:10:00Z", paragraphs(TYPHOON))
    write_post(folder, "https://chinadigitaltimes.net/chinese/2023/09/德国之声-台风", "德国之声｜台风海鸥登陆湛江 三万人转移",
               "2023-09-01T05:00:00Z", paragraphs([intro, *TYPHOON]))
    own_words = ["超强台风海鸥周五清晨登陆粤西，湛江沿海风力达到十四级，三万多名居民连夜撤离到安置点。",
                 "气象部门预计未来两天粤西还会出现特大暴雨，当局呼吁市民不要外出。",
                 "湛江停工停课，机场航班全部取消，部分高铁停运。"]
    write_post(folder, "https://www.zaobao.com/realtime/china/story20230901-1", "台风海鸥登陆湛江 粤西停工停课",
               "2023-09-01T04:30:00Z", paragraphs(own_words))
    library = library_for(folder)
    dw = next(i for i in library.listings() if i.outlet == "dw")
    found = library.story(dw.id)
    assert found is not None
    _, members, _ = found
    marks = {m.listing.outlet: m.same_text for m in members}
    assert marks == {"dw": True, "cdt": True, "zaobao": False}


def test_copies_need_an_opening_long_enough_to_tell() -> None:
    # a one-line brief whose few bigrams all appear in a long article is not its copy
    brief = "湛江停工停课。"
    assert editions.copies(["a", "b"], ["x", "y"], [brief, "".join(TYPHOON)]) == [False, False]
    assert editions.copies(["a", "a"], ["x", "y"], ["".join(TYPHOON)] * 2) == [False, False]  # one outlet
    assert editions.copies(["a", "b"], ["x", "y"], ["".join(TYPHOON)] * 2) == [True, True]


def test_market_reports_are_one_story_only_for_one_market_and_session() -> None:
    # one outlet's reports on several markets share their wording ("期待拜登经济振兴方案"); each
    # market and session is its own report, never one story; another outlet's report of the same
    # market and session may join it
    hope = "市场期待美国新总统拜登推出大规模经济振兴方案，投资人情绪乐观，科技股与能源股领涨，交易员说资金持续流入股市。"
    docs = [_typhoon_doc(1, "rfi", "期待拜登振兴经济方案 美股收涨", [hope, "道琼斯指数收涨一百点。"]),
            _typhoon_doc(2, "rfi", "期待拜登振兴经济方案 欧股收红", [hope, "伦敦股市收涨一百点。"]),
            _typhoon_doc(3, "rfi", "期待拜登振兴经济方案 日股开高", [hope, "日经指数开盘涨一百点。"]),
            _typhoon_doc(4, "cna", "期待拜登振興經濟方案 美股再創新高", [hope, "道琼斯指数收涨一百点。"])]
    groups = sorted(sorted(d.rowid for d in g) for g in cluster.group_all(docs))
    assert groups == [[1, 4], [2], [3]]
    assert cluster.series_keys("华尔街股市收红 日股开高") >= {"mk:美股收", "mk:日股开"}
    assert not any(k.startswith(cluster.MARKET) for k in cluster.series_keys("拜登宣誓就职 呼吁团结"))


def test_stored_profiles_parse_to_shared_features_and_weights() -> None:
    """A run reads thousands of stored profiles: equal bigrams are one string and equal weights one
    float (memory), with the values a plain parse gives; a malformed weight is skipped."""
    from newsreader.stories import related

    first = related.parse("拜登:0.612 就职:0.500 x:bad 典礼:0.612")
    second = related.parse("".join(["拜", "登"]) + ":0.612 " + "".join(["就", "职"]) + ":0.500")
    assert first == {"拜登": 0.612, "就职": 0.5, "典礼": 0.612}
    [a1, b1, _], [a2, b2] = list(first), list(second)
    assert a1 is a2 and b1 is b2
    assert first["拜登"] is second["拜登"] is first["典礼"]
