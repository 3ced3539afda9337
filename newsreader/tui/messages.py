"""Messages that cross the app: from any pane, the palette or a worker to the main screen.

Workers never touch widgets: they post one of these and the main screen, on the UI
thread, shows what they found. Messages that belong to one widget live on it
(``Outline.Loaded``).
"""

from __future__ import annotations

from textual.message import Message

from newsreader.store.indexer import IndexResult
from newsreader.store.outline import Scope
from newsreader.store.records import Detail, Listing
from newsreader.store.search import Hit


class ArticleChosen(Message):
    """The user chose an article — in the tree, the search results or the palette."""

    def __init__(self, article_id: str, reveal: bool = False, story: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.article_id = article_id
        """The article to open."""
        self.reveal = reveal
        """Whether the tree should move to it (when it was chosen elsewhere)."""
        self.story = story
        """The articles of the story it was chosen in, oldest first (n and p step through them)."""


class ArticleLoaded(Message):
    """A worker read a large article from the cache (``detail`` None: ``error`` says why not)."""

    def __init__(self, detail: Detail | None, reveal: bool, restoring: bool,
                 error: BaseException | None = None) -> None:
        super().__init__()
        self.detail = detail
        self.reveal = reveal
        self.restoring = restoring
        self.error = error


class SearchDone(Message):
    """A search worker found its hits."""

    def __init__(self, query: str, hits: list[Hit], total: int, searched: tuple[int, int] = (0, 0)) -> None:
        super().__init__()
        self.query = query
        self.hits = hits
        self.total = total
        """How many articles match in all (``hits`` may be fewer)."""
        self.searched = searched
        """(articles searched, articles in the cache): fewer searched while indexing goes on."""


class IndexProgress(Message):
    """How far background indexing is; a newer one replaces a queued older one."""

    def __init__(self, done: int, total: int, phase: str = "indexing") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.phase = phase
        """"listing" (the catalogue: every article listed) or "indexing" (the full parse, for search)."""

    def can_replace(self, message: Message) -> bool:
        """Only the latest progress matters."""
        return isinstance(message, IndexProgress)


class Listed(Message):
    """Background indexing has listed every article (the full parse follows)."""


class IndexDone(Message):
    """Background indexing ended: ``result`` is None when another newsreader held the lock."""

    def __init__(self, result: IndexResult | None) -> None:
        super().__init__()
        self.result = result


class IndexFailed(Message):
    """Background indexing stopped with an error."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class Warned(Message):
    """Something worth a warning happened in a worker (a file that could not be read)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class UnreadFound(Message):
    """A worker looked for the next unread article: ``listing`` is None when there is none."""

    def __init__(self, listing: Listing | None) -> None:
        super().__init__()
        self.listing = listing


class MarkedRead(Message):
    """A worker marked everything under a tree node (an outlet, a period or a story) read
    (``count`` were unread)."""

    def __init__(self, scope: Scope | None, count: int, article_ids: list[str] | None = None) -> None:
        super().__init__()
        self.scope = scope
        """The node's articles (None for a story: see ``article_ids``)."""
        self.count = count
        self.article_ids = article_ids or []
        """A story's articles."""
