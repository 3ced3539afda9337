"""config.toml → a frozen settings dataclass. Every setting has a default; a bad file is reported, not fatal."""

from __future__ import annotations

import tomllib
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


def load() -> Settings:
    """Read the config file; a missing file gives the defaults, a broken one the defaults and a problem."""
    path = paths.config_file()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Settings(problems=(f"{path}: ignored ({error})",))
    problems: list[str] = []
    traditional = raw.get("traditional", "tw")
    if traditional not in ("plain", "tw", "twp", "hk"):
        problems.append(f"{path}: traditional must be tw, twp, hk or plain")
        traditional = "tw"
    openers: dict[str, list[str]] = {}
    for kind, command in (raw.get("openers") or {}).items():
        if isinstance(command, str) and command.strip():
            openers[kind] = command.split()
        elif isinstance(command, list) and command and all(isinstance(c, str) for c in command):
            openers[kind] = list(command)
        else:
            problems.append(f"{path}: openers.{kind} must be a command string or list")
    keys = {k: v for k, v in (raw.get("keys") or {}).items() if isinstance(v, str)}
    theme = raw.get("theme", "")
    return Settings(traditional=traditional, openers=openers, theme=theme if isinstance(theme, str) else "",
                    keys=keys, problems=tuple(problems))
