"""Every key binding, in one screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, str]] = [
    ("↑ ↓ / j k", "move in the list; scroll in the reader"),
    ("enter", "open the selected article"),
    ("tab / shift+tab", "switch panes"),
    ("n / p", "next / previous article (or search result)"),
    ("space, b, page up/down", "scroll the reader"),
    ("g / G", "top / bottom of the article"),
    ("t", "script: original → simplified → traditional"),
    ("m", "media and links; enter or 1–9 opens one"),
    ("o", "open the article's own URL"),
    ("/", "search titles and text, either script"),
    ("esc", "leave search, back to the outlets"),
    ("s", "star / unstar"),
    ("ctrl+p", "command palette: every action, article titles"),
    ("?", "this help"),
    ("q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    """The bindings of the app, in a table."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table(title="newsreader — keys", show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for key, action in KEYS:
            table.add_row(Text(key), Text(action))
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(Text("Media open in $BROWSER, or in the program config.toml names "
                              "(openers.video = \"mpv\"). esc closes this help.", style="dim"))
