"""Every key binding with the id that rebinds it, read from the live bindings (so a user's
``[keys]`` table shows as it is)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from newsreader.tui import actions
from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView

SCOPE_TITLES = {"app": "Everywhere", "main": "Reading and searching", "tree": "In the tree",
                "reader": "In the reader", "media": "In the media list", "story": "In a story",
                "coverage": "In a search's coverage", "help": "In this help"}


def live_keys(app, nodes: dict[str, DOMNode]) -> dict[str, list[Binding]]:
    """For each action id, the bindings in force now: each scope's bindings with the app's
    keymap applied, as Textual applies it when a key is pressed."""
    keymap = getattr(app, "_keymap", {})
    found: dict[str, list[Binding]] = {}
    for scope in dict.fromkeys(action.scope for action in actions.ACTIONS):
        node = nodes.get(scope)  # a screen not open now: its class's bindings
        bindings_map = node._bindings.copy() if node is not None else BindingsMap(actions.bindings(scope))
        if keymap:
            bindings_map.apply_keymap(keymap)
        for _key, binding in bindings_map:
            if binding.id in actions.ACTION_IDS:
                found.setdefault(binding.id, []).append(binding)
    return found


def binding_table(app, nodes: dict[str, DOMNode]) -> Table:
    """Keys, what they do and their ids, scope by scope, in the order of the action table."""
    live = live_keys(app, nodes)
    table = Table(show_header=True, box=None, padding=(0, 2), header_style="bold")
    table.add_column(Text("keys"), style="bold", no_wrap=True)
    table.add_column(Text("does"))
    table.add_column(Text("id (config.toml [keys])"), style="dim", no_wrap=True)
    scope = ""
    for action in actions.ACTIONS:
        if action.scope != scope:
            scope = action.scope
            table.add_row(Text(), Text(SCOPE_TITLES.get(scope, scope), style="bold italic"), Text())
        keys = " ".join(dict.fromkeys(app.get_key_display(b) for b in live.get(action.id, [])))
        table.add_row(Text(keys or "(none)"), Text(action.help), Text(action.id))
    return table


class HelpScreen(ModalScreen[None]):
    """The bindings of the app, in a table."""

    BINDINGS: ClassVar[list[BindingType]] = actions.bindings("help")

    def compose(self) -> ComposeResult:
        main = getattr(self.app, "main", None)
        nodes: dict[str, DOMNode] = {"app": self.app, "help": self}
        if main is not None and main.is_mounted:
            nodes.update(main=main, tree=main.query_one(Outline), reader=main.query_one(ArticleView))
        with VerticalScroll(id="help-box"):
            yield Static(Text("newsreader — keys", style="bold"))
            yield Static(binding_table(self.app, nodes))
            yield Static(Text("tab / shift+tab switch panes; ctrl+p finds any action and articles by title. "
                              "Rebind in config.toml: [keys] \"app.next\" = \"n,J\". Media open in $BROWSER, or "
                              "in the program config.toml names (openers.video = \"mpv\"). esc closes this help.",
                              style="dim"))
