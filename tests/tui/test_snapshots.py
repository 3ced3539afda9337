"""SVG snapshots of the main screens at a fixed size (pytest-textual-snapshot).

After a deliberate change of looks: pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from newsreader.store.library import Library
from newsreader.tui.app import NewsReaderApp

SIZE = (110, 32)
OPEN_DW = ["enter", "down", "enter", "down", "enter", "n", "n", "n", "n"]


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
