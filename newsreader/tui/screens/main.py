"""The main screen: the tree (or search results) beside the reader.

It composes the panes, owns the script (``view``) and binds it down to them, and opens
every article through one message, :class:`ArticleChosen`, whoever chose it — the tree,
the search results or the command palette. Workers (search, indexing) post messages
that this screen turns into what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Header, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader import labels
from newsreader.model import View
from newsreader.store.library import Library, NotFound
from newsreader.store.outline import Show
from newsreader.store.records import Detail
from newsreader.stories import display
from newsreader.tui import actions
from newsreader.tui.messages import (
    ArticleChosen,
    ArticleLoaded,
    IndexDone,
    IndexFailed,
    IndexProgress,
    Listed,
    SearchDone,
    Warned,
)
from newsreader.tui.screens.coverage import CoverageScreen
from newsreader.tui.screens.media import MediaScreen
from newsreader.tui.screens.reading import ReadingActions
from newsreader.tui.screens.story import StoryScreen
from newsreader.tui.widgets.footer import Footer
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView
from newsreader.tui.widgets.results import Results

SCRIPT_NAMES = {View.ORIGINAL: "original 原文", View.SIMPLIFIED: "simplified 简体", View.TRADITIONAL: "traditional 繁體"}
LOAD_IN_WORKER = 400_000  # bytes stored (compressed body and text, media, links): read in a worker
SEARCH_LIMIT = 200  # results listed; the count says how many match in all


class MainScreen(ReadingActions):
    """Outlets and dates (or search results) on the left, the article on the right."""

    BINDINGS = actions.bindings("main")

    view: reactive[View] = reactive(View.ORIGINAL)
    """The script of the whole screen: original, simplified or traditional."""

    def __init__(self, library: Library, variant: str = "tw", *, index_on_start: bool = True) -> None:
        super().__init__()
        self.index_on_start = index_on_start
        self.library = library
        self.variant = variant
        self.current: Detail | None = None
        """The article in the reader."""
        self.searching = False
        self.reading_story: tuple[str, ...] = ()
        """The story being read across outlets (its articles, oldest first): n and p step in it."""
        self.found = 0
        """How many articles match the search shown (more than are listed, past the limit)."""
        self.searched = (0, 0)
        """(articles the search shown covered, articles in the cache)."""
        self.background_started = False
        """Whether the work the first screen does not need has begun (see :meth:`start_background`)."""

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Input(placeholder="search: 习近平, 台湾, \"a phrase\" … (enter)", id="search-input")
                yield Outline(self.library, self.variant, id="outline")
                yield Results(self.variant, id="results")
                yield Static(id="status")
            yield ArticleView(self.variant, id="reader")
        yield Footer()

    def on_mount(self) -> None:
        """Load the outlets, put the cursor in the tree, restore the script and the article
        of last time; once the outlets are drawn, :meth:`start_background`."""
        state = self.library.state
        outline = self.query_one(Outline)
        outline.reload()
        outline.focus()
        try:
            self.view = View.parse(state.get("script", "original"))
        except ValueError:
            self.view = View.ORIGINAL
        self._bind_view(self.view)  # watch_view does not run before the screen is mounted
        last = state.get("last_article")
        if last:
            self.open_id(last, reveal=True, restoring=True)

    def start_background(self) -> None:
        """Start what the first screen does not need, once it is drawn: OpenCC's dictionaries
        loaded and changed sources indexed, both in threads. Started beside the first screen,
        they took its CPU (the warming alone ~0.15 s) and delayed it."""
        if self.background_started or not self.is_attached:
            return
        self.background_started = True
        warm = getattr(self.app, "warm_up", None)
        if warm is not None:
            warm()
        if self.index_on_start:
            self.reindex()

    def on_outline_counts_changed(self, message: Outline.CountsChanged) -> None:
        """The header follows the tree's counts; the first counts mean the first screen is
        there: the background work starts after it is drawn."""
        super().on_outline_counts_changed(message)
        if not self.background_started:
            self.call_after_refresh(self.start_background)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """If the outlets could not be loaded (a damaged cache), start the background work
        all the same (the app says what went wrong)."""
        if event.worker.group == "outlets" and event.state is WorkerState.ERROR and not self.background_started:
            self.call_after_refresh(self.start_background)

    @property
    def hits(self) -> list:
        """The hits of the search shown (empty when not searching)."""
        return self.query_one(Results).hits if self.searching else []

    def _update_title(self) -> None:
        """``441 articles · 120 new · 3 ★ · view: unread · script: original 原文``."""
        parts = []
        if self.totals is not None:
            parts.append(labels.count(self.totals.total, "article"))
            parts.append(f"{self.totals.unread:,} new")
            if self.totals.starred:
                parts.append(f"{self.totals.starred:,} ★")
        if self.is_mounted and self.show is not Show.ALL:
            parts.append(f"view: {self.show.value}")
        parts.append(f"script: {SCRIPT_NAMES[self.view]}")
        self.sub_title = " · ".join(parts)

    def watch_view(self, view: View) -> None:
        """Bind the script down to every pane; remember it."""
        if not self.is_mounted:
            return
        self._bind_view(view)
        self._save(partial(self.library.state.put, "script", view.value))

    def _bind_view(self, view: View) -> None:
        """Show the reader, the tree, the results and the title in ``view``."""
        self.query_one(ArticleView).view = view
        self.query_one(Outline).set_view(view)
        if self.searching:
            self._show_results()
        self._update_title()

    def action_toggle_script(self) -> None:
        """Original → simplified → traditional → original, for the whole screen."""
        self.view = self.view.next()

    # -- opening articles ----------------------------------------------------------------

    @on(ArticleChosen)
    def article_chosen(self, event: ArticleChosen) -> None:
        """Open the article the tree, the results or the palette chose."""
        event.stop()
        self.reading_story = event.story
        self.open_id(event.article_id, reveal=event.reveal)

    def open_id(self, article_id: str, reveal: bool = False, restoring: bool = False) -> None:
        """Open an article by id; a missing or unreadable one shows an error in the reader
        (or, when ``restoring`` the last session's article, the usual empty reader). A very
        large one (100,000 links …), or one whose file is still to be parsed (the index's
        second phase has not reached it), is read in a worker."""
        try:
            if self.library.stored_size(article_id) > LOAD_IN_WORKER or self.library.parsed_when_read(article_id):
                self.query_one(ArticleView).show_article(None, loading=True)
                self._load(article_id, reveal, restoring)
                return
            detail = self.library.article(article_id)
        except Exception as error:
            self._not_opened(error, restoring)
            return
        self._opened(detail, reveal)

    @work(thread=True, exclusive=True, exit_on_error=False, group="article")
    def _load(self, article_id: str, reveal: bool, restoring: bool) -> None:
        try:
            detail = self.library.article(article_id)
        except Exception as error:
            self.post_message(ArticleLoaded(None, reveal, restoring, error))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(detail, reveal, restoring))

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        """A large article arrived from its worker."""
        if message.detail is None:
            self._not_opened(message.error, message.restoring)
        else:
            self._opened(message.detail, message.reveal)

    def _not_opened(self, error: BaseException | None, restoring: bool) -> None:
        reader = self.query_one(ArticleView)
        if isinstance(error, NotFound):
            if restoring:  # the archive changed since: start afresh, no error
                self._save(partial(self.library.state.put, "last_article", ""))
                reader.show_article(None)
                return
            reader.show_article(None, "That article is no longer in the cache.")
            return
        reader.show_article(None, f"This article could not be shown: {error}")

    def _opened(self, detail: Detail, reveal: bool) -> None:
        """Show an article, mark it read, remember it, and move the tree to it if asked."""
        reader = self.query_one(ArticleView)
        article_id = detail.listing.id
        self.current = detail
        reader.highlight_query = self.query_one(Results).query_text if self.searching else ""
        reader.covered, reader.badge = self._story_lines(detail)
        reader.show_article(detail)
        outline = self.query_one(Outline)
        if not detail.listing.read and self._save(partial(self.library.set_read, article_id)):
            self.current = replace(detail, listing=replace(detail.listing, read=True))
            outline.update_listing(self.current.listing)
        self._save(partial(self.library.state.put, "last_article", article_id))
        if reveal and not self.searching:
            outline.reveal(detail.listing)

    def _save(self, write: Callable[[], object]) -> bool:
        """A write to the user's state through the app (which says once if it cannot be saved)."""
        save = getattr(self.app, "save", None)
        if save is None:
            write()
            return True
        return bool(save(write))

    def _step(self, step: int) -> None:
        if self.current and self.current.listing.id in self.reading_story:
            self._step_in_story(self.current.listing.id, step)
            return
        if self.searching and self.hits:
            article_id = self.query_one(Results).step(self.current.listing.id if self.current else None, step)
            if article_id is None:
                self.notify("No more results", timeout=1.5)
            else:
                self.open_id(article_id)
            return
        order = self.query_one(Outline).outlet_order or None
        listing = self.library.neighbour(self.current.listing if self.current else None, step, order, self.show)
        if listing is None:
            self.notify("No more articles", timeout=1.5)
            return
        self.open_id(listing.id, reveal=True)

    def _step_in_story(self, current: str, step: int) -> None:
        members = self.reading_story
        at = members.index(current) + step
        if not 0 <= at < len(members):
            self.notify("The story's last article" if step > 0 else "The story's first article", timeout=1.5)
            return
        self.open_id(members[at])
        self.notify(f"Story: article {at + 1} of {len(members)}", timeout=1)

    def action_next_article(self) -> None:
        """The next article in list order (or the next search result)."""
        self._step(+1)

    def action_previous_article(self) -> None:
        """The previous article in list order (or the previous search result)."""
        self._step(-1)

    # -- stories, editions, coverage ----------------------------------------------------

    def _story_lines(self, detail: Detail) -> tuple[str, str]:
        """"also covered by: …" and the edition badge of an article (empty when none)."""
        try:
            covered = display.also_covered(self.library, detail.listing.id, self.view)
            other = display.other_edition(self.library, detail.listing.id)
        except Exception:  # the story tables are cache data: never let them stop reading
            return "", ""
        return covered, display.badge(detail.script) if other else ""

    def action_story(self) -> None:
        """The open article's story: every outlet's article, related stories."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        screen = StoryScreen(self.library, self.current.listing.id, self.view, self.variant)
        self.app.push_screen(screen, partial(self._open_from_story, screen))

    def _open_from_story(self, screen: StoryScreen, article_id: str | None) -> None:
        if article_id:
            self.reading_story = tuple(screen.article_ids)
            self.open_id(article_id, reveal=True)

    def action_edition(self) -> None:
        """Switch to the open article's other edition (simplified ↔ traditional)."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        other = display.other_edition(self.library, self.current.listing.id)
        if other is None:
            self.notify("This article has no other edition", timeout=2)
            return
        self.open_id(other[0])
        self.notify(f"Edition: {display.badge(other[1])} {other[1]}", timeout=1.5)

    def action_coverage(self) -> None:
        """Coverage of the search shown: one row per outlet over time."""
        query = self.query_one(Results).query_text if self.searching else ""
        if not query:
            self.notify("Search first (/), then C shows its coverage", severity="warning")
            return
        self.app.push_screen(CoverageScreen(self.library, query, self.view, self.variant), self._open_chosen)

    def _open_chosen(self, article_id: str | None) -> None:
        if article_id:
            self.open_id(article_id, reveal=True)

    # -- media and links -----------------------------------------------------------------

    def action_media(self) -> None:
        """List the open article's media and links."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        self.app.push_screen(MediaScreen(self.current, self.view, self.variant), self._open_reference)

    def _open_reference(self, picked: tuple[str, str] | None) -> None:
        if picked:
            self.app.open_external(picked[1], picked[0])  # type: ignore[attr-defined]

    def action_open_article(self) -> None:
        """Open the article's own URL."""
        if not self.current or not self.current.listing.url:
            self.notify("This article has no URL", severity="warning")
            return
        self.app.open_external(self.current.listing.url, "link")  # type: ignore[attr-defined]

    # -- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        """Open the search field (bringing the tree's pane back when the reader is zoomed)."""
        self.set_class(False, "-zoomed")
        self.set_class(True, "-searching")
        search = self.query_one("#search-input", Input)
        search.focus()
        search.select_all()

    @on(Input.Submitted, "#search-input")
    def run_search(self, event: Input.Submitted) -> None:
        """Search in a worker; results replace the tree."""
        query = event.value.strip()
        if query:
            self.searching = True
            self._search(query, self.show)

    def rerun_search(self) -> None:
        """Search again for what is shown (in another view, say)."""
        query = self.query_one(Results).query_text
        if self.searching and query:
            self._search(query, self.show)

    @work(thread=True, exit_on_error=False, exclusive=True, group="search")
    def _search(self, query: str, show: Show = Show.ALL) -> None:
        if show is Show.ALL:
            hits = self.library.search(query, limit=SEARCH_LIMIT)
            total = self.library.search_count(query) if len(hits) >= SEARCH_LIMIT else len(hits)
        else:  # the view's hits among the best many (flags as they are now)
            hits = [hit for hit in self.library.search(query, limit=SEARCH_LIMIT * 10) if show.admits(hit.listing)]
            total = len(hits)
            hits = hits[:SEARCH_LIMIT]
        if not get_current_worker().is_cancelled:
            self.post_message(SearchDone(query, hits, total, self.library.searchable()))

    def on_search_done(self, message: SearchDone) -> None:
        """Show the hits (they replace the tree) and how many match."""
        results = self.query_one(Results)
        results.hits = []
        results.query_text = message.query
        self.found = message.total
        self.searched = message.searched
        results.show(message.hits, message.query, self.view)
        results.focus()
        if not message.hits:
            self.notify(f"Nothing matches {message.query!r}", severity="warning", markup=False)
        self._show_status()

    def _show_results(self) -> None:
        results = self.query_one(Results)
        results.show(results.hits, results.query_text, self.view)

    def _show_status(self) -> None:
        results = self.query_one(Results)
        found = max(self.found, len(results.hits))
        listed = "" if found <= len(results.hits) else f", the newest {len(results.hits)} listed"
        searched, total = self.searched
        partial = f" · searched {searched:,} of {total:,} articles; indexing…" if searched < total else ""
        self.query_one("#status", Static).update(
            Text(f"{labels.count(found, 'result')}{listed}{partial} · esc returns", style="dim"))

    def action_leave_search(self) -> None:
        """Back to the tree, where the user was."""
        if not self.has_class("-searching"):
            return
        self.searching = False
        self.set_class(False, "-searching")
        self.query_one(ArticleView).highlight_query = ""
        self.query_one("#status", Static).update("")
        self.query_one(Outline).focus()

    # -- indexing ------------------------------------------------------------------------

    def action_reindex(self) -> None:
        """Read changed files now."""
        self.reindex()

    @work(thread=True, exit_on_error=False, exclusive=True, group="index")
    def reindex(self) -> None:
        """Index changed sources with a connection of its own; progress as messages."""
        worker = get_current_worker()

        def warn(text: str) -> None:
            self.post_message(Warned(text))

        def progress(done: int, total: int) -> None:
            self.post_message(IndexProgress(done, total))

        def listing(done: int, total: int) -> None:
            self.post_message(IndexProgress(done, total, "listing"))

        def listed() -> None:
            self.post_message(Listed())

        background = Library(warn=warn)
        try:
            if not background.needs_index():
                return
            result = background.index(progress=progress, should_stop=lambda: worker.is_cancelled, wait=False,
                                      listing=listing, listed=listed)
        except Exception as error:
            self.post_message(IndexFailed(str(error)))
            return
        finally:
            background.close()
        self.post_message(IndexDone(result))

    def on_index_progress(self, message: IndexProgress) -> None:
        """``listing 120/5,600 files…``, then ``indexing for search 120/5,600 files…``, under the tree."""
        if message.total:
            what = "listing" if message.phase == "listing" else "indexing for search"
            self.query_one("#status", Static).update(
                Text(f"{what} {message.done:,}/{message.total:,} files…", style="italic"))

    def on_listed(self, message: Listed) -> None:
        """Every article is listed: show them while the full parse goes on."""
        self.query_one(Outline).reload()

    def on_index_failed(self, message: IndexFailed) -> None:
        """Say so; the cache as it was stays on screen."""
        self.query_one("#status", Static).update("")
        self.notify(f"Indexing failed: {message.error}", severity="error", markup=False)

    def on_warned(self, message: Warned) -> None:
        """A worker's warning as a notification."""
        self.notify(message.text, severity="warning", markup=False)

    def on_index_done(self, message: IndexDone) -> None:
        """Say what changed and show it."""
        status = self.query_one("#status", Static)
        result = message.result
        if result is None:
            status.update(Text("another newsreader is indexing", style="dim"))
            return
        if not result.parsed:
            status.update("")
            return
        failed = f", {len(result.failed)} could not be read" if result.failed else ""
        status.update(Text(f"indexed {labels.count(result.parsed, 'changed file')}{failed}", style="dim"))
        self.set_timer(8, lambda: status.update("") if not self.searching else None)
        self.query_one(Outline).reload()
