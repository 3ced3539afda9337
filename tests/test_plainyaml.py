"""Plain front matter read without the YAML parser gives exactly what YAML gives, or nothing."""

from __future__ import annotations

import datetime

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.sources import jekyll, plainyaml

_KEYS = ["title", "date", "from", "url", "tags", "categories", "author", "yes", "null", "on", "a-b", "x_y",
         "Title", "123", "date"]
_VALUES = ["法广", '"300胜3000K级投手沙顿 75岁辞世 – 法国国际广播电台 - RFI"', "2021-01-20T07:53:56.000Z",
           "2020-10-09", "2021-01-20 07:53:56", "[ 法广 ]", "[法广, 大纪元]", "[ ]", "[a, ]", "[a, 2021]",
           "[yes]", "http://www.rfi.fr//cn/300%E8%83%9C", "yes", "no", "123", "1:20", "0x1F", ".inf", "~", "null",
           "a: b", "a #b", "C#", "'it''s'", "'single'", '"esc \\" aped"', '"a" b', "-x", "- x", "&a x", "*b",
           "!t x", "|", ">", "%x", "@x", "`x", "a\tb", "True", "2021-13-45", "2021-01-20T25:00:00Z", "x:",
           "[ a: b ]", "[ {a} ]", "['q']", "\u3000全角", "a\u2028b", "a\x85b", "\ufeffbom", "text  with  spaces ",
           "2001-12-14t21:59:43.10-05:00", "1e3", "+12", "0o17", "=", "<<", "?x", ": x"]


def _line(key: str, value: str, gap: str) -> str:
    return f"{key}:{gap}{value}"


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES), st.sampled_from([" ", "  ", ""])),
                min_size=1, max_size=8),
       st.sampled_from(["\n", "\r\n", "\n\n", "\n  "]))
def test_plain_entries_read_as_yaml_reads_them(entries: list[tuple[str, str, str]], newline: str):
    block = newline.join(_line(*entry) for entry in entries)
    fast = plainyaml.read(block)
    if fast is None:
        return
    slow = yaml.load(block, Loader=yaml.CSafeLoader)
    assert fast == slow and all(type(fast[k]) is type(slow[k]) for k in fast), block


def test_the_usual_front_matter_is_read_without_yaml_and_the_same():
    block = ('layout: post\ntitle: "拜登：川普在白宫留下「寬宏大量的信」"\ndate: 2021-01-20T07:53:56.000Z\n'
             "author: 法广\nfrom: http://www.rfi.fr//cn/x\ntags: [ 法广 ]\ncomments: True\ncategories: [ 法广 ]")
    fast = plainyaml.read(block.replace("comments: True\n", ""))
    assert fast is not None and fast["date"] == datetime.datetime(2021, 1, 20, 7, 53, 56, tzinfo=datetime.UTC)
    assert fast["tags"] == ["法广"] and fast["title"] == "拜登：川普在白宫留下「寬宏大量的信」"
    assert plainyaml.read(block) is None  # True is a bool: left to YAML
    assert jekyll.front_matter(block) == yaml.load(block, Loader=yaml.CSafeLoader)
