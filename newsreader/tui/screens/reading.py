"""The reading workflow of the main screen, as a newsboat user expects it.

``u`` the next unread article (in list order, across days and outlets), space at the end
of an article on to the next unread, ``r`` read/unread, ``A`` everything under the tree
node read, ``v`` the view (all → unread → starred), ``z`` the reader alone, and number
keys (or a click on a link's ``[3]``) to open the media and links of the `m` list.

``s`` and ``r`` act on what this window shows: they set the state opposite to the one
on screen, never flip the stored value, so a second window that starred the article
meanwhile is not undone by this one's ``s``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import work
from textual.screen import Screen
from textual.timer import Timer

from newsreader import render
from newsreader.store.library import Library
from newsreader.store.outline import Counts, Scope, Show
from newsreader.store.records import Detail, Listing
from newsreader.store.state import StateError
from newsreader.tui.messages import MarkedRead, UnreadFound, Warned
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView
from newsreader.tui.widgets.results import Results

DIGIT_WAIT = 0.8  # seconds a number key waits for a second digit (12 after 1 and 2)
VIEW_NAMES = {Show.ALL: "all", Show.UNREAD: "unread only", Show.STARRED: "starred only"}


class ReadingActions(Screen[None]):
    """The keys of the reading workflow; the main screen inherits them."""

    library: Library
    current: Detail | None
    searching: bool
    totals: Counts | None = None
    """Articles, unread and starred over every outlet (None until first counted)."""
    _digits: str = ""
    _digit_timer: Timer | None = None

    def open_id(self, article_id: str, reveal: bool = False, restoring: bool = False) -> None:
        """Open an article (the main screen's)."""
        raise NotImplementedError

    def _update_title(self) -> None:
        raise NotImplementedError

    @property
    def show(self) -> Show:
        """The view: all, unread only or starred only."""
        return self.query_one(Outline).show

    # -- unread --------------------------------------------------------------------------

    def action_next_unread(self) -> None:
        """The next unread article after the open one, in list order (in search: the next
        unread result)."""
        after = self.current.listing if self.current else None
        if self.searching:
            ids = [hit.listing.id for hit in self.query_one(Results).hits]
            self._next_unread_result(ids, after.id if after else None, self.show)
        else:
            # before the tree's outlets are in, the library finds the order itself
            self._find_next_unread(after, list(self.query_one(Outline).outlet_order) or None, self.show)

    @work(thread=True, exit_on_error=False, exclusive=True, group="unread")
    def _find_next_unread(self, after: Listing | None, order: list[str] | None, show: Show) -> None:
        self.post_message(UnreadFound(self.library.next_unread(after, order, show)))

    @work(thread=True, exit_on_error=False, exclusive=True, group="unread")
    def _next_unread_result(self, ids: list[str], current: str | None, show: Show) -> None:
        start = ids.index(current) + 1 if current in ids else 0
        for article_id in ids[start:] + ids[:start]:
            listing = self.library.listing(article_id)  # the flags as they are now
            if not listing.read and show.admits(listing):
                self.post_message(UnreadFound(listing))
                return
        self.post_message(UnreadFound(None))

    def on_unread_found(self, message: UnreadFound) -> None:
        """Open the unread article found, or say there is none."""
        if message.listing is None:
            where = {Show.ALL: "", Show.UNREAD: "", Show.STARRED: " starred"}[self.show]
            self.notify(f"No unread{where} articles left", timeout=2)
            return
        self.open_id(message.listing.id, reveal=not self.searching)

    def on_article_view_at_end(self, _message: ArticleView.AtEnd) -> None:
        """Space at the end of an article: on to the next unread one."""
        self.action_next_unread()

    def _shown(self) -> Listing | None:
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return None
        return self.current.listing

    def _show_flags(self, listing: Listing) -> None:
        """This window now shows these flags (reader, tree and counts)."""
        if self.current and self.current.listing.id == listing.id:
            self.current = replace(self.current, listing=listing)
        self.query_one(Outline).update_listing(listing)

    def _write(self, write: Callable[[], object]) -> bool:
        """Save an explicit act to the user's state; say so every time it cannot be."""
        try:
            write()
        except StateError as error:
            self.notify(str(error), severity="error", title="Not saved", markup=False, timeout=8)
            return False
        return True

    def action_toggle_read(self) -> None:
        """Mark the open article unread if this window shows it read, else read."""
        shown = self._shown()
        if shown is None:
            return
        read = not shown.read
        if not self._write(lambda: self.library.set_read(shown.id, read)):
            return
        self._show_flags(replace(shown, read=read))
        self.notify("Marked read" if read else "Marked unread", timeout=1.5)

    def action_toggle_star(self) -> None:
        """Unstar the open article if this window shows it starred, else star it."""
        shown = self._shown()
        if shown is None:
            return
        starred = not shown.starred
        if not self._write(lambda: self.library.set_starred(shown.id, starred)):
            return
        self._show_flags(replace(shown, starred=starred))
        self.notify("★ Starred" if starred else "Unstarred", timeout=1.5)

    def action_mark_node_read(self) -> None:
        """Everything under the tree's selected node read: an outlet, year, month, day or story."""
        outline = self.query_one(Outline)
        story = outline.selected_story()
        scope = outline.selected_scope()
        if self.searching or (story is None and scope is None):
            self.notify("Select an outlet, a month, a day or a story in the tree first", severity="warning")
            return
        self._mark_read(None if story else scope, story)

    @work(thread=True, exit_on_error=False, group="mark")
    def _mark_read(self, scope: Scope | None, story: str | None) -> None:
        try:
            if story is not None:
                ids = [member.listing.id for member in self.library.story(story)[1]]
                self.post_message(MarkedRead(None, self.library.mark_read(article_ids=ids), ids))
            elif scope is not None:
                self.post_message(MarkedRead(scope, self.library.mark_read(scope)))
        except StateError as error:
            self.post_message(Warned(str(error)))

    def on_marked_read(self, message: MarkedRead) -> None:
        """Show the marked articles read and count again."""
        self.query_one(Outline).mark_scope_read(message.scope, message.article_ids)
        if self.current and (self.current.listing.id in message.article_ids if message.scope is None
                             else message.scope.holds(self.current.listing)):
            self.current = replace(self.current, listing=replace(self.current.listing, read=True))
        self.notify(f"Marked {message.count:,} article{'s' if message.count != 1 else ''} read", timeout=2)

    def on_outline_counts_changed(self, message: Outline.CountsChanged) -> None:
        """The header follows the tree's counts (both from the library)."""
        self.totals = message.total
        self._update_title()

    # -- views and zoom ------------------------------------------------------------------

    def action_cycle_show(self) -> None:
        """All → unread only → starred only → all: the tree and search results follow."""
        outline = self.query_one(Outline)
        outline.set_show(outline.show.next(), keep=self.current.listing if self.current else None)
        self._update_title()
        if self.searching:
            self.rerun_search()  # type: ignore[attr-defined]
        elif self.current:
            outline.reveal(self.current.listing)
        self.notify(f"View: {VIEW_NAMES[outline.show]}", timeout=1.5)

    def action_zoom(self) -> None:
        """The reader alone at full width; again to bring the tree back."""
        zoomed = not self.has_class("-zoomed")
        self.set_class(zoomed, "-zoomed")
        if zoomed:
            self.query_one(ArticleView).focus()
        elif self.searching:
            self.query_one("#results").focus()
        else:
            self.query_one(Outline).focus()

    # -- media and links by number -------------------------------------------------------

    def action_link_digit(self, digit: int) -> None:
        """A number key: open that medium or link of the `m` list (two digits typed quickly
        make one number)."""
        if not self.current:
            self.notify("Open an article first", severity="warning")
            return
        if self._digit_timer is not None:
            self._digit_timer.stop()
            self._digit_timer = None
        self._digits += str(digit)
        number = int(self._digits)
        count = len(self.current.media) + len(self.current.links)
        if number * 10 > count:  # no second digit could make a number that exists
            self._open_number()
        else:
            self._digit_timer = self.set_timer(DIGIT_WAIT, self._open_number)

    def _open_number(self) -> None:
        number, self._digits, self._digit_timer = int(self._digits or 0), "", None
        self.open_link(number)

    def on_article_view_link_chosen(self, message: ArticleView.LinkChosen) -> None:
        """A click on a link's number or a media label in the text."""
        self.open_link(message.number)

    def open_link(self, number: int) -> None:
        """Open entry ``number`` of the open article's media and links."""
        if not self.current:
            return
        for n, kind, url, _text in render.references(self.current.media, self.current.links):
            if n == number:
                self.app.open_external(url, kind)  # type: ignore[attr-defined]
                return
        count = len(self.current.media) + len(self.current.links)
        self.notify(f"No link {number}: this article has {count} (m lists them)", severity="warning", markup=False)
