"""The app's story keys: c (the story side by side), e (the other edition), C (coverage of a search),
and "also covered by" under the headline."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from newsreader.config import Settings
from newsreader.model import View
from newsreader.store.library import Library
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.messages import ArticleChosen
from newsreader.tui.screens.coverage import CoverageScreen, OutletRow
from newsreader.tui.screens.story import StoryScreen
from tests.conftest import write_post
from tests.test_stories import EARTHQUAKE, TYPHOON, convert, ids_by_title, paragraphs, typhoon_archive
from tests.tui.test_app import SIZE, reader_text


def name(key: str) -> str:
    from newsreader import outlets

    return outlets.get(key).name(View.ORIGINAL)


def make(folder: Path) -> tuple[NewsReaderApp, Library]:
    library = Library()
    library.index([str(folder)])
    app = NewsReaderApp(library, Settings(), index_on_start=False)
    app.opener = lambda url, kind="link": "recorded"
    return app, library


async def test_also_covered_by_and_c_opens_the_story(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    app, library = make(tmp_path / "a")
    titles = ids_by_title(library)
    first = titles["台风海鸥在广东湛江登陆 三万人转移"]
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.main.open_id(first)
        await pilot.pause()
        text = reader_text(app)
        assert f"also covered by: {name('cna')} · {name('zaobao')}" in text
        assert text.index("also covered by") < text.index(name("rfi") + " · ")  # under the headline, above the byline
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StoryScreen)
        rows = screen.query_one("#story-articles", OptionList)
        assert rows.option_count == 3
        assert [str(rows.get_option_at_index(i).id) for i in range(3)] == screen.article_ids
        outlets = [library.listing(i).outlet for i in screen.article_ids]
        assert outlets == ["rfi", "cna", "zaobao"]  # oldest first
        assert "颱風海鷗登陸" in str(rows.get_option_at_index(1).prompt)  # each headline as written
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, StoryScreen)
        assert app.main.current.listing.id == screen.article_ids[1]
        assert f"also covered by: {name('rfi')} · {name('zaobao')}" in reader_text(app)
        await pilot.press("t", "t")  # original → simplified → traditional: the story follows the screen
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert "颱風海鷗在廣東湛江登陸" in str(app.screen.query_one("#story-articles", OptionList)
                                          .get_option_at_index(0).prompt)


async def test_e_switches_edition_with_a_badge(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    title = "北海道东部海域发生6.8级地震 三人轻伤"
    write_post(folder, "https://www.rfi.fr/cn/国际/20230901-地震", title, "2023-09-01T06:00:00Z",
               paragraphs(EARTHQUAKE))
    write_post(folder, "https://www.rfi.fr/tw/國際/20230901-地震", convert("s2twp", title), "2023-09-01T06:03:00Z",
               paragraphs([convert("s2twp", p) for p in EARTHQUAKE]))
    write_post(folder, "https://www.zaobao.com/realtime/china/story1", "台风海鸥登陆湛江", "2023-09-01T07:00:00Z",
               paragraphs(TYPHOON))
    app, library = make(folder)
    shown = next(i for i in library.listings() if i.outlet == "rfi")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.main.open_id(shown.id)
        await pilot.pause()
        assert "[简] e ⇄" in reader_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert app.main.current.listing.url.startswith("https://www.rfi.fr/tw/")
        assert "[繁] e ⇄" in reader_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert app.main.current.listing.id == shown.id
        app.main.open_id(next(i for i in library.listings() if i.outlet == "zaobao").id)
        await pilot.pause()
        assert "e ⇄" not in reader_text(app)  # no badge without another edition
        await pilot.press("e")
        await pilot.pause()
        assert any("no other edition" in n.message for n in app._notifications)


async def test_capital_c_shows_the_coverage_of_a_search(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    write_post(tmp_path / "a", "https://www.rfi.fr/cn/中国/20230910-湛江", "湛江灾后重建 台风过后一周",
               "2023-09-10T10:30:00Z", paragraphs(TYPHOON[2:]))
    app, _ = make(tmp_path / "a")
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("C")
        await pilot.pause()
        assert not isinstance(app.screen, CoverageScreen)  # nothing searched yet
        await pilot.press("slash")
        await pilot.press(*"湛江", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.main.query_one("#search-input").blur()
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CoverageScreen)
        rows = screen.rows
        listed = screen.query_one("#coverage-rows", OptionList)
        assert [listed.get_option_at_index(i) for i in range(listed.option_count)] == rows
        assert rows[0].key == "rfi" and {r.key for r in rows} == {"rfi", "cna", "zaobao"}
        rfi = rows[0]
        assert rfi.total == 2 and len(rfi.series) == len(screen.buckets) == 10  # day by day, gaps kept
        assert rfi.series[0] == 1 and rfi.series[-1] == 1 and sum(rfi.series[1:-1]) == 0
        assert isinstance(rows[0], OutletRow) and listed.highlighted == 0 and listed.has_focus
        drawn = "".join(segment.text for segment in listed.render_line(0)).strip()
        assert drawn.startswith(rfi.outlet_name[:4]) and "▁" in drawn and drawn.endswith(" 2")  # name, sparkline, total
        await pilot.press("enter")
        await pilot.pause()
        hits = screen.query_one("#coverage-hits", OptionList)
        assert hits.display and hits.option_count == 2
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CoverageScreen)
        assert app.main.current.listing.outlet == "rfi"


async def test_the_tree_has_a_stories_node_of_each_days_stories(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    app, library = make(tmp_path / "a")
    from newsreader.tui.widgets.outline import Outline
    from newsreader.tui.widgets.story_nodes import StoriesNode, StoryDayNode, StoryNode

    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.main.query_one(Outline)
        stories = tree.root.children[-1]
        assert isinstance(stories.data, StoriesNode) and stories.data.count == 2
        stories.expand()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        day = stories.children[0]
        assert isinstance(day.data, StoryDayNode) and str(day.data.day) == "2023-09-01"
        day.expand()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [len(c.data.story.outlets) for c in day.children] == [3, 2]  # most outlets first
        assert isinstance(day.children[0].data, StoryNode)
        typhoon = day.children[0]
        typhoon.expand()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        leaves = typhoon.children
        assert [leaf.data.outlet for leaf in leaves] == ["rfi", "cna", "zaobao"]
        tree.move_cursor(leaves[1])
        await pilot.pause()
        tree.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.current.listing.id == leaves[1].data.id
        assert library.story_of(leaves[1].data.id) == typhoon.data.story.id


async def test_the_tree_lists_an_outlets_editions_once(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    title = "北海道东部海域发生6.8级地震 三人轻伤"
    write_post(folder, "https://www.rfi.fr/cn/国际/20230901-地震", title, "2023-09-01T06:00:00Z",
               paragraphs(EARTHQUAKE))
    write_post(folder, "https://www.rfi.fr/tw/國際/20230901-地震", convert("s2tw", title), "2023-09-01T06:03:00Z",
               paragraphs([convert("s2tw", p) for p in EARTHQUAKE]))
    _, library = make(folder)
    from newsreader.store.outline import Scope

    assert library.count() == 2
    rows = library.scope_listings(Scope("rfi"))
    assert [r.url for r in rows] == ["https://www.rfi.fr/cn/国际/20230901-地震"]


def test_a_coverage_sparkline_fills_its_width_and_scales_to_the_row() -> None:
    from newsreader.tui.screens.coverage import BARS, spark

    line = spark([0, 1, 5, 10, 0, 0, 3], 14)  # fewer buckets than cells: each spans two
    assert line.plain == "▁▁▁▁▄▄██▁▁▁▁▃▃"
    assert [(s.start, s.end, s.style) for s in line.spans] == [(0, 2, "dim"), (2, 8, "green"), (8, 12, "dim"),
                                                               (12, 14, "green")]  # no article: a dim floor
    squeezed = spark(list(range(1, 101)), 10)  # more buckets than cells: each cell the largest it covers
    assert len(squeezed.plain) == 10 and squeezed.plain[-1] == BARS[-1]
    assert spark([], 10).plain == "" and spark([3], 0).plain == ""


async def open_story(app: NewsReaderApp, pilot, article_id: str) -> None:
    """Open an article once the app is ready, then its story (c)."""
    await app.workers.wait_for_complete()
    app.main.open_id(article_id)
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()


async def test_n_and_p_step_through_the_story_being_read(tmp_path: Path) -> None:
    # a person comparing outlets opens a story (c, or its node in the tree) and reads on with n
    typhoon_archive(tmp_path / "a")
    app, library = make(tmp_path / "a")
    first = ids_by_title(library)["台风海鸥在广东湛江登陆 三万人转移"]
    async with app.run_test(size=SIZE) as pilot:
        await open_story(app, pilot, first)
        members = list(app.screen.article_ids)
        assert len(members) == 3
        await pilot.press("enter")  # the oldest: RFI
        await pilot.pause()
        seen = [app.main.current.listing.id]
        for _ in range(2):
            await pilot.press("n")
            await pilot.pause()
            seen.append(app.main.current.listing.id)
        assert seen == members  # not the next article of RFI's list
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == members[-1]
        assert any("last article" in n.message for n in app._notifications)
        await pilot.press("p")
        await pilot.pause()
        assert app.main.current.listing.id == members[1]

        # from the tree: the story's node, one of its articles, then n
        from newsreader.tui.widgets import story_nodes
        from newsreader.tui.widgets.outline import Outline

        tree = app.main.query_one(Outline)

        async def expanded(node):
            node.expand()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return list(node.children)

        root = next(n for n in tree.root.children if isinstance(n.data, story_nodes.StoriesNode))
        [day] = await expanded(root)
        stories = await expanded(day)
        story = next(node for node in stories if node.data.story.id in members)
        leaves = await expanded(story)
        assert [leaf.data.id for leaf in leaves] == members
        tree.select_node(leaves[0])
        await pilot.pause()
        assert app.main.current.listing.id == members[0]
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == members[1]
        # an article chosen outside a story (here its outlet's list) steps in list order again
        order = tree.outlet_order or None
        pairs = [(m, library.neighbour(library.listing(m), +1, order, tree.show)) for m in members[:-1]]
        member, after = next((m, a) for m, a in pairs if a is not None and a.id != members[members.index(m) + 1])
        app.main.post_message(ArticleChosen(member))
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == after.id


async def test_t_in_the_story_switches_its_script_and_the_screens(tmp_path: Path) -> None:
    typhoon_archive(tmp_path / "a")
    app, library = make(tmp_path / "a")
    first = ids_by_title(library)["台风海鸥在广东湛江登陆 三万人转移"]
    async with app.run_test(size=SIZE) as pilot:
        await open_story(app, pilot, first)
        rows = app.screen.query_one("#story-articles", OptionList)
        await pilot.press("down")
        assert "台风海鸥在广东湛江登陆" in str(rows.get_option_at_index(0).prompt)
        await pilot.press("t", "t")  # original → simplified → traditional
        await pilot.pause()
        assert isinstance(app.screen, StoryScreen)
        assert "颱風海鷗在廣東湛江登陸" in str(rows.get_option_at_index(0).prompt)
        assert rows.highlighted == 1  # the row the reader was on
        assert app.main.view == View.TRADITIONAL  # the screen below follows
        await pilot.press("escape")
        await pilot.pause()
        assert "颱風海鷗" in reader_text(app)
