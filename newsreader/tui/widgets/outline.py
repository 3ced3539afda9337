"""The left pane: outlet → (year →) month → day → articles, newest first, loaded lazily.

Nothing holds every article: outlets are loaded at start, a node's children when it is
expanded (each in a thread worker, with a "loading…" child meanwhile). An outlet whose
articles span more than two years shows years above its months, so nine years of posts
are nine rows, not 770. Every count comes from the library (``store/outline.py``), the
one source the header and ``newsreader outlets`` use too; after reading, starring or
marking, :meth:`Outline.refresh_counts` asks it again for every loaded node. The view
(all, unread only, starred only) decides which nodes and articles are listed and which
number a node shows. Labels are plain ``Text`` — titles never become markup.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.style import Style
from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from newsreader import cjk, labels, outlets, script
from newsreader.model import View
from newsreader.store.library import Library
from newsreader.store.outline import Counts, OutletCount, Period, Scope, Show
from newsreader.store.records import Listing
from newsreader.tui import actions
from newsreader.tui.messages import ArticleChosen
from newsreader.tui.widgets import story_nodes


@dataclass
class OutletNode:
    """Tree data of an outlet."""

    outlet: OutletCount
    counts: Counts
    loaded: bool = False

    @property
    def scope(self) -> Scope:
        """All of the outlet's articles."""
        return self.outlet.scope


@dataclass
class PeriodNode:
    """Tree data of a year, month or day of one outlet (or its undated articles)."""

    period: Period
    counts: Counts
    loaded: bool = False

    @property
    def scope(self) -> Scope:
        """The period's articles."""
        return self.period.scope

    @property
    def holds_articles(self) -> bool:
        """Whether its children are articles (a day, or the undated ones)."""
        return self.period.scope.level in ("day", "undated")


GroupNode = OutletNode | PeriodNode


class Outline(Tree):
    """Outlets and their periods with their articles, under a view (all, unread, starred)."""

    BINDINGS = actions.bindings("tree")

    class Loaded(Message):
        """A node's children arrived."""

        def __init__(self, node: TreeNode) -> None:
            super().__init__()
            self.node = node

    class CountsChanged(Message):
        """The totals over every outlet, freshly counted (for the header)."""

        def __init__(self, total: Counts) -> None:
            super().__init__()
            self.total = total

    class _Outlets(Message):
        """The outlets a worker loaded (and the totals over all of them)."""

        def __init__(self, counts: list[OutletCount], total: Counts, show: Show) -> None:
            super().__init__()
            self.counts = counts
            self.total = total
            self.show = show

    class _Children(Message):
        """The periods or articles a worker loaded for a node."""

        def __init__(self, node: TreeNode, rows: list, show: Show) -> None:
            super().__init__()
            self.node = node
            self.rows = rows
            self.show = show

    class _Recounted(Message):
        """Fresh counts for loaded nodes: outlet keys and scopes → counts."""

        def __init__(self, counts: dict[object, Counts], total: Counts) -> None:
            super().__init__()
            self.counts = counts
            self.total = total

    def __init__(self, library: Library, variant: str = "tw", **kwargs) -> None:
        super().__init__("outlets", **kwargs)
        self.library = library
        self.variant = variant
        self.view = View.ORIGINAL
        self.show = Show.ALL
        self.show_root = False
        self.guide_depth = 2
        self.outlet_order: list[str] = []
        """Outlet keys in list order (by their newest article), whatever the view shows."""
        self.totals = Counts()
        """Articles, unread and starred over every outlet, as last counted."""
        self._pending_reveal: Listing | None = None
        self._keep_open: set[object] = set()
        """Outlet keys and scopes to open again as a reload brings them back."""
        self.sticky: dict[str, Listing] = {}
        """Articles the view no longer admits (read in the unread view, unstarred in the
        starred one) that stay listed until the view changes, so the cursor keeps its place."""

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Rebuild the outlets from the cache (at start, after indexing, in another view), in
        a worker; the nodes that were open open again."""
        self._keep_open = {self._key(node) for node in self._walk() if node.is_expanded}
        if not self.root.children:
            self.root.add_leaf(Text("loading…", style="dim"))
        self._load_outlets(self.show)

    @work(thread=True, exit_on_error=False, exclusive=True, group="outlets")
    def _load_outlets(self, show: Show) -> None:
        every = self.library.outlet_counts()
        total = Counts(sum(o.count for o in every), sum(o.unread for o in every), sum(o.starred for o in every))
        self.post_message(self._Outlets(every, total, show))

    def on_outline__outlets(self, message: _Outlets) -> None:
        """Put the outlets in, opening again the ones that were open."""
        if message.show is not self.show:
            return
        self.clear()
        self.outlet_order = [outlet.key for outlet in message.counts]
        for outlet in message.counts:
            if not self._admits(outlet.counts, outlet.scope):
                continue
            data = OutletNode(outlet, outlet.counts)
            node = self.root.add(self._label(data), data, expand=False)
            node.add_leaf(Text("loading…", style="dim"))
            if outlet.key in self._keep_open:
                node.expand()
        if not self.root.children:
            empty = {Show.ALL: "No articles yet: run `newsreader index PATH`",
                     Show.UNREAD: "Nothing unread (v: another view)",
                     Show.STARRED: "Nothing starred yet: s stars an article (v: another view)"}[self.show]
            self.root.add_leaf(Text(empty, style="dim"))
        elif self.show is Show.ALL:
            story_nodes.add_root(self, self.library)
        self.cursor_line = max(self.cursor_line, 0)
        self.totals = message.total
        self.post_message(self.CountsChanged(message.total))
        self.post_message(self.Loaded(self.root))  # resumes a reveal waiting for the outlets

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        """Load a node's children the first time it opens."""
        if story_nodes.expand(self, self.library, event.node, self.view, self.variant):
            return
        data = event.node.data
        if isinstance(data, (OutletNode, PeriodNode)) and not data.loaded:
            data.loaded = True
            self._load(event.node, self.show)

    @work(thread=True, exit_on_error=False, group="outline")
    def _load(self, node: TreeNode, show: Show) -> None:
        data = node.data
        rows: list
        if isinstance(data, OutletNode):
            rows = self.library.periods(data.outlet, None)
        elif isinstance(data, PeriodNode) and data.holds_articles:
            rows = self.library.scope_listings(data.scope)
        elif isinstance(data, PeriodNode):
            rows = self.library.periods(data.scope.outlet or "", data.scope)
        else:
            return
        self.post_message(self._Children(node, rows, show))

    def on_outline__children(self, message: _Children) -> None:
        """Put a node's loaded children in."""
        node = message.node
        if message.show is not self.show or node.tree is not self or not isinstance(
                node.data, (OutletNode, PeriodNode)):
            return
        node.remove_children()
        rows = [row for row in message.rows if (
            self.show.admits(row) or row.id in self.sticky if isinstance(row, Listing)
            else self._admits(row.counts, row.scope))]
        for row in rows:
            if isinstance(row, Listing):
                node.add_leaf(self.article_label(row), row)
            else:
                data = PeriodNode(row, row.counts)
                child = node.add(self._label(data), data)
                child.add_leaf(Text("loading…", style="dim"))
                if row.scope in self._keep_open:
                    child.expand()
        if not rows:
            node.add_leaf(Text("nothing here in this view", style="dim"))
        self.post_message(self.Loaded(node))

    def _admits(self, counts: Counts, scope: Scope) -> bool:
        """Whether the view lists a node: it counts something, or holds a sticky article."""
        return bool(counts.shown(self.show)) or any(scope.holds(listing) for listing in self.sticky.values())

    # -- labels --------------------------------------------------------------------------

    def _label(self, data: GroupNode) -> Text:
        """An outlet's or a period's row: its name, the count the view counts, unread."""
        counts = data.counts
        if isinstance(data, OutletNode):
            label = Text(outlets.get(data.outlet.key).name(self.view), style=Style(bold=True))
        else:
            label = Text(data.period.label())
        if self.show is Show.ALL:
            label.append(f"  {counts.total}", style="dim")
            if counts.unread:
                label.append(f" · {counts.unread} new", style="bold")
        elif self.show is Show.UNREAD:
            label.append(f"  {counts.unread} new", style="bold" if counts.unread else "dim")
        else:
            label.append(f"  {counts.starred} ★", style="dim")
        return label

    def article_label(self, listing: Listing) -> Text:
        """An article's row: unread dot or star, time, title cut to the pane."""
        mark = "★" if listing.starred else ("●" if not listing.read else " ")
        title = script.convert(listing.title, self.view, self.variant)
        room = max(self.size.width - 16, 12)
        label = Text(f"{mark} ", style="bold" if not listing.read else "dim")
        label.append(f"{labels.local_clock(listing.published)} ", style="dim")
        label.append(cjk.truncate(title, room), style="" if not listing.read else "dim")
        return label

    def total(self) -> int:
        """How many articles the outlets hold (as last counted)."""
        return self.totals.total

    # -- walking the loaded tree ---------------------------------------------------------

    def _walk(self, node: TreeNode | None = None) -> list[TreeNode]:
        """Every loaded node below ``node`` (the root by default), depth first, outside the
        Stories node (story_nodes.py keeps its own)."""
        found: list[TreeNode] = []
        stack = list(reversed((node or self.root).children))
        while stack:
            current = stack.pop()
            if isinstance(current.data, story_nodes.StoriesNode):
                continue
            found.append(current)
            stack.extend(reversed(current.children))
        return found

    @staticmethod
    def _key(node: TreeNode) -> object:
        data = node.data
        if isinstance(data, OutletNode):
            return data.outlet.key
        if isinstance(data, PeriodNode):
            return data.scope
        return None

    def find_article(self, article_id: str) -> TreeNode | None:
        """The loaded node of an article, if its day is open."""
        return next((n for n in self._walk() if isinstance(n.data, Listing) and n.data.id == article_id), None)

    def selected_scope(self) -> Scope | None:
        """The articles under the cursor's node: an outlet, a period, or the day of an article."""
        node = self.cursor_node
        while node is not None and not isinstance(node.data, (OutletNode, PeriodNode)):
            node = node.parent
        return node.data.scope if node is not None and isinstance(node.data, (OutletNode, PeriodNode)) else None

    def selected_story(self) -> str | None:
        """The id of the story under the cursor (on a story or one of its articles), if any."""
        node = self.cursor_node
        while node is not None:
            if isinstance(node.data, story_nodes.StoryNode):
                return node.data.story.id
            node = node.parent
        return None

    # -- following what the user does ----------------------------------------------------

    def update_listing(self, listing: Listing) -> None:
        """Show an article's new flags (read, starred) where it is loaded, then count again."""
        node = self.find_article(listing.id)
        if not self.show.admits(listing):
            self.sticky[listing.id] = listing
        if node is not None:
            node.data = listing
            node.set_label(self.article_label(listing))
        self.refresh_counts()

    def mark_scope_read(self, scope: Scope | None, article_ids: list[str] | None = None) -> None:
        """Every loaded article of ``scope`` (or of ``article_ids``) now reads as read; then
        count again."""
        ids = set(article_ids or [])
        for node in self._walk():
            if isinstance(node.data, Listing) and not node.data.read and (
                    node.data.id in ids if scope is None else scope.holds(node.data)):
                listing = replace(node.data, read=True)
                if not self.show.admits(listing):
                    self.sticky[listing.id] = listing
                node.data = listing
                node.set_label(self.article_label(listing))
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Ask the library again for the counts of every loaded outlet and period (in a worker)."""
        scopes = [n.data.scope for n in self._walk() if isinstance(n.data, PeriodNode)]
        self._recount(scopes)

    @work(thread=True, exit_on_error=False, exclusive=True, group="recount")
    def _recount(self, scopes: list[Scope]) -> None:
        every = self.library.outlet_counts()
        found: dict[object, Counts] = {o.key: o.counts for o in every}
        for scope in scopes:
            found[scope] = self.library.counts(scope)
        total = Counts(sum(o.count for o in every), sum(o.unread for o in every), sum(o.starred for o in every))
        self.post_message(self._Recounted(found, total))

    def on_outline__recounted(self, message: _Recounted) -> None:
        """Relabel every loaded outlet and period with its fresh counts."""
        for node in self._walk():
            if isinstance(node.data, (OutletNode, PeriodNode)):
                fresh = message.counts.get(self._key(node))
                if fresh is not None and fresh != node.data.counts:
                    node.data.counts = fresh
                    node.set_label(self._label(node.data))
        self.totals = message.total
        self.post_message(self.CountsChanged(message.total))

    def set_view(self, view: View) -> None:
        """Relabel every loaded node in another script."""
        self.view = view
        for node in self._walk():
            if isinstance(node.data, (OutletNode, PeriodNode)):
                node.set_label(self._label(node.data))
            elif isinstance(node.data, Listing):
                node.set_label(self.article_label(node.data))

    def set_show(self, show: Show, keep: Listing | None = None) -> None:
        """List only what a view shows (all, unread, starred), keeping open what was open,
        and ``keep`` (the article open) listed whatever its flags."""
        self.show = show
        self.sticky = {keep.id: keep} if keep is not None and not show.admits(keep) else {}
        self.reload()

    # -- revealing an article ------------------------------------------------------------

    def reveal(self, listing: Listing) -> None:
        """Open the outlet and periods of an article and put the cursor on it (as they load)."""
        self._pending_reveal = listing
        self._continue_reveal(self.root)

    @staticmethod
    def _leads_to(data: object, listing: Listing) -> bool:
        """Whether a node's data is the article, or an outlet or period that holds it."""
        if isinstance(data, Listing):
            return data.id == listing.id
        if isinstance(data, (OutletNode, PeriodNode)):
            return data.scope.holds(listing)
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

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        """Enter or click on an article opens it."""
        if isinstance(event.node.data, Listing):
            event.stop()
            parent = event.node.parent
            story: tuple[str, ...] = ()
            if parent is not None and isinstance(parent.data, story_nodes.StoryNode):
                story = tuple(child.data.id for child in parent.children if isinstance(child.data, Listing))
            self.post_message(ArticleChosen(event.node.data.id, story=story))
