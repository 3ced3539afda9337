"""The reader app: the app-wide things — library, settings, theme, keymap, remembered state.

What is on screen lives in :class:`~newsreader.tui.screens.main.MainScreen`; every action
and its keys in :mod:`newsreader.tui.actions`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from textual import work
from textual.app import App
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from newsreader import script
from newsreader.config import Settings
from newsreader.model import View
from newsreader.opener import OpenError, open_url
from newsreader.safetext import printable
from newsreader.store.library import Library
from newsreader.store.state import StateError
from newsreader.tui import actions
from newsreader.tui.commands import NewsCommands
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.main import MainScreen
from newsreader.tui.theme import NEWSREADER


class NewsReaderApp(App[None]):
    """newsreader's app: one main screen, the help and media screens over it."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {NewsCommands}
    BINDINGS = actions.bindings("app")

    def __init__(self, library: Library, settings: Settings | None = None, *, index_on_start: bool = True) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.index_on_start = index_on_start
        self.opener: Callable[[str, str], str] = partial(open_url, commands=self.settings.openers)
        self.main = MainScreen(library, self.settings.traditional, index_on_start=index_on_start)
        """The main screen (tree, results, reader)."""
        self.restored = False
        self._unsaved: set[str] = set()  # reasons a write was not saved, each told once

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification made printable (safetext): messages carry URLs, paths, errors."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout,
                       markup=markup)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the app's base screen."""
        return self.main

    def on_mount(self) -> None:
        """Theme and keymap. (The main screen restores the script and the article, and once
        its first screen is drawn warms up OpenCC and starts indexing.)"""
        state = self.library.state
        self.register_theme(NEWSREADER)
        self.theme = "newsreader"
        theme = state.get("theme") or self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        for problem in self.settings.problems:  # config.toml: printed before the app too, but hidden by it
            self.notify(problem, title="config.toml", severity="warning", markup=False, timeout=10)
        self.apply_keymap(self.settings.keys)
        self.restored = True

    def apply_keymap(self, keymap: dict[str, str]) -> None:
        """Use a user's keymap (binding id → keys); an id that names no action is a warning."""
        unknown = actions.unknown_ids(keymap)
        for binding_id in unknown:
            self.notify(f"config.toml [keys]: no action has the id {binding_id!r} (press ? for the ids)",
                        severity="warning", markup=False, timeout=8)
        self.set_keymap({k: v for k, v in keymap.items() if k not in unknown})

    @work(thread=True, exit_on_error=False, group="warm")
    def warm_up(self) -> None:
        """Load OpenCC's dictionaries and the reader's HTML-to-Markdown library off the UI
        thread (after the first screen), so the first `t` and the first article are quick."""
        script.convert("臺灣与台湾", View.SIMPLIFIED)
        script.convert("台湾與臺灣", View.TRADITIONAL, self.settings.traditional)
        from newsreader import html_markdown  # noqa: F401 - imported here, not on first open

    def watch_theme(self, theme: str) -> None:
        """Remember a theme the user picked (not the one restored at start)."""
        if self.restored:
            self.save(partial(self.library.state.put, "theme", theme))

    def save(self, write: Callable[[], object]) -> bool:
        """Run a write to the user's state; if it cannot be saved (read-only, disk full), say
        so once per reason and go on. True if saved."""
        try:
            write()
        except StateError as error:
            if str(error) not in self._unsaved:
                self._unsaved.add(str(error))
                self.notify(str(error), severity="error", title="Not saved", markup=False, timeout=8)
            return False
        return True

    def open_external(self, url: str, kind: str) -> None:
        """Open a URL outside newsreader; failures are notifications."""
        try:
            done = self.opener(url, kind)
        except OpenError as error:
            self.notify(str(error), severity="error", title="Not opened", markup=False)
            return
        self.notify(f"{done}: {url[:80]}", timeout=2.5, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (a damaged cache, a vanished file) is a notification, not a crash."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.group}: {event.worker.error}", severity="error",
                        title="Something went wrong", markup=False)

    def action_help(self) -> None:
        """Every binding, with the id that rebinds it."""
        self.push_screen(HelpScreen())


def css_path() -> Path:
    """Where the app's stylesheet lives (for tools)."""
    return Path(__file__).with_name(NewsReaderApp.CSS_PATH)
