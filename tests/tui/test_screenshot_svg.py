"""The README's screenshots place Chinese at its true double width in a browser."""

from __future__ import annotations

import html
import importlib.util
import itertools
import re
from pathlib import Path

from newsreader import cjk
from tests.tui.test_app import make_app, open_first

MAKE = Path(__file__).parents[2] / "screenshots" / "make.py"
RUN = re.compile(r'<text class="[^"]*-r\d+" x="([\d. ]+)" y="[\d.]+"( textLength="[\d.]+")?[^>]*>([^<]*)</text>')


def load_make():
    spec = importlib.util.spec_from_file_location("screenshots_make", MAKE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_every_wide_character_sits_at_its_cell():
    make = load_make()
    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot)
        raw = app.export_screenshot()
    svg = make.cells_in_browsers(raw)
    runs = RUN.findall(svg)
    wide_runs = [(xs, length, html.unescape(text)) for xs, length, text in runs
                 if cjk.cell_len(html.unescape(text)) != len(html.unescape(text))]
    assert len(wide_runs) > 10
    cell = 12.2
    for xs, length, text in wide_runs:
        positions = [float(x) for x in xs.split()]
        assert not length and len(positions) == len(text)  # one x per glyph, no squeezing length
        for (a, b), char in zip(itertools.pairwise(positions), text, strict=False):
            assert abs((b - a) - cell * cjk.char_width(char)) < 0.11
    narrow = [(xs, text) for xs, length, text in runs if cjk.cell_len(html.unescape(text)) == len(html.unescape(text))]
    assert narrow and all(" " not in xs for xs, _text in narrow)  # runs without CJK are left as Textual wrote them
