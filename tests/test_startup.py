"""What the start of every command and of the app costs: heavy libraries and big patterns
are loaded where they are used, not at import (issue 11: the app's first screen)."""

from __future__ import annotations

import re
import subprocess
import sys

from newsreader.lazyre import LazyPattern, lazy

# Each of these cost a command's start 20-60 ms; none is needed to list, show, or draw the
# app's first screen.
NOT_AT_START = ("html2text", "selectolax", "multiprocessing", "concurrent.futures.process", "tomllib",
                "numpy", "newsreader.stories.compute", "newsreader.sources", "newsreader.html_markdown")


def test_the_cli_and_the_app_import_no_heavy_library_at_start():
    code = ("import sys, newsreader.launch, newsreader.cli, newsreader.tui.app, newsreader.tui.run\n"
            "print('\\n'.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert loaded >= {"newsreader.cli", "newsreader.tui.app"}
    assert [name for name in NOT_AT_START if name in loaded] == []


def test_the_big_patterns_of_the_common_modules_are_compiled_on_first_use():
    code = ("import re, newsreader.cli, newsreader.tui.app\n"
            "from newsreader import cjk, script\n"
            "from newsreader.store import tokens\n"
            "print(type(cjk._CJK).__name__, type(tokens._PIECE).__name__, type(script._PLAIN_KEEP).__name__)\n"
            "print(cjk.is_cjk('中'), cjk.is_cjk('a'), '_compiled' in vars(cjk._CJK))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split("\n")[:2] == ["LazyPattern LazyPattern LazyPattern", "True False True"]


def test_a_lazy_pattern_answers_as_the_compiled_one():
    source = r"([\u4e00-\u9fff]+)|([a-z]+)"
    pattern, compiled = lazy(source, re.IGNORECASE), re.compile(source, re.IGNORECASE)
    assert isinstance(pattern, LazyPattern) and "_compiled" not in vars(pattern)
    text = "Xi 习近平 met 拜登 in APEC"
    assert pattern.findall(text) == compiled.findall(text)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert pattern.sub("_", text) == compiled.sub("_", text)
    assert pattern.split(text) == compiled.split(text)
    assert pattern.match(text).group(0) == "Xi"  # type: ignore[union-attr]
    assert pattern.search("…拜登").group(1) == "拜登"  # type: ignore[union-attr]
    assert (pattern.pattern, pattern.flags, pattern.groups) == (compiled.pattern, compiled.flags, compiled.groups)
    assert vars(pattern)["_compiled"] is pattern.compiled  # compiled once, kept
