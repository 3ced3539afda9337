"""The reading workflow in the app, driven by its keys with Pilot: u, space at the end, r, A,
v, z, number keys and clicks on inline links; and s/r acting on what the window shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from newsreader import render
from newsreader.store.library import Library
from newsreader.store.outline import Counts, Scope, Show
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.widgets.outline import OutletNode, Outline, PeriodNode
from newsreader.tui.widgets.reader import ArticleView

from .test_app import Recorder

SIZE = (120, 36)


def make_app(folder: Path | None = None) -> tuple[NewsReaderApp, Recorder]:
    library = Library()
    if folder is not None:
        library.index([str(folder)])
    library.ensure_indexed()
    app = NewsReaderApp(library, index_on_start=False)
    recorder = Recorder()
    app.opener = recorder
    return app, recorder


async def settle(pilot) -> None:
    """Let workers finish and the messages they post be handled, round after round (a reveal
    opens outlet, year, month and day one load after another)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(20):
        if not any(worker.is_running for worker in pilot.app.workers):
            break
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def labels_of(nodes) -> list[str]:
    return [str(node.label) for node in nodes]


def outline(app: NewsReaderApp) -> Outline:
    return app.main.query_one(Outline)


def outlet_node(app: NewsReaderApp, key: str):
    return next(n for n in outline(app).root.children if isinstance(n.data, OutletNode) and n.data.outlet.key == key)


def header_counts(app: NewsReaderApp) -> str:
    return str(app.main.sub_title)


async def test_long_outlet_is_years_then_months_then_days(long_archive: Path):
    app, _ = make_app(long_archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dw = outlet_node(app, "dw")
        dw.expand()
        await settle(pilot)
        years = labels_of(dw.children)
        assert [label.split()[0] for label in years] == [str(y) for y in range(2024, 2015, -1)]
        assert years[0] == "2024  6 · 6 new"
        dw.children[0].expand()
        await settle(pilot)
        assert [label.split()[0] for label in labels_of(dw.children[0].children)] == [
            "2024-10", "2024-07", "2024-04", "2024-01"]
        rfi = outlet_node(app, "rfi")
        rfi.expand()
        await settle(pilot)
        assert [label.split()[0] for label in labels_of(rfi.children)] == ["2024-10", "2024-09", "2024-08", "undated"]


async def test_u_reads_every_unread_article_in_list_order_then_says_so(long_archive: Path):
    app, _ = make_app(long_archive)
    library = app.library
    order = [o.key for o in library.outlet_counts()]
    expected = [a.id for key in order for a in library.scope_listings(Scope(key))]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for _ in expected:
            await pilot.press("u")
            await settle(pilot)
            seen.append(app.main.current.listing.id)
        assert seen == expected
        assert library.counts().unread == 0
        # the tree's cursor followed, through years, months and days
        assert outline(app).cursor_node.data.id == expected[-1]
        await pilot.press("u")
        await settle(pilot)
        assert app.main.current.listing.id == expected[-1]
        assert any("No unread" in str(n.message) for n in app._notifications)


async def test_space_at_the_end_of_an_article_goes_on_to_the_next_unread():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        first = app.main.current.listing.id
        reader = app.main.query_one(ArticleView)
        reader.focus()
        for _ in range(60):  # page down until the end, then once more
            await pilot.press("space")
            await settle(pilot)
            if app.main.current.listing.id != first:
                break
        order = [a.id for a in app.library.listings(unread=False)]
        by_list = [a.id for key in outline(app).outlet_order for a in app.library.scope_listings(Scope(key))]
        assert first == by_list[0] and app.main.current.listing.id == by_list[1]
        assert len(order) == len(by_list)
        assert reader.scroll_y == 0  # the next article from its top


async def test_r_toggles_read_and_every_count_agrees():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        article = app.main.current.listing
        assert app.library.listing(article.id).read
        assert "4 new" in header_counts(app)
        await pilot.press("r")
        await settle(pilot)
        assert not app.library.listing(article.id).read
        assert "5 new" in header_counts(app)
        node = outline(app).find_article(article.id)
        assert str(node.label).startswith("●")
        assert str(outlet_node(app, article.outlet).label).endswith("1 new")
        await pilot.press("r")
        await settle(pilot)
        assert app.library.listing(article.id).read and "4 new" in header_counts(app)
        total = app.library.counts()
        assert f"{total.unread} new" in header_counts(app)
        assert sum(n.data.counts.unread for n in outline(app).root.children
                   if isinstance(n.data, OutletNode)) == total.unread


async def test_A_marks_everything_under_the_selected_node_read(long_archive: Path):
    app, _ = make_app(long_archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dw = outlet_node(app, "dw")
        dw.expand()
        await settle(pilot)
        year_2020 = next(n for n in dw.children if str(n.label).startswith("2020"))
        outline(app).move_cursor(year_2020)
        outline(app).focus()
        await pilot.press("A")
        await settle(pilot)
        assert app.library.counts(year_2020.data.scope).unread == 0
        assert str(year_2020.label) == "2020  4"
        assert str(dw.label).endswith(f"{38 - 4} new")
        assert f"{43 - 4} new" in header_counts(app)
        # a day, its articles loaded: their dots go
        year_2024 = dw.children[0]
        year_2024.expand()
        await settle(pilot)
        october = year_2024.children[0]
        october.expand()
        await settle(pilot)
        day = october.children[0]
        day.expand()
        await settle(pilot)
        outline(app).move_cursor(day.children[0])  # on an article: its day
        await pilot.press("A")
        await settle(pilot)
        assert all(not str(leaf.label).startswith("●") for leaf in day.children)
        assert app.library.counts(day.data.scope) == Counts(3, 0, 0)


async def test_v_cycles_all_unread_starred_and_starred_articles_are_found_again(long_archive: Path):
    app, _ = make_app(long_archive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        starred = []
        for _ in range(3):
            await pilot.press("u")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            starred.append(app.main.current.listing.id)
        assert app.library.counts().starred == 3
        app.library.mark_read(Scope("rfi"))
        await pilot.press("v")
        await settle(pilot)
        assert outline(app).show is Show.UNREAD and "view: unread" in header_counts(app)
        # RFI is all read: listed only for the article open in the reader, which keeps its place
        assert [n.data.outlet.key for n in outline(app).root.children] == ["rfi", "dw"]
        assert str(outlet_node(app, "rfi").label) == "RFI 法广  0 new"
        await pilot.press("v")
        await settle(pilot)
        assert outline(app).show is Show.STARRED
        keys = [n.data.outlet.key for n in outline(app).root.children]
        assert keys == ["rfi"]  # the three newest are RFI's
        found = []
        rfi = outlet_node(app, "rfi")
        stack = [rfi]
        while stack:  # open everything the starred view lists
            node = stack.pop()
            if isinstance(node.data, (OutletNode, PeriodNode)):
                node.expand()
                await settle(pilot)
                stack.extend(node.children)
            elif node.data is not None:
                found.append(node.data.id)
        assert sorted(found) == sorted(starred)
        await pilot.press("v")
        await settle(pilot)
        assert outline(app).show is Show.ALL


async def test_search_results_follow_the_view():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.main.query_one("#search-input", Input).value = "拜登"
        await pilot.press("enter")
        await settle(pilot)
        every = [h.listing.id for h in app.main.hits]
        assert len(every) >= 3
        app.library.set_starred(every[1], True)
        app.library.set_read(every[0], True)
        await pilot.press("v")  # unread only
        await settle(pilot)
        assert [h.listing.id for h in app.main.hits] == every[1:]
        await pilot.press("v")  # starred only
        await settle(pilot)
        assert [h.listing.id for h in app.main.hits] == [every[1]]
        await pilot.press("v")
        await settle(pilot)
        assert [h.listing.id for h in app.main.hits] == every


async def test_z_zooms_the_reader_to_full_width_and_back():
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        reader = app.main.query_one(ArticleView)
        narrow = reader.size.width
        await pilot.press("z")
        await pilot.pause()
        assert not app.main.query_one("#left").display or app.main.query_one("#left").size.width == 0
        assert reader.size.width >= 76 > narrow
        await pilot.press("z")
        await pilot.pause()
        assert reader.size.width == narrow and app.focused is outline(app)
        await pilot.press("z", "slash")  # search from the zoomed reader: the pane comes back
        await pilot.pause()
        assert not app.main.has_class("-zoomed") and app.focused is app.main.query_one("#search-input")


def dw_article(app: NewsReaderApp):
    return next(o for o in app.library.listings() if o.outlet == "dw")


async def test_number_keys_open_the_m_lists_entries_one_or_two_digits():
    app, recorder = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.open_id(dw_article(app).id)
        await settle(pilot)
        detail = app.main.current
        refs = render.references(detail.media, detail.links)
        assert len(refs) >= 12
        await pilot.press("5")
        await pilot.pause(1.2)  # 5 could be the start of 5x only if there were 50: opened at once
        await pilot.press("1", "2")
        await pilot.pause(1.2)
        await pilot.press("1")
        await pilot.pause(1.2)  # a lone 1 waits for a second digit, then opens 1
        assert recorder.opened == [(refs[4][1], refs[4][2]), (refs[11][1], refs[11][2]), (refs[0][1], refs[0][2])]


async def test_inline_links_show_their_number_and_a_click_opens_them():
    app, recorder = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.main.open_id(dw_article(app).id)
        await settle(pilot)
        detail = app.main.current
        numbers = render.link_numbers(detail.media, detail.links)
        reader = app.main.query_one(ArticleView)
        lines = [strip.text for strip in reader._lines]
        marked = [(y, line) for y, line in enumerate(lines) if any(f"[{n}]" in line for n in numbers.values())]
        assert marked, "no inline link carries its number"
        y, line = marked[0]
        number = next(n for n in sorted(numbers.values()) if f"[{n}]" in line)
        x = reader_cell(line, line.index(f"[{number}]"))
        await pilot.click(ArticleView, offset=(x + 2 + 1, y + 1 - int(reader.scroll_y)))
        await pilot.pause()
        url = next(u for u, n in numbers.items() if n == number)
        assert recorder.opened[-1][1] == url


def reader_cell(line: str, index: int) -> int:
    from newsreader import cjk

    return cjk.cell_len(line[:index])


@pytest.mark.hostile
async def test_s_and_r_set_what_the_window_asked_for_not_a_blind_flip():
    """Issue 10, 1: two windows show the same article; one stars it; the other, still
    showing it unstarred, presses s: the star stays (and the window now shows it)."""
    app, _ = make_app()
    other = Library()  # the second window's library, on the same state file
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        article = app.main.current.listing
        assert not article.starred
        other.set_starred(article.id, True)  # the other window stars it
        await pilot.press("s")
        await settle(pilot)
        assert other.listing(article.id).starred  # not undone
        assert "Starred" in str(list(app._notifications)[-1].message)
        await pilot.press("s")  # now this window shows it starred: s unstars
        await settle(pilot)
        assert not other.listing(article.id).starred
        # r: this window shows it read; the other marks it unread; r asks for unread: it stays so
        other.set_read(article.id, False)
        await pilot.press("r")
        await settle(pilot)
        assert not other.listing(article.id).read
    other.close()


async def test_A_on_a_story_marks_its_articles_read():
    from newsreader.tui.widgets import story_nodes

    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        stories = next(n for n in outline(app).root.children if isinstance(n.data, story_nodes.StoriesNode))
        stories.expand()
        await settle(pilot)
        day = stories.children[0]
        day.expand()
        await settle(pilot)
        story = day.children[0]
        members = [m.listing.id for m in app.library.story(story.data.story.id)[1]]
        assert len(members) >= 2
        outline(app).move_cursor(story)
        outline(app).focus()
        await pilot.press("A")
        await settle(pilot)
        assert all(app.library.listing(i).read for i in members)
        assert app.library.counts().unread == 5 - len(members)
        assert f"{5 - len(members)} new" in header_counts(app)


@pytest.mark.hostile
async def test_two_app_windows_on_one_state_file_never_undo_each_others_star():
    """Issue 10, 1, with two real apps: both show the same article unstarred; the first
    stars it; the second, still showing it unstarred, presses s: it stays starred."""
    first_library = Library()
    first_library.ensure_indexed()
    one = NewsReaderApp(first_library, index_on_start=False)
    two = NewsReaderApp(Library(), index_on_start=False)
    async with one.run_test(size=SIZE) as first:
        await settle(first)
        await first.press("u")
        await settle(first)
        article_id = one.main.current.listing.id
        async with two.run_test(size=SIZE) as second:
            await settle(second)
            assert two.main.current.listing.id == article_id  # reopened where the user was
            assert not two.main.current.listing.starred
            await first.press("s")
            await settle(first)
            await second.press("s")
            await settle(second)
            assert first_library.listing(article_id).starred
            assert "Starred" in str(list(two._notifications)[-1].message)
            await second.press("s")  # the second window now shows it starred: s unstars
            await settle(second)
            assert not first_library.listing(article_id).starred


async def test_u_before_the_tree_is_in_still_finds_the_first_unread():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        expected = app.library.next_unread(None).id
        outline(app).outlet_order = []  # as at start, before the outlets' worker answers
        app.main.action_next_unread()
        await settle(pilot)
        assert app.main.current is not None and app.main.current.listing.id == expected
