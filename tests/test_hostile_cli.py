"""Hostile command lines: locales that are not UTF-8, dates at the ends of the calendar,
giant limits, arguments that are not UTF-8, config files of the wrong shape. A one-line
error with exit 2, or a sensible result; never a traceback."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

LOCALES = {"zh_TW.BIG5": ("zh_TW", "BIG5", "big5"), "zh_CN.GB2312": ("zh_CN", "GB2312", "gb2312"),
           "en_US.ISO-8859-1": ("en_US", "ISO-8859-1", "latin-1")}


@pytest.fixture(scope="module")
def locale_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Each locale as an environment: a real locale made with localedef where it can be
    (LOCPATH), else Python told the same encoding (PYTHONIOENCODING)."""
    folder = tmp_path_factory.mktemp("locales")
    envs = {}
    for name, (source, charmap, codec) in LOCALES.items():
        made = shutil.which("localedef") and subprocess.run(
            ["localedef", "-i", source, "-f", charmap, str(folder / name)], capture_output=True).returncode in (0, 1)
        if made and (folder / name).is_dir():
            envs[name] = {"LOCPATH": str(folder), "LC_ALL": name, "PYTHONUTF8": "0"}
        else:
            envs[name] = {"PYTHONIOENCODING": codec}
    return envs


def run_bytes(*args: str | bytes, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    full.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "newsreader", *args], capture_output=True, env=full, timeout=120)


@pytest.mark.parametrize("name", list(LOCALES))
def test_every_output_command_works_in_a_locale_that_is_not_utf8(locale_env, name: str):
    env = locale_env[name]
    codec = LOCALES[name][2]
    if "LC_ALL" in env:  # the locale really is in force
        probe = run_bytes("--version", env=env)
        assert probe.returncode == 0
    listing = json.loads(run_bytes("list", "--json", env=env).stdout.decode("utf-8"))  # JSON: UTF-8 always
    assert {"拜登与习近平将在秘鲁举行一对一会晤", "「拜習會」11月登場？美官員：已開始籌備"} <= {i["title"] for i in listing}
    first = listing[0]["id"]
    # what a user of this locale types: its own bytes (a Latin-1 user cannot type 习近平)
    query = {"big5": "習近平", "gb2312": "习近平", "latin-1": "APEC"}[codec].encode(codec)
    for args in (("list",), ("show", first), ("search", query), ("outlets",), ("export",),
                 ("search", query, "--json")):
        result = run_bytes(*args, env=env)
        assert result.returncode == 0, (args, result.stderr)
        assert b"Traceback" not in result.stderr, args
        if "--json" in args or "json" in args or args[0] == "export":
            text = result.stdout.decode("utf-8")
            assert any(word in text for word in ("习近平", "習近平", "APEC", "德國之聲"))
        else:
            result.stdout.decode(codec)  # text output: in the locale's encoding, what it lacks replaced
    shown = run_bytes("list", env=env).stdout.decode(codec)
    if codec != "latin-1":
        assert "近平" in shown


def test_an_empty_outlet_is_a_usage_error():
    for value in ("", "  "):
        result = run_cli("list", "--outlet", value)
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and "--outlet" in result.stderr


@pytest.mark.parametrize("args", [("search", ""), ("search", " \t"), ("coverage", ""), ("show", ""),
                                  ("star", " "), ("story", "")])
def test_an_empty_query_or_id_is_a_usage_error(args: tuple):
    """Not "nothing matched" (exit 1): nothing was asked (product.md: 2 for usage errors)."""
    result = run_cli(*args)
    assert result.returncode == 2, result
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [("search", "長" * 6000), ("coverage", "x" * 6000), ("show", "a" * 6000),
                                  ("list", "--since", "2" * 6000), ("list", "--limit", "x" * 6000),
                                  ("show", "a", "--format", "y" * 6000), ("list", "z" * 6000)])
def test_a_giant_argument_is_not_echoed_whole(args: tuple):
    """A 6 KB query was repeated whole in "nothing matches": what a message repeats of the
    user's input is bounded (its length said)."""
    result = run_cli(*args)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 500, len(result.stderr)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_dates_at_the_ends_of_the_calendar(zone: str):
    env = {"TZ": zone}
    assert run_cli("list", "--since", "9999-12-31", env=env).returncode == 1
    assert len(run_cli("list", "--since", "0001-01-01", env=env).stdout.splitlines()) == 5
    assert len(run_cli("list", "--until", "9999-12-31", env=env).stdout.splitlines()) == 5
    nothing = run_cli("export", "--until", "0001-01-01", env=env)
    assert nothing.returncode == 1 and "Traceback" not in nothing.stderr
    for flag in ("--since", "--until"):
        bad = run_cli("list", flag, "10000-01-01", env=env)
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize("zone", ["UTC+99:99", "EST+25EDT"])
def test_a_time_zone_a_day_or_more_off_is_replaced_by_utc_and_said(zone: str):
    """TZ=UTC+99:99 gave every command that shows a time a traceback (Python refuses offsets
    of a day or more, the C library takes them)."""
    for args in (("list",), ("outlets",), ("show", "a4d8")):
        result = run_cli(*args, env={"TZ": zone})
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        [line] = result.stderr.splitlines()
        assert "not a usable time zone" in line and "UTC" in line


@pytest.mark.parametrize("limit", [str(10**20), str(2**63 - 1), str(2**63), "9" * 5000, " 7 ", "0"],
                         ids=["1e20", "2^63-1", "2^63", "5000-digits", "spaces", "zero"])
def test_giant_limits_mean_no_limit(limit: str):
    result = run_cli("list", "--limit", limit)
    assert "Traceback" not in result.stderr
    expected = 5 if len(limit.strip()) > 18 else min(int(limit), 5)
    assert len(result.stdout.splitlines()) == expected and result.returncode == (0 if expected else 1)
    assert run_cli("search", "拜登", "--limit", limit).returncode == (0 if expected else 1)


@pytest.mark.parametrize("args", [("search", b"\xff\xfe"), ("show", b"\xff"), ("star", b"\xb0\xa1"),
                                  ("list", "--outlet", b"\xb0\xa1"), ("export", "--outlet", b"\xff"),
                                  ("list", "--script", b"\xff"), ("search", "\u4e60", "--outlet", b"\xff"),
                                  ("list", "--since", b"\xff"), ("list", "--limit", b"\xff"), (b"\xff",),
                                  ("sources", "--remove", b"\xff"), ("index", b"/nowhere/\xff")])
def test_arguments_that_are_not_utf8(args: tuple):
    argv = [os.fsdecode(a) if isinstance(a, bytes) else a for a in args]
    result = run_cli(*argv)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (1, 2) and result.stderr.count("\n") == 1, result.stderr


def write_config(text: str) -> None:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "newsreader" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("text, said", [
    ('openers = "mpv"', "openers must be a table"),
    ("keys = 5", "keys must be a table"),
    ("colour = 'red'", "unknown setting 'colour'"),
    ("theme = 5", "theme must be"),
    ("traditional = [1]", "traditional must be"),
    ("[openers]\nvidoe = 'mpv'", "unknown opener 'vidoe'"),
    ("[openers]\nimage = \"feh 'a b\"", "openers.image cannot be read"),
    ("[keys]\n'app.next' = 3", "keys.app.next must be keys"),
    ("[[keys]]\na = 1", "keys must be a table"),
    ("a = {b = {c = {d = 1}}}", "unknown setting 'a'"),
    ("\xff = 1", "ignored"),
])
def test_config_of_the_wrong_shape_is_a_warning_naming_it(text: str, said: str):
    write_config(text)
    result = run_cli("list")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert said in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_config_file_that_is_a_folder():
    (Path(os.environ["XDG_CONFIG_HOME"]) / "newsreader" / "config.toml").mkdir(parents=True)
    result = run_cli("list")
    assert result.returncode == 0 and "config.toml: ignored" in result.stderr


@pytest.mark.parametrize("redirect, code", [(">&-", 0), ("2>&-", 0), ("<&-", 0), (">/dev/full", 1)])
def test_closed_or_full_standard_streams(redirect: str, code: int):
    command = f"{shlex.quote(sys.executable)} -m newsreader list {redirect}"
    result = subprocess.run(["sh", "-c", command], capture_output=True, timeout=120)
    assert result.returncode == code and b"Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("args", [("--help",), ("list", "--help"), ("list", "--bogus"), ("search", "習近平")])
def test_help_and_usage_errors_in_an_ascii_locale(args: tuple):
    result = run_bytes(*args, env={"PYTHONIOENCODING": "ascii"})
    assert b"Traceback" not in result.stderr and result.returncode in (0, 1, 2), result.stderr
