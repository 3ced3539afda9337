"""The tree's "Stories" node: each local day's multi-outlet stories, each story's articles.

Kept apart from the outline's own nodes: the outline calls :func:`add_root` when it builds
its top level and :func:`expand` when a node opens; everything else (loading in a worker,
labels) is here. Article leaves carry a ``Listing``, so enter opens them as anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from newsreader import cjk, outlets, script
from newsreader.model import View
from newsreader.store.library import Library
from newsreader.stories.queries import Story


@dataclass
class StoriesNode:
    """Tree data of the top "Stories" node."""

    count: int
    loaded: bool = False


@dataclass
class StoryDayNode:
    """Tree data of one local day's stories."""

    day: date
    count: int
    loaded: bool = False


@dataclass
class StoryNode:
    """Tree data of one story."""

    story: Story
    loaded: bool = False


def _loading(node: TreeNode) -> None:
    node.add_leaf(Text("loading…", style="dim"))


def add_root(tree: Tree, library: Library) -> None:
    """Put a "Stories" node after the outlets when the cache has multi-outlet stories."""
    count = library.db.execute("SELECT count(*) FROM stories WHERE outlet_count >= 2").fetchone()[0]
    if not count:
        return
    label = Text("Stories", style=Style(bold=True))
    label.append(f"  {count}", style="dim")
    node = tree.root.add(label, StoriesNode(count), expand=False)
    _loading(node)


def expand(tree: Tree, library: Library, node: TreeNode, view: View, variant: str) -> bool:
    """Load a story node's children the first time it opens; False for nodes not of stories."""
    data = node.data
    if not isinstance(data, (StoriesNode, StoryDayNode, StoryNode)):
        return False
    if data.loaded:
        return True
    data.loaded = True

    def load() -> None:
        if isinstance(data, StoriesNode):
            rows: list = library.story_days()
        elif isinstance(data, StoryDayNode):
            rows = library.day_stories(data.day)
        else:
            rows = [m.listing for m in library.story(data.story.id)[1]]
        tree.app.call_from_thread(_fill, tree, node, rows, view, variant)

    tree.run_worker(load, thread=True, exit_on_error=False, group="stories")
    return True


def _fill(tree: Tree, node: TreeNode, rows: list, view: View, variant: str) -> None:
    node.remove_children()
    data = node.data
    width = max(tree.size.width - 14, 12)
    if isinstance(data, StoriesNode):
        for day, count in rows:
            label = Text(day.isoformat())
            label.append(f"  {count}", style="dim")
            _loading(node.add(label, StoryDayNode(day, count)))
    elif isinstance(data, StoryDayNode):
        for story in rows:
            title = cjk.truncate(script.convert(story.title, view, variant), width - 8)
            label = Text(title)
            label.append(f"  {len(story.outlets)}·{story.articles}", style="dim")
            _loading(node.add(label, StoryNode(story)))
    else:
        for listing in rows:
            label = Text(outlets.get(listing.outlet).name(view), style="italic")
            label.append(" " + cjk.truncate(script.convert(listing.title, view, variant), width - 10))
            node.add_leaf(label, listing)
