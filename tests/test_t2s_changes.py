"""The characters that can make OpenCC's t2s change a text (``newsreader/data/t2s_changes.txt``).

``script.to_simplified`` returns a text holding none of them as it is, without converting:
for that to be exact, every dictionary entry of the t2s chain that changes what it matches
must hold one of them. This test derives the set again from the installed OpenCC's own
dictionaries (dumped with the ``opencc_dict`` tool its package ships) and from converting
every character alone, and checks the packaged file against it.

Regenerate the file after an OpenCC upgrade: ``python tests/test_t2s_changes.py --write``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc
import pytest

from newsreader import script

SHARE = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
TOOL = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
DATA = Path(script.__file__).parent / "data" / "t2s_changes.txt"
# Every key of every t2s dictionary lies in these ranges (checked below); each of their
# characters is converted alone.
RANGES = ((0x2E80, 0xA000), (0xF900, 0xFB00), (0x20000, 0x32000))


def _dictionaries() -> list[str]:
    config = json.loads((SHARE / "t2s.json").read_text(encoding="utf-8"))
    names = [step["dict"]["file"] for step in config["normalization"]]
    for step in config["conversion_chain"]:
        names += [d["file"] for d in step["dict"].get("dicts", [step["dict"]])]
    return names


def _entries(name: str) -> list[tuple[str, str]]:
    """One dictionary's (key, first value) pairs, dumped to text by OpenCC's own tool."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dict.txt"
        env = dict(os.environ, LD_LIBRARY_PATH=str(TOOL.parent.parent / "lib64"))
        subprocess.run([str(TOOL), "-i", str(SHARE / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
                       check=True, capture_output=True, env=env)
        lines = out.read_text(encoding="utf-8").splitlines()
    return [(key, value.split(" ")[0]) for key, value in (line.split("\t") for line in lines if line)]


def derive() -> str:
    """The set, in code point order: each character t2s changes on its own, and for each entry
    that changes its key without any such character, a character of the key it changes."""
    codes = [c for low, high in RANGES for c in range(low, high)]
    alone = script.converter("t2s").convert("\n".join(map(chr, codes))).split("\n")
    assert len(alone) == len(codes)
    found = {chr(c) for c, out in zip(codes, alone, strict=True) if out != chr(c)}
    for name in _dictionaries():
        for key, value in _entries(name):
            assert all(any(low <= ord(c) < high for low, high in RANGES) for c in key), (name, key)
            if key == value or found.intersection(key):
                continue
            differing = [k for k, v in zip(key, value, strict=False) if k != v] if len(key) == len(value) else list(key)
            found.add(differing[0])
    return "".join(sorted(found))


def test_the_packaged_set_is_the_installed_opencc_s() -> None:
    if not TOOL.exists():
        pytest.fail(f"OpenCC's opencc_dict tool is not at {TOOL}: the set cannot be checked")
    header, chars = DATA.read_text(encoding="utf-8").split("\n", 1)
    assert header == f"# opencc {opencc.__version__}", "regenerate: python tests/test_t2s_changes.py --write"
    assert chars.strip() == derive()


@pytest.mark.parametrize("text", [
    "深沈的夜里", "他回覆说", "答覆", "找藉口", "一英哩", "乾隆", "著名的著作", "憑藉", "ＡＰＥＣ會議",
    "头发和發展", "\uf900", "简体中文的新闻，没有繁体字。", "",
])
def test_to_simplified_is_opencc_s_t2s(text: str) -> None:
    assert script.to_simplified(text) == script.converter("t2s").convert(text)


def test_text_without_those_characters_is_not_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    class Counting:
        def convert(self, text: str) -> str:
            calls.append(text)
            return text

    monkeypatch.setattr(script, "converter", lambda _name: Counting())
    assert script.to_simplified("简体中文的新闻，没有繁体字。") == "简体中文的新闻，没有繁体字。"
    assert calls == []
    script.to_simplified("繁體")
    assert calls == ["繁體"]


def test_another_opencc_version_converts_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    script._t2s_changes.cache_clear()
    monkeypatch.setattr(opencc, "__version__", "0.0.0-other")
    try:
        assert script._t2s_changes() is None
        assert script.to_simplified("深沈") == "深沉"
    finally:
        script._t2s_changes.cache_clear()


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    DATA.write_text(f"# opencc {opencc.__version__}\n{derive()}\n", encoding="utf-8")
    print(f"wrote {DATA}")
