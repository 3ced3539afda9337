"""Make the README's screenshots from the bundled sample: python screenshots/make.py

Runs the app headless at 120×36 with its own temporary cache and data, so what you
have indexed is never touched, and writes one SVG per screen into this folder.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)


async def shoot() -> list[Path]:
    """Drive the app through its main screens and save each."""
    from newsreader.store.library import Library
    from newsreader.tui.app import NewsReaderApp

    library = Library()
    library.ensure_indexed()
    app = NewsReaderApp(library, index_on_start=False)
    app.opener = lambda url, kind="link": "recorded"
    written: list[Path] = []

    def save(name: str) -> None:
        path = HERE / f"{name}.svg"
        path.write_text(cells_in_browsers(app.export_screenshot(title=f"newsreader — {name}")), encoding="utf-8")
        written.append(path)

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        save("main")
        await pilot.press("enter")  # the first outlet, its month, its day, its article
        for _level in ("month", "day", "article"):
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("down", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(4):  # the DW article: traditional script, videos and links
            await pilot.press("n")
        await pilot.pause()
        save("reader-original")
        await pilot.press("t")
        await pilot.pause()
        save("reader-simplified")
        await pilot.press("t")
        await pilot.pause()
        save("reader-traditional")
        await pilot.press("t", "m")
        await pilot.pause()
        save("media")
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        save("help")
        await pilot.press("escape", "slash", *"習近平", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        save("search")
    library.close()
    return written


_TEXT = re.compile(r'(<text class="[^"]*-r\d+") x="([\d.]+)" (y="[\d.]+") textLength="([\d.]+)"([^>]*>)([^<]*)</text>')


def cells_in_browsers(svg: str) -> str:
    """Textual's SVG with every run that holds a wide (CJK) character placed glyph by glyph.

    The export sizes a run by its characters (``textLength``), not its terminal cells, so a
    browser squeezed Chinese to half width and overlapped it. Each such run gets one x per
    character, at its cell, and no ``textLength``: the glyphs sit where the terminal puts them.
    """
    from newsreader import cjk

    narrow = [float(m.group(4)) / len(html.unescape(m.group(6))) for m in _TEXT.finditer(svg)
              if m.group(6) and cjk.cell_len(html.unescape(m.group(6))) == len(html.unescape(m.group(6)))]
    if not narrow:
        return svg
    cell = min(narrow)

    def place(match: re.Match) -> str:
        start, x, y, _length, rest, content = match.groups()
        text = html.unescape(content)
        if cjk.cell_len(text) == len(text):
            return match.group(0)
        positions, at = [], float(x)
        for char in text:
            positions.append(f"{at:.1f}")
            at += cell * cjk.char_width(char)
        return f'{start} x="{" ".join(positions)}" {y}{rest}{content}</text>'

    return _TEXT.sub(place, svg)


def main() -> None:
    """Point the XDG dirs at a temporary folder and shoot."""
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(Path(tmp) / name.lower())
        os.environ["TZ"] = "UTC"
        time.tzset()
        for path in asyncio.run(shoot()):
            print(path.relative_to(HERE.parent), file=sys.stderr)


if __name__ == "__main__":
    main()
