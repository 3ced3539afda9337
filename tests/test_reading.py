"""The reading workflow's core: counts per outlet/year/month/day under a view, next unread in
list order, marking a node read, and the CLI's read/unread — one source of counts for all."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import run_cli

from newsreader import render
from newsreader.model import Link, Media
from newsreader.store.library import Library
from newsreader.store.outline import Counts, Scope, Show


def indexed(folder: Path) -> Library:
    library = Library()
    library.index([str(folder)])
    return library


def test_outlet_spanning_nine_years_shows_years_then_months_then_days(long_archive: Path):
    library = indexed(long_archive)
    dw = next(o for o in library.outlet_counts() if o.key == "dw")
    assert dw.top_level() == "year"
    years = library.periods(dw)
    assert [p.label() for p in years] == [str(y) for y in range(2024, 2015, -1)]
    assert years[0].counts == Counts(6, 6, 0)  # four a year, two more in October 2024
    months = library.periods(dw, years[0].scope)
    assert [p.label() for p in months] == ["2024-10", "2024-07", "2024-04", "2024-01"]
    days = library.periods(dw, months[0].scope)
    assert [(p.label(), p.counts.total) for p in days] == [("2024-10-10", 3)]
    assert len(library.scope_listings(days[0].scope)) == 3
    # nine years of posts: never more than nine rows at the top, twelve below a year
    assert all(len(library.periods(dw, y.scope)) <= 12 for y in years)


def test_short_outlet_shows_months_and_its_undated_articles_last(long_archive: Path):
    library = indexed(long_archive)
    rfi = next(o for o in library.outlet_counts() if o.key == "rfi")
    assert rfi.top_level() == "month"
    top = library.periods(rfi)
    assert [p.label() for p in top] == ["2024-10", "2024-09", "2024-08", "undated"]
    assert [p.counts.total for p in top] == [1, 2, 1, 1]
    assert [a.title for a in library.scope_listings(top[-1].scope)] == ["法广第4篇"]
    assert [p.label() for p in library.periods(rfi, top[1].scope)] == ["2024-09-01"]


def test_counts_agree_everywhere_and_follow_reading(long_archive: Path):
    library = indexed(long_archive)
    total = library.counts()
    assert total == Counts(43, 43, 0)
    outlets = library.outlet_counts()
    assert sum(o.count for o in outlets) == total.total
    dw = next(o for o in outlets if o.key == "dw")
    assert sum(p.counts.total for p in library.periods(dw)) == dw.count
    first = library.scope_listings(Scope("dw"))[0]
    library.set_read(first.id)
    library.set_starred(first.id, True)
    assert library.counts() == Counts(43, 42, 1)
    assert library.counts(Scope("dw")) == Counts(38, 37, 1)
    month = Scope("dw", "month", date(2024, 10, 1))
    assert library.counts(month) == Counts(3, 2, 1)
    # the CLI's numbers come from the same place
    cli = {o["key"]: o for o in json.loads(run_cli("outlets", "--json").stdout)}
    assert (cli["dw"]["count"], cli["dw"]["unread"], cli["dw"]["starred"]) == (38, 37, 1)


def test_views_keep_only_what_they_show(long_archive: Path):
    library = indexed(long_archive)
    assert [o.key for o in library.outlet_counts(Show.STARRED)] == []
    rfi_first = library.scope_listings(Scope("rfi"))[0]
    library.set_starred(rfi_first.id, True)
    assert [o.key for o in library.outlet_counts(Show.STARRED)] == ["rfi"]
    assert [p.label() for p in library.periods("rfi", show=Show.STARRED)] == ["2024-10"]
    assert [a.id for a in library.scope_listings(Scope("rfi"), Show.STARRED)] == [rfi_first.id]
    library.mark_read(Scope("dw"))
    assert [o.key for o in library.outlet_counts(Show.UNREAD)] == ["rfi"]
    assert Show.ALL.next() is Show.UNREAD and Show.UNREAD.next() is Show.STARRED and Show.STARRED.next() is Show.ALL


def test_mark_read_marks_exactly_the_node(long_archive: Path):
    library = indexed(long_archive)
    day = Scope("dw", "day", date(2024, 10, 10))
    assert library.mark_read(day) == 3
    assert library.mark_read(day) == 0
    assert library.counts(Scope("dw")).unread == 35
    assert library.mark_read(Scope("dw", "year", date(2016, 1, 1))) == 4
    assert library.counts(Scope("dw", "year", date(2016, 1, 1))).unread == 0
    assert library.mark_read(Scope("rfi", "undated")) == 1
    assert library.counts(Scope("rfi")).unread == 4
    assert library.mark_read(Scope("rfi")) == 4
    assert library.counts() == Counts(43, 43 - 3 - 4 - 5, 0)


def test_next_unread_goes_in_list_order_across_days_and_outlets_and_round(long_archive: Path):
    library = indexed(long_archive)
    order = [o.key for o in library.outlet_counts()]
    assert order == ["rfi", "dw"]  # RFI has the newest article
    every = [a for key in order for a in library.scope_listings(Scope(key))]
    seen = []
    current = None
    for _ in range(len(every)):
        current = library.next_unread(current, order)
        assert current is not None
        seen.append(current.id)
        library.set_read(current.id)
    assert seen == [a.id for a in every]  # the whole list, in its order, undated RFI before DW
    assert library.next_unread(current, order) is None
    # round to the top: unread only above the current article
    library.set_read(every[0].id, False)
    assert library.next_unread(every[10], order).id == every[0].id
    # a view narrows it: only starred unread ones
    library.set_read(every[5].id, False)
    library.set_starred(every[5].id, True)
    assert library.next_unread(None, order, Show.STARRED).id == every[5].id


def test_cli_read_and_unread_with_prefixes_and_errors(long_archive: Path):
    library = indexed(long_archive)
    article = library.scope_listings(Scope("rfi"))[0]
    result = run_cli("read", article.id[:8])
    assert result.returncode == 0 and result.stdout.startswith(f"marked read {article.id[:10]}  法广第3篇")
    assert library.listing(article.id).read
    listed = json.loads(run_cli("list", "--unread", "--json").stdout)
    assert article.id not in {i["id"] for i in listed} and len(listed) == 42
    assert run_cli("unread", article.id).returncode == 0
    assert not library.listing(article.id).read
    missing = run_cli("read", "fffffffffffff")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1 and "no article" in missing.stderr
    assert run_cli("read").returncode == 2
    assert run_cli("unread", "xyz!").returncode == 1


def test_link_numbers_are_the_m_lists():
    media = [Media("image", "https://a.example/1.jpg"), Media("video", "https://a.example/2.mp4")]
    links = [Link("one", "https://b.example/x"), Link("two", "mailto:a@b.example")]
    numbers = render.link_numbers(media, links)
    assert numbers == {"https://b.example/x": 3, "mailto:a@b.example": 4}
    assert [(n, url) for n, _k, url, _t in render.references(media, links)][2:] == sorted(
        (n, u) for u, n in numbers.items())


def test_next_and_previous_walk_only_what_the_view_shows(long_archive: Path):
    library = indexed(long_archive)
    order = [o.key for o in library.outlet_counts()]
    every = [a for key in order for a in library.scope_listings(Scope(key))]
    assert library.neighbour(None, +1, order).id == every[0].id
    assert library.neighbour(every[3], +1, order).id == every[4].id
    assert library.neighbour(every[4], -1, order).id == every[3].id
    assert library.neighbour(every[4], +1, order).id == every[5].id  # RFI's last (undated) → DW's first
    for article in (every[1], every[20], every[30]):
        library.set_starred(article.id, True)
    starred = [every[1].id, every[20].id, every[30].id]
    walk, current = [], None
    while (current := library.neighbour(current, +1, order, Show.STARRED)) is not None:
        walk.append(current.id)
    assert walk == starred
    assert library.neighbour(every[30], -1, order, Show.STARRED).id == every[20].id
    assert library.neighbour(every[1], -1, order, Show.STARRED) is None
