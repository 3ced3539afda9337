"""Byline, dates and media labels: one module for the CLI and the app."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from newsreader import labels
from newsreader.model import Media, View
from newsreader.store.records import Listing
from tests.conftest import run_cli


def listing(outlet: str) -> Listing:
    return Listing(1, "abc", outlet, "标题", datetime(2023, 10, 28, 6, 2, tzinfo=UTC), "", "", False, False)


def test_an_author_that_repeats_the_outlet_is_left_out_in_any_script():
    for author in ("大纪元", "大紀元", " 大纪元 ", "epochtimes"):
        assert labels.byline(listing("epochtimes"), author, View.ORIGINAL) == "大纪元 · 2023-10-28 06:02 UTC"
    assert labels.byline(listing("epochtimes"), "李明", View.TRADITIONAL).endswith(" · 李明")
    assert labels.byline(listing("dw"), "", View.ORIGINAL) == "DW 德國之聲 · 2023-10-28 06:02 UTC"


def test_counts_dates_and_media_labels():
    assert labels.count(1, "result") == "1 result"
    assert labels.count(208, "result") == "208 results"
    assert labels.count(1024, "article") == "1,024 articles"
    assert labels.local_day(None) == "undated" and labels.local_clock(None) == "--:--"
    media = [Media("video", "https://x/v.mp4", "片", duration=84)]
    assert labels.media_label(1, media) == "[Video 1 · 1:24]"
    assert labels.reference_kind(1, "video", media) == "video 1:24"
    assert labels.reference_kind(2, "link", media) == "link"


def test_every_show_format_writes_the_same_byline():
    listed = run_cli("list", "--outlet", "epochtimes", "--json")
    article_id = json.loads(listed.stdout)[0]["id"]
    text = run_cli("show", article_id).stdout.splitlines()
    markdown = run_cli("show", article_id, "--format", "markdown").stdout.splitlines()
    assert text[1] == markdown[2] == "大纪元 · 2023-10-28 06:02 UTC"
