"""Issue 8 item 4: the first screen after a new archive, counts after reading from search
results, `n` after a search, and how many results there are."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from newsreader.store.library import Library
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView
from tests.conftest import run_cli
from tests.tui.test_app import SIZE, make_app, reader_text
from tests.tui.test_background_index import write_archive


async def search(pilot, query: str) -> None:
    await pilot.press("slash", *query, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def status(app: NewsReaderApp) -> str:
    return str(app.main.query_one("#status", Static).render())


async def test_an_article_gone_since_last_time_is_no_error_on_the_first_screen(tmp_path: Path):
    library = Library()
    library.ensure_indexed()
    library.state.put("last_article", library.listings()[0].id)
    archive = tmp_path / "mine"
    write_archive(archive, 3)
    library.close()
    run_cli("index", str(archive))
    run_cli("sources", "--remove", str(Path(__file__).parents[2] / "seeds"))
    again = Library()
    again.ensure_indexed()
    app = NewsReaderApp(again, index_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "no longer in the cache" not in reader_text(app)
        assert "Select an article" in reader_text(app)


async def test_reading_from_search_results_updates_the_tree_counts():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        outline = app.main.query_one(Outline)
        rfi = next(node for node in outline.root.children if node.data.outlet.key == "rfi")
        assert rfi.data.counts.unread == 2 and "2 new" in rfi.label.plain
        await search(pilot, "华盛顿")
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the counts are asked again of the library
        await pilot.pause()
        assert app.main.current.listing.outlet == "rfi"
        assert rfi.data.counts.unread == 1 and "1 new" in rfi.label.plain
        await pilot.press("escape")
        await pilot.pause()
        rfi.expand()  # its days load with the stored counts
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sum(month.data.counts.unread for month in rfi.children) == 1 == rfi.data.counts.unread


async def test_n_after_a_search_starts_at_the_first_result_whatever_was_open():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await search(pilot, "习近平")
        hits = app.main.hits
        assert len(hits) == 5 and hits[0].in_title
        app.main.open_id(hits[3].listing.id)  # an article that is also a lower result was open
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == hits[0].listing.id  # the top result, not hits[4]
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == hits[1].listing.id
        assert app.main.query_one(ArticleView).highlight_query == "习近平"


async def test_result_counts_say_how_many_match_in_all(tmp_path: Path):
    archive = tmp_path / "many"
    write_archive(archive, 208)
    library = Library()
    library.index([str(archive)])
    app = NewsReaderApp(library, index_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await search(pilot, "华盛顿")
        assert status(app).startswith("208 results, the newest 200 listed")
        await pilot.press("escape")
        await search(pilot, "第7号")
        assert status(app).startswith("1 result ·")
