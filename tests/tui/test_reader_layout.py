"""The reader: a hierarchy (bold headline, dim byline, one bullet per list item) and no
freeze on giant or pathological articles (every UI-thread step well under a budget)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsreader.model import View
from newsreader.store.library import Library
from newsreader.tui import article_layout, layout
from newsreader.tui.app import NewsReaderApp
from newsreader.tui.widgets.reader import ArticleView

SIZE = (100, 30)
UI_BUDGET = 0.5  # s: one step on the UI thread (the 100-200 ms, with room for a slow machine)
FREEZE_BUDGET = 1.0  # s of CPU: the most work between two UI ticks (10x the 100 ms)
STALL_BUDGET = 10.0  # s: the longest the UI may not answer at all, on a machine however loaded
START_BUDGET = 5.0  # s: from start to an app showing the restored article (it took 23 s)
WORKER_BUDGET = 60.0  # s: the whole of a giant article laid out in the background


def feed_item(folder: Path, name: str, title: str, html: str, n: int = 0) -> None:
    """One archived feed item (the format of the bundled sample)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = 1_698_786_902_000 - n * 60_000
    (folder / f"{name}.txt").write_text(f"<!--{stamp}-->\n[{title}](https://www.rfi.fr/cn/{name})\n------\n{html}\n",
                                        encoding="utf-8")


def open_app(folder: Path) -> tuple[NewsReaderApp, Library]:
    library = Library()
    library.index([str(folder)])
    return NewsReaderApp(library, index_on_start=False), library


def reader(app: NewsReaderApp) -> ArticleView:
    return app.main.query_one(ArticleView)


def lines(app: NewsReaderApp) -> list[str]:
    return [strip.text.rstrip() for strip in reader(app)._lines]


class Heartbeat:
    """Ticks on the UI thread every 20 ms. A freeze is a gap between ticks in which the process
    worked (the UI thread busy, or a worker holding the GIL): ``longest`` is the most CPU time
    the process spent between two ticks, so a machine loaded by others, where the process waits
    to be scheduled, is not taken for a freeze. ``longest_wall`` catches waits that burn no CPU
    (a lock, a blocking read) against the looser ``STALL_BUDGET``."""

    def __init__(self, app: NewsReaderApp) -> None:
        self.last = time.monotonic()
        self.last_cpu = time.process_time()
        self.longest = 0.0
        self.longest_wall = 0.0
        app.set_interval(0.02, self.tick)

    def tick(self) -> None:
        now, cpu = time.monotonic(), time.process_time()
        self.longest = max(self.longest, cpu - self.last_cpu)
        self.longest_wall = max(self.longest_wall, now - self.last)
        self.last, self.last_cpu = now, cpu

    def check(self) -> None:
        """Fail when the UI froze (CPU) or stalled (wall) for longer than the budgets."""
        assert self.longest < FREEZE_BUDGET, f"the UI froze for {self.longest:.2f} s of CPU"
        assert self.longest_wall < STALL_BUDGET, f"the UI did not answer for {self.longest_wall:.2f} s"


async def until_complete(pilot, view: ArticleView) -> None:
    deadline = time.monotonic() + WORKER_BUDGET
    while not view.complete:
        assert time.monotonic() < deadline, "the worker did not finish in time"
        await pilot.pause(0.05)
    await pilot.pause()


async def test_headline_bold_byline_dim_and_a_list_item_has_one_bullet(tmp_path: Path):
    sentence = "这是一个很长的列表项，它的句子会在八十列的终端里换好几行，但是只应该有一个项目符号。" * 2
    feed_item(tmp_path, "list", "有列表的文章", f"<p>开头。</p><ul><li>{sentence}</li><li>第二项</li></ul>")
    app, library = open_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        app.main.open_id(library.listings()[0].id)
        await pilot.pause()
        strips = reader(app)._lines
        assert all(segment.style and segment.style.bold for segment in strips[0] if segment.text.strip())
        assert all(segment.style and segment.style.dim for segment in strips[1] if segment.text.strip())
        text = lines(app)
        first = next(n for n, line in enumerate(text) if line.startswith("• 这是"))
        following = text[first + 1:first + 4]
        assert len(following) == 3 and all(line.startswith("  ") and line[2] != " " for line in following)
        assert sum(line.startswith("• ") for line in text) == 2  # two items, two bullets


def test_wrapped_items_hang_and_keep_their_style():
    from rich.text import Text

    item = Text("一二三四五六七八九十" * 3, style="italic")
    wrapped = layout.wrap_text(item, 22, "• ", hanging="  ")
    assert [line.plain[:2] for line in wrapped] == ["• ", "  ", "  "]
    assert all(line.spans and line.spans[-1].style for line in wrapped)


GIANTS = {
    "long-article": ("<p>" + "北京与华盛顿的关系在过去一年里起伏不定，双方的官员多次会面。" * 40 + "</p>\n") * 239,
    "million-line": "<p>" + "中文" * 500_000 + "</p>",
    "many-links": "<p>" + "".join(f'<a href="https://example.com/{n}">链接{n}</a> ' for n in range(100_000)) + "</p>",
    "underscores": "<p>" + " _a" * 70_000 + "</p>",
}


@pytest.mark.hostile
@pytest.mark.parametrize("name", list(GIANTS))
async def test_giant_articles_open_and_toggle_without_freezing(tmp_path: Path, name: str):
    feed_item(tmp_path, name, f"巨大的文章 {name}", GIANTS[name])
    app, library = open_app(tmp_path)
    article = library.article(library.listings()[0].id)
    assert not article_layout.is_quick(article)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        heartbeat = Heartbeat(app)
        started = time.monotonic()
        app.main.open_id(article.listing.id)
        opened = time.monotonic() - started
        assert opened < UI_BUDGET, f"opening took {opened:.2f} s on the UI thread"
        view = reader(app)
        deadline = time.monotonic() + WORKER_BUDGET
        while app.main.current is None:  # a giant of 100,000 links is read in a worker
            assert view.loading and time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.pause()
        assert lines(app)[0].startswith("巨大的文章")  # the first screen is there at once
        await until_complete(pilot, view)
        started = time.monotonic()
        app.main.view = View.TRADITIONAL
        toggled = time.monotonic() - started
        assert toggled < UI_BUDGET, f"t took {toggled:.2f} s on the UI thread"
        await pilot.pause()
        assert lines(app)[0].startswith("巨大的文章")
        await until_complete(pilot, view)
        await pilot.press("G")
        await pilot.pause()
        await pilot.press("m")  # the media list too (100,000 links: the first 200 listed)
        await pilot.pause()
        await pilot.press("escape")
        heartbeat.check()
        assert len(view._lines) > 50 and app.is_running


@pytest.mark.hostile
async def test_an_article_restored_at_start_as_one_giant_paragraph(tmp_path: Path):
    feed_item(tmp_path, "paragraph", "一段十万字", "<p>" + "这是一段没有换行的很长的文字。" * 6_700 + "</p>")
    library = Library()
    library.index([str(tmp_path)])
    library.state.put("last_article", library.listings()[0].id)
    app = NewsReaderApp(library, index_on_start=False)
    started = time.monotonic()
    async with app.run_test(size=SIZE) as pilot:
        heartbeat = Heartbeat(app)
        await pilot.pause()
        assert lines(app)[0].startswith("一段十万字")
        usable = time.monotonic() - started
        assert usable < START_BUDGET, f"{usable:.1f} s before the app showed the article"
        view = reader(app)
        await until_complete(pilot, view)
        heartbeat.check()
        assert sum(len(line) for line in lines(app)) > 100_000


@pytest.mark.hostile
async def test_an_article_not_yet_parsed_in_full_is_parsed_off_the_ui_thread(tmp_path: Path):
    """Before the index's second phase reaches a file, opening its article parses the file: a
    hostile one (a million and a half short lines: ~1.7 s) froze the app, parsed on the UI thread."""
    feed_item(tmp_path, "lines", "一百五十万行", "<p>" + "中文\n" * 1_500_000 + "</p>")
    feed_item(tmp_path, "short", "短文", "<p>正文。</p>", n=1)
    library = Library()
    listed = []
    library.index([str(tmp_path)], listed=lambda: listed.append(True), should_stop=lambda: bool(listed))
    hostile = next(item for item in library.listings() if item.title == "一百五十万行")
    assert library.parsed_when_read(hostile.id) and library.searchable() == (0, 2)  # catalogued only
    app = NewsReaderApp(library, index_on_start=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        heartbeat = Heartbeat(app)
        started = time.monotonic()
        app.main.open_id(hostile.id)
        opened = time.monotonic() - started
        assert opened < UI_BUDGET, f"opening took {opened:.2f} s on the UI thread"
        view = reader(app)
        deadline = time.monotonic() + WORKER_BUDGET
        while app.main.current is None:
            assert view.loading and time.monotonic() < deadline
            await pilot.pause(0.05)
        await pilot.pause()
        assert lines(app)[0].startswith("一百五十万行")
        heartbeat.check()


@pytest.mark.hostile
def test_pieces_cover_the_text_and_stay_small():
    text = ("段落一。" * 3000 + "\n\n") * 3 + "中" * 50_000 + " \\_a" * 5000
    cut = article_layout.pieces(text, 8000)
    assert "".join(cut) == text
    assert all(len(piece) <= 8000 for piece in cut)
    assert not any(piece.endswith("\\") for piece in cut)


async def test_the_heartbeat_sees_a_busy_ui_thread(tmp_path: Path):
    # the freeze checks above can fail: work on the UI thread is counted, whatever the load
    feed_item(tmp_path, "short", "短文", "<p>正文。</p>")
    app, _ = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        heartbeat = Heartbeat(app)
        await pilot.pause(0.1)

        def busy() -> None:
            started = time.process_time()
            while time.process_time() - started < FREEZE_BUDGET * 1.2:
                pass

        app.call_later(busy)
        await pilot.pause(0.1)
        await pilot.pause(0.1)
        assert heartbeat.longest >= FREEZE_BUDGET
        with pytest.raises(AssertionError, match="froze"):
            heartbeat.check()
