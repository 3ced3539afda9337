"""The left pane: outlet → date → articles, newest first, loaded lazily as nodes expand.

Nothing holds every article: outlets are loaded at start, an outlet's days when it is
expanded, a day's articles when the day is expanded (each in a thread worker, with a
"loading…" child meanwhile). Labels are plain ``Text`` — titles never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from rich.style import Style
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from newsreader import cjk, labels, script
from newsreader.model import View
from newsreader.store.library import Library, OutletCount
from newsreader.store.records import Listing
from newsreader.tui import actions
from newsreader.tui.messages import ArticleChosen
from newsreader.tui.widgets import story_nodes


@dataclass
class OutletNode:
    """Tree data of an outlet."""

    key: str
    count: int
    unread: int
    loaded: bool = False


@dataclass
class DayNode:
    """Tree data of one outlet's day."""

    outlet: str
    day: date | None
    count: int
    unread: int
    loaded: bool = False


class Outline(Tree):
    """Outlets and dates with their articles."""

    BINDINGS = actions.bindings("tree")

    class _Outlets(Message):
        """The outlets a worker loaded."""

        def __init__(self, counts: list[OutletCount]) -> None:
            super().__init__()
            self.counts = counts

    class _Children(Message):
        """The days or articles a worker loaded for a node."""

        def __init__(self, node: TreeNode, rows: list) -> None:
            super().__init__()
            self.node = node
            self.rows = rows

    def __init__(self, library: Library, variant: str = "tw", **kwargs) -> None:
        super().__init__("outlets", **kwargs)
        self.library = library
        self.variant = variant
        self.view = View.ORIGINAL
        self.show_root = False
        self.guide_depth = 2
        self.outlet_order: list[str] = []
        self._pending_reveal: Listing | None = None

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the outlets from the cache (at start, after indexing), in a worker."""
        if not self.root.children:
            self.root.add_leaf(Text("loading…", style="dim"))
        self._load_outlets()

    @work(thread=True, exit_on_error=False, exclusive=True, group="outlets")
    def _load_outlets(self) -> None:
        self.post_message(self._Outlets(self.library.outlet_counts()))

    def on_outline__outlets(self, message: _Outlets) -> None:
        """Rebuild the outlets, keeping open the ones that were."""
        counts = message.counts
        expanded = {node.data.key for node in self.root.children
                    if isinstance(node.data, OutletNode) and node.is_expanded}
        self.clear()
        self.outlet_order = [outlet.key for outlet in counts]
        for outlet in counts:
            data = OutletNode(outlet.key, outlet.count, outlet.unread)
            node = self.root.add(self._outlet_label(data), data, expand=False)
            node.add_leaf(Text("loading…", style="dim"))
            if outlet.key in expanded:
                node.expand()
        if not self.root.children:
            self.root.add_leaf(Text("No articles yet: run `newsreader index PATH`", style="dim"))
        else:
            story_nodes.add_root(self, self.library)
        self.cursor_line = max(self.cursor_line, 0)
        self.post_message(self.Loaded(self.root))  # resumes a reveal waiting for the outlets

    def _outlet_label(self, data: OutletNode) -> Text:
        from newsreader import outlets

        label = Text(outlets.get(data.key).name(self.view), style=Style(bold=True))
        label.append(f"  {data.count}", style="dim")
        if data.unread:
            label.append(f" · {data.unread} new", style="bold")
        return label

    def _day_label(self, data: DayNode) -> Text:
        label = Text(data.day.isoformat() if data.day else "undated")
        label.append(f"  {data.count}", style="dim")
        if data.unread:
            label.append(" ●", style="bold")
        return label

    def article_label(self, listing: Listing) -> Text:
        """An article's row: unread dot, star, time, title cut to the pane."""
        mark = "★" if listing.starred else ("●" if not listing.read else " ")
        when = labels.local_clock(listing.published)  # blank for a date given without a time
        title = script.convert(listing.title, self.view, self.variant)
        room = max(self.size.width - 16, 12)
        label = Text(f"{mark} ", style="bold" if not listing.read else "dim")
        label.append(f"{when} ", style="dim")
        label.append(cjk.truncate(title, room), style="" if not listing.read else "dim")
        return label

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        """Load a node's children the first time it opens."""
        node = event.node
        data = node.data
        if story_nodes.expand(self, self.library, node, self.view, self.variant):
            return
        if isinstance(data, (OutletNode, DayNode)) and not data.loaded:
            data.loaded = True
            self._load(node)

    @work(thread=True, exit_on_error=False, group="outline")
    def _load(self, node: TreeNode) -> None:
        data = node.data
        if isinstance(data, OutletNode):
            self.post_message(self._Children(node, self.library.days(data.key)))
        elif isinstance(data, DayNode):
            self.post_message(self._Children(node, self.library.day_listings(data.outlet, data.day)))

    def on_outline__children(self, message: _Children) -> None:
        """Put a node's loaded children in."""
        if isinstance(message.node.data, OutletNode):
            self._fill_days(message.node, message.rows)
        else:
            self._fill_articles(message.node, message.rows)

    def _fill_days(self, node: TreeNode, days: list) -> None:
        outlet = node.data
        assert isinstance(outlet, OutletNode)
        node.remove_children()
        outlet.unread = sum(unread for _day, _count, unread in days)
        outlet.count = sum(count for _day, count, _unread in days)
        node.set_label(self._outlet_label(outlet))
        for day, count, unread in days:
            data = DayNode(outlet.key, day, count, unread)
            child = node.add(self._day_label(data), data)
            child.add_leaf(Text("loading…", style="dim"))
        self.post_message(self.Loaded(node))

    def _fill_articles(self, node: TreeNode, listings: list[Listing]) -> None:
        day = node.data
        assert isinstance(day, DayNode)
        node.remove_children()
        unread = sum(not listing.read for listing in listings)
        day = node.data
        assert isinstance(day, DayNode)
        outlet = node.parent
        if outlet is not None and isinstance(outlet.data, OutletNode):
            outlet.data.unread = max(outlet.data.unread - (day.unread - unread), 0)
            outlet.set_label(self._outlet_label(outlet.data))
        day.unread = unread
        node.set_label(self._day_label(day))
        for listing in listings:
            node.add_leaf(self.article_label(listing), listing)
        self.post_message(self.Loaded(node))

    class Loaded(Message):
        """A node's children arrived."""

        def __init__(self, node: TreeNode) -> None:
            super().__init__()
            self.node = node

    # -- finding and marking -------------------------------------------------------------

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        """Enter or click on an article opens it."""
        if isinstance(event.node.data, Listing):
            event.stop()
            self.post_message(ArticleChosen(event.node.data.id))

    def total(self) -> int:
        """How many articles the outlets hold."""
        return sum(node.data.count for node in self.root.children if isinstance(node.data, OutletNode))

    def mark_read(self, listing: Listing) -> None:
        """An unread article was just read: its row, and the unread counts of its day and
        outlet, whether or not they are loaded."""
        read = replace(listing, read=True)
        leaf = self.find_article(listing.id)
        if leaf is not None:
            leaf.data = read
            leaf.set_label(self.article_label(read))
        day = listing.published.astimezone().date() if listing.published else None
        for outlet in self.root.children:
            if not (isinstance(outlet.data, OutletNode) and outlet.data.key == listing.outlet):
                continue
            outlet.data.unread = max(outlet.data.unread - 1, 0)
            outlet.set_label(self._outlet_label(outlet.data))
            for day_node in outlet.children:
                if isinstance(day_node.data, DayNode) and day_node.data.day == day:
                    day_node.data.unread = max(day_node.data.unread - 1, 0)
                    day_node.set_label(self._day_label(day_node.data))

    def find_article(self, article_id: str) -> TreeNode | None:
        """The loaded node of an article, if its day is open."""
        for outlet in self.root.children:
            for day in outlet.children:
                for leaf in day.children:
                    if isinstance(leaf.data, Listing) and leaf.data.id == article_id:
                        return leaf
        return None

    def update_listing(self, listing: Listing) -> None:
        """Refresh an article's row (read, starred) where it is loaded (and the counts when
        it was just read)."""
        node = self.find_article(listing.id)
        if node is None:
            return
        if isinstance(node.data, Listing) and not node.data.read and listing.read:
            self.mark_read(node.data)
        node.data = listing
        node.set_label(self.article_label(listing))

    def set_view(self, view: View) -> None:
        """Relabel every loaded node in another script."""
        self.view = view
        for outlet in self.root.children:
            if isinstance(outlet.data, OutletNode):
                outlet.set_label(self._outlet_label(outlet.data))
            for day in outlet.children:
                for leaf in day.children:
                    if isinstance(leaf.data, Listing):
                        leaf.set_label(self.article_label(leaf.data))

    def reveal(self, listing: Listing) -> None:
        """Open the outlet and day of an article and put the cursor on it (as they load)."""
        self._pending_reveal = listing
        self._continue_reveal(self.root)

    def _leads_to(self, data: object, listing: Listing) -> bool:
        """Whether a node's data is the article, or the outlet or day that holds it."""
        if isinstance(data, Listing):
            return data.id == listing.id
        if isinstance(data, OutletNode):
            return data.key == listing.outlet
        if isinstance(data, DayNode):
            return data.day == (listing.published.astimezone().date() if listing.published else None)
        return False

    def _continue_reveal(self, node: TreeNode) -> None:
        """Walk down from ``node`` towards the pending article, expanding what is closed;
        a node whose children are still loading resumes the walk in :meth:`on_outline_loaded`."""
        listing = self._pending_reveal
        while listing is not None:
            child = next((c for c in node.children if self._leads_to(c.data, listing)), None)
            if child is None:
                return
            if isinstance(child.data, Listing):
                self.move_cursor(child)
                self.scroll_to_node(child, animate=False)
                self._pending_reveal = None
                return
            if not child.is_expanded:
                child.expand()  # its children load in a worker; Loaded continues from it
                return
            node = child

    def on_outline_loaded(self, event: Outline.Loaded) -> None:
        """Continue a reveal once the children it waits for are there."""
        self._continue_reveal(event.node)
