"""SVG snapshots of the main screens at a fixed size (pytest-textual-snapshot).

After a deliberate change of looks: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from newsreader.store.library import Library
from newsreader.tui.app import NewsReaderApp

SIZE = (110, 32)
OPEN_DW = ["enter", "down", "enter", "down", "enter", "down", "enter", "n", "n", "n", "n"]


def app() -> NewsReaderApp:
    library = Library()
    library.ensure_indexed()
    reader = NewsReaderApp(library, index_on_start=False)
    reader.opener = lambda url, kind="link": "recorded"
    return reader


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def press_slowly(pilot, *keys: str) -> None:
    """Press keys one by one, letting lazy tree loads finish in between."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


@pytest.mark.parametrize("name, keys", [
    ("main", []),
    ("reader_original", OPEN_DW),
    ("reader_simplified", OPEN_DW + ["t"]),
    ("reader_traditional", [*OPEN_DW, "t", "t"]),
    ("media", OPEN_DW + ["m"]),
    ("help", ["question_mark"]),
])
def test_screen(snap_compare, name: str, keys: list[str]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await press_slowly(pilot, *keys)

    assert snap_compare(app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("name, keys, size", [
    ("unread_view", ["u", "u", "v"], SIZE),  # two read, then only the unread ones listed
    ("starred_view", ["u", "s", "u", "u", "s", "v", "v"], SIZE),
    ("zoomed", [*OPEN_DW, "z"], (80, 24)),  # the reader alone at 80x24, inline link numbers
])
def test_reading_states(snap_compare, name: str, keys: list[str], size: tuple[int, int]):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await press_slowly(pilot, *keys)
        pilot.app.clear_notifications()  # toasts time out: whether one is left depends on speed
        await pilot.pause()

    assert snap_compare(app(), terminal_size=size, run_before=run_before)


def test_long_outlet_years_months_days(snap_compare, long_archive):
    """Nine years of DW: years, then 2024's months, then October's days and articles."""
    library = Library()
    library.index([str(long_archive)])
    reader = NewsReaderApp(library, index_on_start=False)

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press_slowly(pilot, "down", "enter", "down", "enter", "down", "enter", "down", "enter")

    assert snap_compare(reader, terminal_size=SIZE, run_before=run_before)
