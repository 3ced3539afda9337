"""Issue 9 item 5: a front matter date without a time is a date — shown without a time, sorted
within its day, never the previous day west of Greenwich (nor the next day east of it)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsreader.model import DateOnly
from newsreader.sources import parse_text
from tests.conftest import run_cli, write_post


def test_a_date_without_time_is_read_as_a_date_only():
    for line in ("date: 2020-10-09", "date: '2020-10-09'", 'date: "2020-10-09"'):
        [a] = parse_text(f"---\ntitle: 诗歌\n{line}\nfrom: https://m.allnow.com/post/1\n---\n<p>正文。</p>")
        assert isinstance(a.published, DateOnly) and a.published.calendar_day == date(2020, 10, 9), line
    [b] = parse_text("---\ntitle: 诗歌\ndate: 2020-10-09T00:00:00Z\nfrom: https://m.allnow.com/post/1\n---\n<p>x</p>")
    assert not isinstance(b.published, DateOnly) and b.published == datetime(2020, 10, 9, tzinfo=UTC)
    [c] = parse_text("---\ntitle: 诗歌\ndate: 2020-13-45\nfrom: https://m.allnow.com/post/1\n---\n<p>x</p>")
    assert c.published is None  # not a date at all


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Honolulu", "UTC", "Asia/Shanghai", "Asia/Tokyo"])
def test_date_only_posts_show_their_own_day_without_a_time_in_any_zone(tmp_path: Path, xdg, zone):
    folder = tmp_path / "archive"
    write_post(folder, "https://example.org/a", "只有日期的文章", "2020-10-09")
    write_post(folder, "https://example.org/b", "当天早上的文章", "2020-10-09T01:00:00Z")
    write_post(folder, "https://example.org/c", "前一天的文章", "2020-10-08T23:00:00+09:00")
    env = {**xdg, "TZ": zone}
    assert run_cli("index", str(folder), env=env).returncode == 0
    listed = json.loads(run_cli("list", "--json", env=env).stdout)
    only = next(item for item in listed if item["title"] == "只有日期的文章")
    assert only["date_only"] is True and only["published"] == "2020-10-09T12:00:00Z"  # still ISO 8601
    assert [item["date_only"] for item in listed].count(True) == 1
    table = run_cli("list", env=env).stdout
    assert any(line.split()[1] == "2020-10-09" and "只有日期的文章" in line for line in table.splitlines())
    shown = run_cli("show", only["id"], env=env).stdout
    assert "2020-10-09" in shown and "2020-10-08" not in shown
    assert "12:00" not in shown and "00:00" not in shown  # no time of day is invented
    day = run_cli("list", "--since", "2020-10-09", "--until", "2020-10-09", "--json", env=env).stdout
    assert "只有日期的文章" in {item["title"] for item in json.loads(day)}
    # sorted within its day: after the articles of the day before, among those of its own day
    titles = [item["title"] for item in listed]
    assert titles.index("只有日期的文章") < titles.index("前一天的文章")
