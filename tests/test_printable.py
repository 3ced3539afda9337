"""Nothing unprintable leaves the program (issue 10, item 12).

C0/C1 controls, DEL, bidi overrides and isolates, the Arabic letter mark, zero-width
and other invisible format characters, Unicode tag characters and line separators —
from titles, bodies, captions, links and file names — never reach ``list``,
``search``, ``show``, ``--json``, ``export``, ``sources``, ``index`` messages or the
app's widgets: one function (safetext.printable) at every exit.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import run_cli

from newsreader.safetext import printable, printable_line
from newsreader.store.library import Library

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

# Everything printable() must remove (tab and newline are kept; U+2028 and U+2029 become \n).
UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
HOSTILE = ("\x85\x9b31m\x7f\u202e\u2067\u061c\u200b\u2060\u206a\ufeff\ufff9\u180e"
           "\U000e0041\U000e0042\u2028\u2029\x1b[2J\x07")


def test_printable_removes_every_class_and_keeps_text():
    assert printable("习近平" + HOSTILE + "拜登\tok\n") == "习近平31m\n\n[2J拜登\tok\n"
    assert printable_line("a\u2028b\tc\nd") == "a b c d"
    assert printable("👨\u200d👩\u200d👧 فارسی\u200cها") == "👨\u200d👩\u200d👧 فارسی\u200cها"  # joiners stay
    assert printable("\ud800x") == "\ufffdx"
    assert printable("plain ascii") == "plain ascii"
    for code in range(0x110000):
        char = chr(code)
        if UNPRINTABLE.match(char) and char not in "\t\n":
            assert printable(f"a{char}b") in ("ab", "a\nb", "a\ufffdb"), hex(code)


@pytest.fixture
def hostile_archive(tmp_path: Path) -> Path:
    root = tmp_path / f"dir{HOSTILE[:6]}"
    root.mkdir()
    name = f"item\u202e\u061c\x85{chr(0x9b)}txt.\u200btxt"
    title = f"标题\u061c\u200b隔\u2066离\u2069\U000e0041尾{HOSTILE}"
    body = ("<p>正文\u061c\u200b\u2067一段\u2069 台湾 \u2028 第二\x85行</p>"
            '<p><a href="https://example.com/\u200bx">链\u061c接</a></p>'
            '<figure><img src="https://example.com/i.jpg"><figcaption>图\u200b说\u061c</figcaption></figure>')
    (root / name).write_text(f"<!--1698786902000-->\n[{title}](https://example.com/p)\n------\n{body}",
                             encoding="utf-8")
    return root


def assert_printable(text: str, where: str) -> None:
    found = UNPRINTABLE.search(text.replace("\n", "").replace("\t", ""))
    assert not found, f"{where}: {found.group()!r} at {found.start()} in {text[max(0, found.start() - 30):][:80]!r}"


def test_no_exit_of_the_cli_lets_them_through(hostile_archive: Path):
    result = run_cli("index", str(hostile_archive))
    assert result.returncode == 0, result.stderr
    assert_printable(result.stderr, "index")
    listing = run_cli("list")
    assert_printable(listing.stdout, "list")
    assert "标题隔离尾" in listing.stdout
    article_id = listing.stdout.split()[0]
    outputs = {
        "list --json": run_cli("list", "--json").stdout,
        "search": run_cli("search", "台湾").stdout,
        "search --json": run_cli("search", "台湾", "--json").stdout,
        "show": run_cli("show", article_id).stdout,
        "show markdown": run_cli("show", article_id, "--format", "markdown").stdout,
        "show json": run_cli("show", article_id, "--format", "json").stdout,
        "export": run_cli("export").stdout,
        "sources": run_cli("sources").stdout,
        "star": run_cli("star", article_id).stdout,
        "outlets": run_cli("outlets").stdout,
    }
    for where, text in outputs.items():
        assert text.strip(), where
        assert_printable(text, where)
        if "json" in where or where == "export":
            assert_printable(json.dumps(json.loads(text.splitlines()[0] if where == "export" else text),
                                        ensure_ascii=False), where)
    data = json.loads(outputs["show json"])
    assert data["title"].startswith("标题隔离尾") and "正文一段" in data["body"]
    assert "item" in data["source"] and "txt.txt" in data["source"]
    assert data["media"][0]["caption"] == "图说"
    assert data["links"][0]["text"] == "链接"


def test_a_cache_written_before_the_rules_still_shows_printable_text(hostile_archive: Path):
    """Text already in a cache (an older version's rules) is made printable as it leaves it:
    the app's outline, reader, media list and search results all read it through records."""
    library = Library()
    library.index([str(hostile_archive)])
    library.close()
    db = sqlite3.connect(library.cache_path)
    db.execute("UPDATE articles SET title = ?, author = ?", (f"旧\x9b标题{HOSTILE}", f"作者\u202e{HOSTILE}"))
    db.commit()
    db.close()
    library = Library()
    [item] = library.listings()
    detail = library.article(item.id)
    for text in (item.title, item.url, detail.author, detail.summary, detail.text, detail.body_html,
                 *(m.caption for m in detail.media), *(link.text for link in detail.links),
                 *(hit.snippet for hit in library.search("台湾")), *(hit.listing.title for hit in library.search("台湾"))):
        assert_printable(text, "records")
    assert item.title.startswith("旧标题")


def test_messages_on_stderr_are_printable_too(tmp_path: Path):
    """A folder named by an environment variable or an argument reaches the user only as
    printable text: the library's warnings, command errors, OS errors."""
    odd = f"\x1b[31m{HOSTILE[:8]}x"
    warned = run_cli("list", env={"XDG_CACHE_HOME": f"/dev/null/{odd}"})
    assert "cannot be made" in warned.stderr
    assert_printable(warned.stderr, "library warning")
    missing = run_cli("index", f"/nonexistent/{odd}")
    assert missing.returncode != 0 and "/nonexistent/" in missing.stderr
    assert_printable(missing.stderr, "command error")


def test_storable_replaces_a_surrogate_in_any_part_and_leaves_a_clean_article_as_it_is():
    from newsreader.model import Article, Link, Media
    from newsreader.safetext import storable

    clean_one = Article(url="https://a.example/1", title="标题", outlet="dw", published=None, body_html="<p>x</p>",
                        text="x", keywords=("k",), media=(Media("image", "https://a.example/i.jpg", "图"),),
                        links=(Link("链接", "https://a.example/2"),))
    assert storable(clean_one) is clean_one
    for broken in (replace(clean_one, title="a\ud800b"),
                   replace(clean_one, media=(Media("image", "https://a.example/i.jpg", "图\udfff"),)),
                   replace(clean_one, links=(Link("x", "https://a.example/\ud83d"),)),
                   replace(clean_one, keywords=("k", "\udc00"))):
        fixed = storable(broken)
        assert fixed != broken
        assert "\ufffd" in repr(fixed) and "\\ud" not in repr(fixed).lower()


def test_an_outlet_named_by_a_hostile_front_matter_is_printable_wherever_it_is_shown(tmp_path: Path):
    """An unknown outlet is keyed by its front matter's name; the key kept control and bidi
    characters and was printed raw by outlets, stories, story and coverage (an ESC sequence
    and a C1 CSI reached the terminal). Keys are made printable, and every exit shows them so."""
    from newsreader import outlets
    from newsreader.cli.story_commands import chart

    name = f"\x1b[31m邪恶\u202e\x9b2J\x07{HOSTILE}"
    for n in range(4):
        (tmp_path / f"{n}.md").write_text(
            f'---\ntitle: "拜登访问北京{n}"\ndate: 2024-03-01T0{n}:00:00Z\nauthor: "{name}{n % 2}"\n---\n'
            "<p>拜登访问北京，与习近平会谈，双方讨论了台湾问题和贸易。</p>\n", encoding="utf-8")
    assert run_cli("index", str(tmp_path)).returncode == 0
    stories = run_cli("stories", "--min-outlets", "1", "--json")
    [story] = json.loads(stories.stdout)
    outputs = {
        "outlets": run_cli("outlets").stdout, "outlets --json": run_cli("outlets", "--json").stdout,
        "stories": run_cli("stories", "--min-outlets", "1").stdout, "stories --json": stories.stdout,
        "story": run_cli("story", story["id"]).stdout, "story --json": run_cli("story", story["id"], "--json").stdout,
        "coverage": run_cli("coverage", "拜登").stdout, "coverage --json": run_cli("coverage", "拜登", "--json").stdout,
        "list": run_cli("list").stdout,
    }
    for where, text in outputs.items():
        assert "邪恶" in text, where
        assert_printable(text, where)
    data = json.loads(outputs["coverage --json"])
    assert_printable(chart(data, 80), "the coverage chart")
    old_key = f"\x1b[31m{HOSTILE}"  # a key an older cache holds
    assert_printable(outlets.get(old_key).name(), "an outlet named by an old key")
    assert_printable(chart({**data, "outlets": {old_key: {"2024-03-01": 1}}}, 80), "the chart of an old key")
