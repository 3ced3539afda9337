"""Coverage of a search over time: one row per outlet, a sparkline of its matching articles.

Enter on an outlet's row lists that outlet's hits below; enter on a hit opens it (the
screen closes with its id).
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from newsreader import labels, outlets, script
from newsreader.model import View
from newsreader.store.library import Library
from newsreader.stories.coverage import span
from newsreader.tui import actions

HITS_LIMIT = 200


def bucket_size(first: str, last: str) -> str:
    """Days for up to two months of hits, ISO weeks for up to two years, else months."""
    from datetime import date

    days = (date.fromisoformat(last) - date.fromisoformat(first)).days
    return "day" if days <= 62 else "week" if days <= 730 else "month"


BARS = "▁▂▃▄▅▆▇█"
NAME_CELLS = 18
TOTAL_CELLS = 7


def spark(series: list[int], width: int) -> Text:
    """A sparkline of ``series`` in ``width`` cells: each cell the largest count of the buckets it
    covers (a bucket spread over several cells when there are fewer buckets than cells), as one
    of eight bars scaled to the row's largest count; a cell with no article is a dim floor."""
    out = Text()
    if width <= 0 or not series:
        return out
    cells = []
    for cell in range(width):
        low = cell * len(series) // width
        high = max(low + 1, (cell + 1) * len(series) // width)
        cells.append(max(series[low:high]))
    top = max(cells) or 1
    run, style = "", ""
    for value in cells:  # one append per run of a style
        bar, kind = (BARS[min(len(BARS) - 1, -(-value * len(BARS) // top) - 1)], "green") if value else (BARS[0], "dim")
        if kind != style and run:
            out.append(run, style=style)
            run = ""
        run, style = run + bar, kind
    out.append(run, style=style)
    return out


class _RowLine:
    """One outlet's line, drawn to the width it is given: name, sparkline, total."""

    def __init__(self, name: str, series: list[int], total: int) -> None:
        self.name, self.series, self.total = name, series, total

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        name = Text(self.name)
        name.truncate(NAME_CELLS - 1, overflow="ellipsis", pad=True)
        line = name + Text(" ") + spark(self.series, width - NAME_CELLS - TOTAL_CELLS)
        line.append(f"{self.total:>{TOTAL_CELLS}}")
        line.no_wrap = True
        yield line


class OutletRow(Option):
    """One outlet: its name, a sparkline of its hits per bucket, and its total, as one option of
    the pane's single OptionList (a ListItem + Static widget per outlet cost Textual ~5 ms a row
    to mount and lay out: 20 outlets took the pane over 200 ms)."""

    def __init__(self, key: str, name: str, series: list[int], total: int) -> None:
        super().__init__(_RowLine(name, series, total), id=key)
        self.key = key
        self.outlet_name = name
        self.series = series
        self.total = total


class CoverageScreen(ModalScreen[str | None]):
    """The coverage of one query; dismisses with the id of a hit to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = actions.bindings("coverage")

    DEFAULT_CSS = """
    CoverageScreen { align: center middle; background: $background; }
    #coverage-box { width: 95%; height: 90%; border: round $accent; padding: 0 1; background: $surface; }
    #coverage-rows { height: 1fr; }
    #coverage-hits { height: 1fr; display: none; }
    """

    def __init__(self, library: Library, query: str, view: View, variant: str) -> None:
        super().__init__()
        self.library = library
        self.query_text = query
        self.view = view
        self.variant = variant
        self.data: dict = {}
        self.buckets: list[str] = []
        self.rows: list[OutletRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="coverage-box"):
            yield Label("", id="coverage-title")
            yield OptionList(id="coverage-rows")
            yield OptionList(id="coverage-hits")
            yield Label(Text("enter on an outlet lists its hits · enter on a hit opens it · esc closes", style="dim"))

    def on_mount(self) -> None:
        """Count and draw."""
        data = self.library.coverage(self.query_text)
        days = [d for buckets in data["outlets"].values() for d in buckets]
        by = bucket_size(min(days), max(days)) if days else "day"
        if by != "day":
            data = self.library.coverage(self.query_text, by=by)
        self.data = data
        self.buckets = span([b for buckets in data["outlets"].values() for b in buckets], by)
        first, last = (self.buckets[0], self.buckets[-1]) if self.buckets else ("", "")
        title = Text(f"Coverage of {self.query_text!r}: ", style="bold")
        title.append(f"{labels.count(data['total'], 'article')}, {labels.count(len(data['outlets']), 'outlet')}, "
                     f"by {by}  {first} … {last}",
                     style="dim")
        self.query_one("#coverage-title", Label).update(title)
        rows = self.query_one("#coverage-rows", OptionList)
        for key, counts in data["outlets"].items():
            series = [counts.get(b, 0) for b in self.buckets]
            self.rows.append(OutletRow(key, outlets.get(key).name(self.view), series, sum(series)))
        rows.add_options(self.rows)
        if self.rows:
            rows.highlighted = 0
        rows.focus()

    def _list_hits(self, item: OutletRow) -> None:
        """List the hits of the outlet of ``item`` below the rows."""
        hits = self.library.search(self.query_text, outlet=item.key, limit=HITS_LIMIT)
        box = self.query_one("#coverage-hits", OptionList)
        box.clear_options()
        options = []
        for hit in hits:
            row = Text(f"{labels.local_day(hit.listing.published)}  ", style="dim")
            row.append(script.convert(hit.listing.title, self.view, self.variant))
            options.append(Option(row, id=hit.listing.id))
        box.add_options(options)
        box.display = True
        if hits:
            box.highlighted = 0
        box.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an outlet lists its hits; enter on a hit opens it."""
        event.stop()
        if isinstance(event.option, OutletRow):
            self._list_hits(event.option)
        elif event.option.id:
            self.dismiss(event.option.id)
