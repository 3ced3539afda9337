"""The app with a state that cannot be saved: it says so and goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.store.library import Library
from newsreader.tui.app import NewsReaderApp

from .test_app import SIZE, open_first

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile


async def test_a_state_that_cannot_be_saved_is_said_once_and_the_app_goes_on(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    library = Library()
    library.ensure_indexed()
    assert library.state.problem
    app = NewsReaderApp(library, index_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)  # opening marks read: cannot be saved, said once
        assert app.main.current is not None
        said = [n.message for n in app._notifications]
        assert sum("cannot save the read mark" in m for m in said) == 1
        await pilot.press("s")
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("cannot save the star" in m for m in said)
        assert not any("Starred" in m for m in said)
        assert not app.library.listing(app.main.current.listing.id).starred
        await pilot.press("n")  # and the app goes on
        await pilot.pause()
        assert app.is_running


async def test_config_problems_and_unknown_binding_ids_are_notified_by_name():
    from newsreader.config import Settings

    library = Library()
    library.ensure_indexed()
    settings = Settings(keys={"app.nxt": "J", "app.next": "n,J"}, problems=("config.toml: unknown setting 'x'",))
    app = NewsReaderApp(library, settings, index_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert any("no action has the id 'app.nxt'" in m for m in said)
        assert any("unknown setting 'x'" in m for m in said)
        assert not any("'app.next'" in m for m in said)
