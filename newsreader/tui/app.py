"""The reader app: outlets and dates beside the article, all by keyboard (and mouse)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader import script
from newsreader.config import Settings
from newsreader.model import View
from newsreader.opener import OpenError, open_url
from newsreader.safetext import printable
from newsreader.store.library import Library, NotFound
from newsreader.store.records import Detail, Listing
from newsreader.store.search import Hit
from newsreader.store.state import StateError
from newsreader.tui.commands import NewsCommands
from newsreader.tui.layout import Styles, highlight
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.media import MediaScreen
from newsreader.tui.theme import NEWSREADER
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView

SCRIPT_NAMES = {View.ORIGINAL: "original 原文", View.SIMPLIFIED: "simplified 简体", View.TRADITIONAL: "traditional 繁體"}


class NewsReaderApp(App[None]):
    """Two panes: the outline of outlets and dates, and the reader."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"
    COMMANDS = App.COMMANDS | {NewsCommands}
    BINDINGS = [
        Binding("n", "next_article", "Next", id="app.next"),
        Binding("p", "previous_article", "Prev", id="app.previous"),
        Binding("t", "toggle_script", "Script", id="app.script"),
        Binding("m", "media", "Media", id="app.media"),
        Binding("o", "open_article", "Open", id="app.open"),
        Binding("slash", "search", "Search", id="app.search"),
        Binding("s", "toggle_star", "Star", id="app.star"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("escape", "leave_search", "Back", show=False, id="app.back"),
    ]

    view: reactive[View] = reactive(View.ORIGINAL)

    def __init__(self, library: Library, settings: Settings | None = None, *, index_on_start: bool = True) -> None:
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self.index_on_start = index_on_start
        self.opener = partial(open_url, commands=self.settings.openers)
        self.current: Detail | None = None
        self.hits: list[Hit] = []
        self.searching = False
        self.total: int | None = None
        self.restored = False
        self._unsaved: set[str] = set()  # reasons a write was not saved, each told once

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Every notification made printable (safetext): messages carry URLs, paths, errors."""
        super().notify(printable(message), title=printable(title), severity=severity, timeout=timeout,
                       markup=markup)

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Input(placeholder="search: 习近平, 台湾, \"a phrase\" … (enter)", id="search-input")
                yield Outline(self.library, self.settings.traditional, id="outline")
                yield OptionList(id="results")
                yield Static(id="status")
            yield ArticleView(self.settings.traditional, id="reader")
        yield Footer()

    def on_mount(self) -> None:
        """Show the cache at once; restore script, theme and place; index changes in a worker."""
        state = self.library.state
        self.register_theme(NEWSREADER)
        self.theme = "newsreader"
        theme = state.get("theme") or self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        try:
            self.view = View.parse(state.get("script", "original"))
        except ValueError:
            self.view = View.ORIGINAL
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        outline = self.query_one(Outline)
        outline.reload()
        outline.focus()
        self._update_title()
        last = state.get("last_article")
        if last:
            self.open_id(last, reveal=True)
        if self.index_on_start:
            self.reindex()
        self._warm_converters()
        self.restored = True

    @work(thread=True, exit_on_error=False, group="warm")
    def _warm_converters(self) -> None:
        """Load OpenCC's dictionaries off the UI thread, so the first `t` is instant."""
        script.convert("臺灣与台湾", View.SIMPLIFIED)
        script.convert("台湾與臺灣", View.TRADITIONAL, self.settings.traditional)

    def _update_title(self) -> None:
        count = "" if self.total is None else f"{self.total:,} article{'s' if self.total != 1 else ''} · "
        self.sub_title = f"{count}script: {SCRIPT_NAMES[self.view]}"

    def on_outline_loaded(self, event: Outline.Loaded) -> None:
        """Once the outlets are in, the header counts the articles."""
        outline = self.query_one(Outline)
        if event.node is outline.root:
            self.total = sum(n.data.count for n in outline.root.children if n.data is not None)
            self._update_title()

    # -- script and theme ----------------------------------------------------------------

    def watch_view(self, view: View) -> None:
        if not self.query(ArticleView):  # not composed yet: compose reads the view itself
            return
        self.query_one(ArticleView).view = view
        self.query_one(Outline).set_view(view)
        self._show_results()
        self._update_title()
        self._save(partial(self.library.state.put, "script", view.value))

    def watch_theme(self, theme: str) -> None:
        if self.restored:  # a theme the user picked, not the one restored at start
            self._save(partial(self.library.state.put, "theme", theme))

    def _save(self, write: Callable[[], object]) -> bool:
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

    def action_toggle_script(self) -> None:
        """Original → simplified → traditional → original, for the whole screen."""
        self.view = self.view.next()

    # -- opening articles ----------------------------------------------------------------

    def open_id(self, article_id: str, reveal: bool = False) -> None:
        """Open an article by id; a missing or unreadable one shows an error in the reader."""
        reader = self.query_one(ArticleView)
        try:
            detail = self.library.article(article_id)
        except NotFound:
            reader.show_article(None, "That article is no longer in the cache.")
            return
        except Exception as error:
            reader.show_article(None, f"This article could not be shown: {error}")
            return
        self.current = detail
        reader.highlight_query = self._active_query()
        reader.show_article(detail)
        self._save(partial(self.library.set_read, article_id))
        self._save(partial(self.library.state.put, "last_article", article_id))
        outline = self.query_one(Outline)
        listing = self.library.listing(article_id)
        outline.update_listing(listing)
        if reveal and not self.searching:
            outline.reveal(listing)

    def open_listing(self, listing: Listing) -> None:
        """Open an article from a listing (tree, search result, palette)."""
        self.open_id(listing.id, reveal=not self.searching)

    def on_outline_article_chosen(self, event: Outline.ArticleChosen) -> None:
        """Enter on an article in the tree."""
        self.open_id(event.listing.id)

    def _step(self, step: int) -> None:
        if self.searching and self.hits:
            ids = [h.listing.id for h in self.hits]
            current = self.current.listing.id if self.current else None
            index = ids.index(current) + step if current in ids else 0
            if 0 <= index < len(ids):
                self.query_one("#results", OptionList).highlighted = index
                self.open_id(ids[index])
            else:
                self.notify("No more results", timeout=1.5)
            return
        order = self.query_one(Outline).outlet_order or None
        listing = self.library.neighbour(self.current.listing if self.current else None, step, order)
        if listing is None:
            self.notify("No more articles", timeout=1.5)
            return
        self.open_id(listing.id, reveal=True)

    def action_next_article(self) -> None:
        """The next article in list order (or the next search result)."""
        self._step(+1)

    def action_previous_article(self) -> None:
        """The previous article in list order (or the previous search result)."""
        self._step(-1)

    def action_toggle_star(self) -> None:
        """Star or unstar the open article (the same state as `newsreader star`)."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        article_id = self.current.listing.id
        starred = not self.library.listing(article_id).starred
        try:
            self.library.set_starred(article_id, starred)
        except StateError as error:  # an explicit act: say so every time
            self.notify(str(error), severity="error", title="Not saved", markup=False, timeout=8)
            return
        self.query_one(Outline).update_listing(self.library.listing(article_id))
        self.notify("★ Starred" if starred else "Unstarred", timeout=1.5)

    # -- media and links -----------------------------------------------------------------

    def action_media(self) -> None:
        """List the open article's media and links."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        self.push_screen(MediaScreen(self.current, self.view, self.settings.traditional), self._open_reference)

    def _open_reference(self, picked: tuple[str, str] | None) -> None:
        if picked:
            self.open_external(picked[1], picked[0])

    def action_open_article(self) -> None:
        """Open the article's own URL."""
        if not self.current or not self.current.listing.url:
            self.notify("This article has no URL", severity="warning")
            return
        self.open_external(self.current.listing.url, "link")

    def open_external(self, url: str, kind: str) -> None:
        """Open a URL outside newsreader; failures are notifications."""
        try:
            done = self.opener(url, kind)
        except OpenError as error:
            self.notify(str(error), severity="error", title="Not opened", markup=False)
            return
        self.notify(f"{done}: {url[:80]}", timeout=2.5, markup=False)

    # -- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search field."""
        self.set_class(True, "-searching")
        search = self.query_one("#search-input", Input)
        search.focus()
        search.select_all()

    def _active_query(self) -> str:
        return self.query_one("#search-input", Input).value if self.searching else ""

    @on(Input.Submitted, "#search-input")
    def run_search(self, event: Input.Submitted) -> None:
        """Search in a worker; results replace the tree."""
        query = event.value.strip()
        if not query:
            return
        self.searching = True
        self._search(query)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def _search(self, query: str) -> None:
        hits = self.library.search(query, limit=200)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self._got_hits, query, hits)

    def _got_hits(self, query: str, hits: list[Hit]) -> None:
        self.hits = hits
        self._show_results()
        results = self.query_one("#results", OptionList)
        results.focus()
        if hits:
            results.highlighted = 0
        else:
            self.notify(f"Nothing matches {query!r}", severity="warning", markup=False)

    def _show_results(self) -> None:
        if not self.searching:
            return
        results = self.query_one("#results", OptionList)
        results.clear_options()
        query = self.query_one("#search-input", Input).value
        mark = Styles().highlight
        for hit in self.hits:
            label = Text("T " if hit.in_title else "  ", style="bold")
            label.append(hit.listing.outlet_name(self.view), style="italic")
            when = hit.listing.published.astimezone().strftime("%Y-%m-%d") if hit.listing.published else "undated"
            label.append(f"  {when}\n", style="dim")
            label.append(script.convert(hit.listing.title, self.view, self.settings.traditional), style="bold")
            label.append("\n" + script.convert(hit.snippet, self.view, self.settings.traditional), style="dim")
            highlight(label, query, mark)
            results.add_option(Option(label, id=hit.listing.id))
        self.query_one("#status", Static).update(Text(f"{len(self.hits)} results · esc returns", style="dim"))

    @on(OptionList.OptionSelected, "#results")
    def open_result(self, event: OptionList.OptionSelected) -> None:
        """Enter on a search result opens it."""
        if event.option.id:
            self.open_id(event.option.id)

    def action_leave_search(self) -> None:
        """Back to the tree, where the user was."""
        if not self.has_class("-searching"):
            return
        self.searching = False
        self.hits = []
        self.set_class(False, "-searching")
        self.query_one(ArticleView).highlight_query = ""
        self.query_one("#status", Static).update("")
        self.query_one(Outline).focus()

    async def search_titles(self, query: str) -> list[Hit]:
        """Articles whose titles match, for the command palette."""
        hits = await asyncio.to_thread(self.library.search, query, limit=20)
        return [h for h in hits if h.in_title]

    # -- indexing ------------------------------------------------------------------------

    def action_reindex(self) -> None:
        """Read changed files now."""
        self.reindex()

    @work(thread=True, exit_on_error=False, exclusive=True, group="index")
    def reindex(self) -> None:
        """Index changed sources with a connection of its own; progress in the status line."""
        worker = get_current_worker()
        status = self.query_one("#status", Static)

        def progress(done: int, total: int) -> None:
            if total:
                self.call_from_thread(status.update, Text(f"indexing {done}/{total} files…", style="italic"))

        background = Library(warn=lambda message: self.call_from_thread(
            self.notify, message, severity="warning", markup=False))
        try:
            if not background.needs_index():
                return
            result = background.index(progress=progress, should_stop=lambda: worker.is_cancelled, wait=False)
        except Exception as error:
            self.call_from_thread(self.notify, f"Indexing failed: {error}", severity="error", markup=False)
            return
        finally:
            background.close()
        self.call_from_thread(self._indexed, result)

    def _indexed(self, result) -> None:
        status = self.query_one("#status", Static)
        if result is None:
            status.update(Text("another newsreader is indexing", style="dim"))
            return
        if result.parsed:
            failed = f", {len(result.failed)} could not be read" if result.failed else ""
            status.update(Text(f"indexed {result.parsed} changed files{failed}", style="dim"))
            self.set_timer(8, lambda: status.update("") if not self.searching else None)
        else:
            status.update("")
        if result.parsed:
            self.query_one(Outline).reload()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (a damaged cache, a vanished file) is a notification, not a crash."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{event.worker.group}: {event.worker.error}", severity="error",
                        title="Something went wrong", markup=False)

    def action_help(self) -> None:
        """Every binding."""
        self.push_screen(HelpScreen())


def css_path() -> Path:
    """Where the app's stylesheet lives (for tools)."""
    return Path(__file__).with_name(NewsReaderApp.CSS_PATH)
