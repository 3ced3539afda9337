"""config.toml → a frozen settings dataclass. Every setting has a default; a bad file is reported, not fatal."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from newsreader import paths


@dataclass(frozen=True)
class Settings:
    """What a user may set in config.toml.

    ``traditional``: the variant for traditional script: tw (Taiwan standard characters, the
    default), twp (Taiwan with its vocabulary: 软件 → 軟體), hk (Hong Kong) or plain (OpenCC's
    standard, with forms such as 爲 and 峯).
    ``openers``: a command per media kind (image, video, audio, embed, link), e.g. ``video = "mpv"``;
    run without a shell, the URL as its last argument.
    ``theme``: the app's starting theme when none was chosen in the app.
    ``keys``: a keymap: binding id → keys, e.g. ``"app.next" = "n,J"``.
    """

    traditional: str = "tw"
    openers: dict[str, list[str]] = field(default_factory=dict)
    theme: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


KNOWN = ("traditional", "openers", "theme", "keys")
OPENER_KINDS = ("image", "video", "audio", "embed", "link")


def _table(raw: dict, name: str, problems: list[str], where: str) -> dict:
    value = raw.get(name, {})
    if isinstance(value, dict):
        return value
    problems.append(f"{where}: {name} must be a table, e.g. [{name}] (ignored)")
    return {}


def load() -> Settings:
    """Read the config file; a missing file gives the defaults, a broken one the defaults and
    a problem. Every value of a wrong type, and every unknown name, is a problem naming it
    (that setting keeps its default); the rest of the file still counts."""
    path = paths.config_file()
    where = paths.display(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        return Settings(problems=(f"{where}: ignored ({reason})",))
    import tomllib  # ~25 ms of every command's start: only when there is a file

    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:
        return Settings(problems=(f"{where}: ignored ({error})",))
    problems: list[str] = [f"{where}: unknown setting {name!r} (ignored)" for name in raw if name not in KNOWN]
    traditional = raw.get("traditional", "tw")
    if traditional not in ("plain", "tw", "twp", "hk"):
        problems.append(f"{where}: traditional must be tw, twp, hk or plain")
        traditional = "tw"
    openers: dict[str, list[str]] = {}
    for kind, command in _table(raw, "openers", problems, where).items():
        if kind not in OPENER_KINDS:
            problems.append(f"{where}: unknown opener {kind!r} (the kinds are {', '.join(OPENER_KINDS)})")
            continue
        if isinstance(command, str) and command.strip():
            try:
                openers[kind] = shlex.split(command)
            except ValueError as error:
                problems.append(f"{where}: openers.{kind} cannot be read as a command ({error})")
        elif isinstance(command, list) and command and all(isinstance(c, str) and c for c in command):
            openers[kind] = list(command)
        else:
            problems.append(f"{where}: openers.{kind} must be a command string or list")
    keys: dict[str, str] = {}
    for binding, value in _table(raw, "keys", problems, where).items():
        if isinstance(value, str) and value.strip():
            keys[binding] = value
        else:
            problems.append(f"{where}: keys.{binding} must be keys as a string, e.g. \"n,J\" (ignored)")
    theme = raw.get("theme", "")
    if not isinstance(theme, str):
        problems.append(f"{where}: theme must be a theme's name (ignored)")
        theme = ""
    return Settings(traditional=traditional, openers=openers, theme=theme, keys=keys, problems=tuple(problems))
