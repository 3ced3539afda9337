"""Every action of the app in one table: the bindings, the help screen and the command
palette are all built from it.

To add a key: add one :class:`Action` row (its ``scope`` says which class binds it) and an
``action_<name>`` method on that class. The ``id`` is what a user's ``[keys]`` table in
``config.toml`` rebinds (``"app.next" = "n,J"``), and ``?`` shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True)
class Action:
    """One thing the user can do, with its default keys."""

    id: str
    """The binding id a keymap rebinds (``app.next``)."""
    keys: str
    """Default keys, comma-separated (``j,down``)."""
    action: str
    """The action the key runs on its scope's class (``next_article``, ``scroll_down``)."""
    description: str
    """A short name for the footer and the help screen."""
    scope: str
    """Which class binds it: ``app``, ``main`` (the main screen), ``tree``, ``reader``."""
    help: str
    """What ``?`` says it does."""
    palette: str = ""
    """``area: verb`` in the command palette; empty when the palette leaves it out."""
    show: bool = True
    """Whether the footer shows it."""


ACTIONS: tuple[Action, ...] = (
    # the main screen: moving between articles, script, media, search
    Action("app.next", "n", "next_article", "Next", "main", "next article (in search: the next result; in a story opened with c or from the tree: its next article)",
           palette="article: next"),
    Action("app.previous", "p", "previous_article", "Prev", "main",
           "previous article (in search: the previous result; in a story: its previous article)", palette="article: previous"),
    Action("app.script", "t", "toggle_script", "Script", "main",
           "script: original → simplified → traditional, the whole screen",
           palette="script: cycle original / simplified / traditional"),
    Action("app.media", "m", "media", "Media", "main",
           "media and links of the article, numbered as in the text ([3]); 1–9 opens one",
           palette="article: media and links"),
    Action("app.open", "o", "open_article", "Open", "main", "open the article's own URL",
           palette="article: open in browser"),
    Action("app.search", "slash", "search", "Search", "main", "search titles and text, either script",
           palette="search: find articles"),
    Action("app.story", "c", "story", "Story", "main",
           "the story of this article: every outlet's article side by side, related stories",
           palette="article: the story across outlets"),
    Action("app.edition", "e", "edition", "Edition", "main",
           "switch to this article's other edition (simplified ↔ traditional)",
           palette="article: switch edition 简/繁", show=False),
    Action("app.coverage", "C", "coverage", "Coverage", "main",
           "coverage of the current search: one row per outlet over time",
           palette="search: coverage over time", show=False),
    Action("app.star", "s", "toggle_star", "Star", "main", "star / unstar the article",
           palette="article: star or unstar"),
    # the reading workflow (tui/screens/reading.py)
    Action("app.next_unread", "u", "next_unread", "Unread", "main",
           "the next unread article, across days and outlets in list order (in search: the next unread result)",
           palette="article: next unread"),
    Action("app.read", "r", "toggle_read", "Read", "main", "mark the article read / unread",
           palette="article: mark read or unread", show=False),
    Action("app.mark_read", "A", "mark_node_read", "All read", "main",
           "mark everything under the selected tree node read (outlet, year, month, day, story)",
           palette="tree: mark everything under the node read", show=False),
    Action("app.view", "v", "cycle_show", "View", "main",
           "view: all → unread only → starred only (the tree and search results follow)",
           palette="view: all / unread only / starred only"),
    Action("app.zoom", "z", "zoom", "Zoom", "main", "zoom: the reader alone at full width; again to come back",
           palette="reader: zoom to full width and back"),
    *(Action(f"app.link{digit}", str(digit), f"link_digit({digit})", f"Link {digit}", "main",
             f"open medium or link {digit} of the m list (two digits quickly: 12)" if digit else
             "a 0 after a digit: medium or link 10, 20 …", show=False) for digit in range(10)),
    Action("app.back", "escape", "leave_search", "Back", "main", "leave search, back to the tree where you were",
           show=False),
    Action("app.reindex", "ctrl+r", "reindex", "Re-index", "main", "read the sources' changed files now",
           palette="app: re-index sources", show=False),
    # the app: help, palette, theme, quit
    Action("app.help", "question_mark", "help", "Help", "app", "this help: every key and its id",
           palette="app: help (every key)"),
    Action("app.palette", "ctrl+p", "command_palette", "Palette", "app",
           "command palette: every action, articles by title", show=False),
    Action("app.theme", "ctrl+t", "change_theme", "Theme", "app", "pick a theme (remembered)",
           palette="app: change theme", show=False),
    Action("app.quit", "q", "quit", "Quit", "app", "quit", palette="app: quit"),
    # the tree
    Action("tree.down", "j,down", "cursor_down", "Down", "tree", "next row", show=False),
    Action("tree.up", "k,up", "cursor_up", "Up", "tree", "previous row", show=False),
    Action("tree.select", "enter", "select_cursor", "Open", "tree",
           "open the article; open or close an outlet or day", show=False),
    # the reader
    Action("reader.down", "j,down", "scroll_down", "Down", "reader", "scroll down a line", show=False),
    Action("reader.up", "k,up", "scroll_up", "Up", "reader", "scroll up a line", show=False),
    Action("reader.page_down", "space,pagedown", "page_down", "Page down", "reader",
           "page down; at the end of the article, on to the next unread one", show=False),
    Action("reader.page_up", "b,pageup", "page_up", "Page up", "reader", "page up", show=False),
    Action("reader.top", "g,home", "top", "Top", "reader", "top of the article", show=False),
    Action("reader.bottom", "G,end", "bottom", "Bottom", "reader", "end of the article", show=False),
    # the screens over the main one
    Action("media.close", "escape,q,m", "dismiss(None)", "Close", "media", "close the media list"),
    *(Action(f"media.open{n}", str(n), f"pick({n})", f"Open {n}", "media",
             f"open entry {n} of the media list", show=False) for n in range(1, 10)),
    Action("story.close", "escape,q,c", "dismiss(None)", "Close", "story", "close the story"),
    Action("story.script", "t", "toggle_script", "Script", "story",
           "script: original → simplified → traditional, the story and the screen below"),
    Action("coverage.close", "escape,q,C", "dismiss(None)", "Close", "coverage", "close the coverage"),
    Action("help.close", "escape,q,question_mark", "dismiss", "Close", "help", "close this help"),
)

ACTION_IDS = frozenset(action.id for action in ACTIONS)


def bindings(scope: str) -> list[BindingType]:
    """The bindings of one scope, for a class's ``BINDINGS``."""
    return [Binding(a.keys, a.action, a.description, show=a.show, id=a.id)
            for a in ACTIONS if a.scope == scope]


def palette_actions() -> list[Action]:
    """The actions the command palette offers, in table order."""
    return [a for a in ACTIONS if a.palette]


def unknown_ids(keymap: dict[str, str]) -> list[str]:
    """The ids of a user keymap that name no action (each is worth a warning)."""
    return sorted(binding_id for binding_id in keymap if binding_id not in ACTION_IDS)
