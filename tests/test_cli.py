"""The command line as a user meets it: exact output, JSON fields, exit codes, stderr lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

GOLDEN = Path(__file__).resolve().parent / "golden"
DW = "d92507a754"  # the DW seed's id prefix (derived from its URL, so stable)


def golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def test_list_on_the_bundled_sample_is_the_golden_table():
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden("list.txt")
    assert "\x1b" not in result.stdout


def test_list_json_fields():
    items = json.loads(run_cli("list", "--json").stdout)
    assert len(items) == 5
    first = items[0]
    assert set(first) >= {"id", "outlet", "outlet_name", "title", "published", "url", "source", "read", "starred"}
    assert first["published"] == "2024-11-14T02:23:25Z"
    assert first["outlet"] == "nytimes" and first["outlet_name"] == "纽约时报中文网"
    assert [i["outlet"] for i in items] == ["nytimes", "rfi", "rfi", "epochtimes", "dw"]


def test_list_filters():
    assert run_cli("list", "--outlet", "rfi", "--json").stdout.count('"id"') == 2
    assert run_cli("list", "--outlet", "RFI 法广", "--json").stdout.count('"id"') == 2
    out = json.loads(run_cli("list", "--since", "2023-10-28", "--until", "2023-10-31", "--json").stdout)
    assert [i["outlet"] for i in out] == ["rfi", "rfi", "epochtimes"]
    assert json.loads(run_cli("list", "--limit", "1", "--json").stdout)[0]["outlet"] == "nytimes"
    nothing = run_cli("list", "--outlet", "nosuch")
    assert nothing.returncode == 1 and nothing.stdout == ""


def test_show_text_to_a_pipe_is_the_golden_article():
    result = run_cli("show", DW)
    assert result.returncode == 0, result.stderr
    assert result.stdout == golden("show-dw.txt")


def test_show_in_simplified_converts_text_not_urls():
    result = run_cli("show", DW, "--script", "zh-Hans")
    assert result.stdout.startswith("「拜习会」11月登场？美官员：已开始筹备\nDW 德国之声")
    assert "https://p.dw.com/p/4XBJZ" in result.stdout


def test_show_json_fields():
    data = json.loads(run_cli("show", DW, "--format", "json", "--script", "t").stdout)
    assert set(data) >= {"id", "outlet", "outlet_name", "title", "published", "url", "source", "read", "starred",
                         "author", "category", "summary", "body", "media", "links", "script"}
    assert data["script"] == "traditional"
    assert data["media"][2] == {"kind": "video", "url": data["media"][2]["url"], "caption": "拜登稱與李強會面“我沒想遏制中國”",
                                "duration": 84, "hls": data["media"][2]["hls"]}
    assert "**\\[Image 1\\]**" in data["body"]
    assert data["links"][0] == {"text": "拜登期待見到習近平", "url": "https://www.dw.com/a-66576964"}


def test_show_markdown():
    out = run_cli("show", "a4d8", "--format", "markdown").stdout
    assert out.startswith("# 拜登与习近平将在秘鲁举行一对一会晤\n")
    assert "[中国间谍气球](<https://www.nytimes.com/2023/02/04/us/politics/chinese-spy-balloon-shot-down.html>)" in out


@pytest.mark.parametrize("args, code, message", [
    (("show", "ffffffffff"), 1, "no article with id"),
    (("show", "zz"), 1, "no article with id"),
    (("show", DW, "--script", "klingon"), 2, "unknown script"),
    (("show", DW, "--format", "pdf"), 2, "invalid choice"),
    (("list", "--since", "yesterday"), 2, "YYYY-MM-DD"),
    (("frobnicate",), 2, "invalid choice"),
    (("index", "/no/such/folder"), 1, "no such file or folder"),
    (("sources", "--remove", "/never/added"), 1, "not a remembered source"),
])
def test_errors_are_one_line_with_exit_codes(args, code, message):
    result = run_cli(*args)
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_ambiguous_prefix_is_a_usage_error(archive: Path):
    run_cli("index", str(archive))
    ids = [i["id"] for i in json.loads(run_cli("list", "--json").stdout)]
    # ids derive from URLs, so which first characters the nine articles share never changes
    shared = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)
    result = run_cli("show", shared)
    assert result.returncode == 2 and "more than one" in result.stderr


def test_star_unstar_and_filters():
    assert run_cli("star", DW).returncode == 0
    starred = json.loads(run_cli("list", "--starred", "--json").stdout)
    assert [i["id"][:10] for i in starred] == [DW] and starred[0]["starred"] is True
    assert run_cli("unstar", DW).returncode == 0
    assert run_cli("list", "--starred").returncode == 1


def test_export_lines_have_show_fields():
    result = run_cli("export", "--outlet", "rfi", "--script", "traditional")
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        data = json.loads(line)
        assert {"body", "media", "links", "script", "author", "summary"} <= set(data)
    assert json.loads(lines[0])["title"] == "白宮：拜登希望與習近平進行建設性對話"


def test_outlets_and_sources_and_version():
    out = json.loads(run_cli("outlets", "--json").stdout)
    assert {o["key"]: o["count"] for o in out} == {"nytimes": 1, "rfi": 2, "epochtimes": 1, "dw": 1}
    dw = next(o for o in out if o["key"] == "dw")
    assert dw["name_simplified"] == "DW 德国之声" and dw["name_traditional"] == "DW 德國之聲"
    assert "bundled sample" in run_cli("sources").stdout
    assert run_cli("--version").stdout.startswith("newsreader ")
    assert "index" in run_cli("--help").stdout


def test_index_reports_bad_files_and_goes_on(archive: Path):
    result = run_cli("index", str(archive))
    assert result.returncode == 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("newsreader: /")]
    assert len(errors) == 3 and all(": " in e for e in errors)
    assert "Traceback" not in result.stderr
    assert len(json.loads(run_cli("list", "--json").stdout)) == 9
    sources = run_cli("sources").stdout.split()
    assert sources == [str(archive)]
    assert run_cli("sources", "--remove", str(archive)).returncode == 0


def test_search_across_scripts():
    simplified = json.loads(run_cli("search", "习近平", "--json").stdout)
    traditional = json.loads(run_cli("search", "習近平", "--json").stdout)
    assert [h["id"] for h in simplified] == [h["id"] for h in traditional]
    assert len(simplified) == 5 and all("snippet" in h for h in simplified)
    assert run_cli("search", "不存在的词语").returncode == 1


@pytest.mark.parametrize("damage", [b"garbage" * 1000, b""])
def test_every_command_rebuilds_a_damaged_cache_with_one_line(xdg, damage):
    assert run_cli("star", DW).returncode == 0
    cache = Path(xdg["XDG_CACHE_HOME"]) / "newsreader" / "cache.sqlite"
    for suffix in ("-wal", "-shm"):
        Path(str(cache) + suffix).unlink(missing_ok=True)
    cache.write_bytes(damage)
    result = run_cli("list", "--starred")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(DW)  # the star survived
    if damage:
        assert len(result.stderr.strip().splitlines()) == 1 and "rebuilding" in result.stderr


def test_the_app_does_not_start_without_a_terminal(tmp_path):
    """`newsreader > file`: one line on stderr saying what to run instead, exit 2, nothing written."""
    out = tmp_path / "out.txt"
    with out.open("w") as handle:
        done = subprocess.run([sys.executable, "-m", "newsreader"], stdout=handle, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, text=True, timeout=30)
    assert done.returncode == 2
    assert out.read_text() == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "needs a terminal" in lines[0] and "newsreader list" in lines[0]
    piped = run_cli()  # stdout a pipe
    assert piped.returncode == 2 and piped.stdout == "" and "\x1b" not in piped.stderr


def test_an_outlet_named_from_front_matter_is_found_by_its_name_in_the_other_script(tmp_path: Path):
    archive = tmp_path / "posts"
    archive.mkdir()
    (archive / "post.md").write_text(
        "---\ntitle: 书评一则\ndate: 2021-01-20T08:00:00Z\ntags: [ 燕京书评 ]\n"
        "from: https://unknown-review.example/p/1\n---\n<p>正文一段。</p>\n", encoding="utf-8")
    assert run_cli("index", str(archive)).returncode == 0
    for name in ("燕京书评", "燕京書評"):
        found = run_cli("list", "--outlet", name, "--json")
        assert found.returncode == 0, found.stderr
        assert [item["title"] for item in json.loads(found.stdout)] == ["书评一则"]
