"""Every directory and file location newsreader uses, in one place (platformdirs; XDG honoured)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "newsreader"


def cache_dir() -> Path:
    """Where the rebuildable SQLite index lives."""
    return Path(platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    """Where what the user did lives: read, starred, sources, last position. Never deleted."""
    return Path(platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    """Where the optional config.toml lives."""
    return Path(platformdirs.user_config_dir(APP))


def cache_db() -> Path:
    """The SQLite cache: articles, files and the search index."""
    return cache_dir() / "cache.sqlite"


def index_lock() -> Path:
    """A lock file held while one process indexes, so two runs never race."""
    return cache_dir() / "index.lock"


def state_db() -> Path:
    """The SQLite file of user state."""
    return data_dir() / "state.sqlite"


def config_file() -> Path:
    """The user's config.toml."""
    return config_dir() / "config.toml"


def bundled_seeds() -> Path:
    """The five sample documents: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "seeds"
    return packaged if packaged.is_dir() else here.parent / "seeds"
