"""The app's shape: one table of actions behind bindings, help and palette; a user keymap."""

from __future__ import annotations

from textual.widgets import OptionList

from newsreader.config import Settings
from newsreader.store.library import Library
from newsreader.tui import actions
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.screens.help import HelpScreen, binding_table
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView
from tests.tui.test_app import SIZE, open_first, reader_text


def make(keys: dict[str, str] | None = None) -> NewsReaderApp:
    library = Library()
    library.ensure_indexed()
    app = NewsReaderApp(library, Settings(keys=keys or {}), index_on_start=False)
    app.opener = lambda url, kind="link": "recorded"
    return app


def help_text(app: NewsReaderApp) -> str:
    from rich.console import Console

    console = Console(width=160, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    main = app.main
    console.print(binding_table(app, {"app": app, "main": main, "tree": main.query_one(Outline),
                                      "reader": main.query_one(ArticleView)}))
    return console.export_text()


def test_every_action_has_a_unique_id_and_a_method():
    ids = [action.id for action in actions.ACTIONS]
    assert len(ids) == len(set(ids))
    from newsreader.tui.screens.coverage import CoverageScreen
    from newsreader.tui.screens.main import MainScreen
    from newsreader.tui.screens.media import MediaScreen
    from newsreader.tui.screens.story import StoryScreen

    owners = {"main": MainScreen, "app": NewsReaderApp, "tree": Outline, "reader": ArticleView,
              "media": MediaScreen, "story": StoryScreen, "coverage": CoverageScreen, "help": HelpScreen}
    for action in actions.ACTIONS:
        name = action.action.split("(")[0]  # link_digit(3): an action with its argument
        assert hasattr(owners[action.scope], f"action_{name}"), action


async def test_a_user_keymap_rebinds_and_help_shows_it():
    app = make({"app.next": "J", "reader.top": "0,home", "media.close": "x,escape", "app.nonsense": "x"})
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        first = app.main.current.listing.id
        await pilot.press("J")
        await pilot.pause()
        assert app.main.current.listing.id != first  # J now goes to the next article
        second = app.main.current.listing.id
        await pilot.press("n")
        await pilot.pause()
        assert app.main.current.listing.id == second  # and n no longer does
        text = help_text(app)
        next_row = next(line for line in text.splitlines() if "app.next" in line)
        assert next_row.split()[0] == "J"
        close_row = next(line for line in text.splitlines() if "media.close" in line)
        assert close_row.split()[:2] == ["x", "esc"]
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "MediaScreen"
        await pilot.press("x")  # the rebound key closes the media list
        await pilot.pause()
        assert app.screen is app.main
        top_row = next(line for line in text.splitlines() if "reader.top" in line)
        assert top_row.split()[:2] == ["0", "home"]
        for action in actions.ACTIONS:
            assert action.id in text
        warnings = [n.message for n in app._notifications]
        assert any("'app.nonsense'" in message for message in warnings)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_the_palette_offers_every_palette_action():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        options = app.screen.query_one(OptionList)
        shown = {str(options.get_option_at_index(i).prompt) for i in range(options.option_count)}
        for action in actions.palette_actions():
            assert any(action.palette in prompt for prompt in shown), action.palette


async def test_a_double_click_on_the_reader_is_harmless():
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        reader = app.main.query_one(ArticleView)
        await pilot.click(ArticleView, offset=(5, 5), times=2)
        await pilot.click(ArticleView, offset=(5, 5), times=3)
        await pilot.pause()
        assert app.is_running and "纽约时报中文网" in reader_text(app)
        assert callable(reader.query)  # Widget.query is not hidden by a reactive
