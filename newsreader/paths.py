"""Every directory and file location newsreader uses, and the one place paths are decoded.

Locations come from platformdirs (XDG honoured). A file name on POSIX is bytes and need
not be UTF-8 (GBK names from old zip archives): :func:`internal` turns a path as the
OS gives it into the text newsreader stores and compares (valid Unicode, every
undecodable byte kept as ``\0`` + two hex digits — NUL never occurs in a real path, so
nothing collides and prefixes stay prefixes), :func:`external` turns it back for the
OS, and :func:`display` shows it to a person (undecodable bytes as ``\xb0``, unambiguously).
"""

from __future__ import annotations

import os
import re
import sys
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


_ESCAPED_BYTE = re.compile("\x00([0-9a-f]{2})")
_UNDECODABLE = re.compile("[\udc80-\udcff]")


def _fs_is_utf8() -> bool:
    try:
        return os.fsencode("\u65b0") == "\u65b0".encode()
    except UnicodeError:
        return False


_FS_UTF8 = _fs_is_utf8()


def internal(path: str | bytes | os.PathLike) -> str:
    """A path as the OS gives it (str with surrogate escapes, or bytes) → newsreader's path text."""
    if isinstance(path, str) and path.isascii():
        return path  # nothing to escape (most archives' paths: a million files' walk asks)
    raw = os.fsencode(path)
    text = raw.decode("utf-8", "surrogateescape")
    if not _UNDECODABLE.search(text):
        return text
    return _UNDECODABLE.sub(lambda m: f"\x00{ord(m.group()) - 0xDC00:02x}", text)


def external(path: str) -> str:
    """newsreader's path text → the path the OS takes (the inverse of :func:`internal`),
    right under any file system encoding (a Big5 locale's included)."""
    if "\x00" not in path and _FS_UTF8:
        return path
    text = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path)
    return os.fsdecode(text.encode("utf-8", "surrogateescape"))


# A literal backslash that a reader could take for the start of an escape: one before
# "x" and two hex digits, before another backslash, or before an undecodable byte.
_AMBIGUOUS_BACKSLASH = re.compile(r"\\(?=x[0-9a-fA-F]{2}|\\|\x00[0-9a-f]{2}|[\udc80-\udcff])")


def show_bytes(text: str) -> str:
    """Any text that may hold a path: its undecodable bytes (either form) as ``\\xb0``, the
    rest as it is (messages, which may name a path that :func:`display` already showed)."""
    if "\x00" not in text and not _UNDECODABLE.search(text):
        return text
    text = _ESCAPED_BYTE.sub(lambda m: f"\\x{m.group(1)}", text)
    return _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def display(path: str) -> str:
    """A path (either form) as a person should see it: in a locale whose file names are not
    UTF-8 (Big5, GBK), as that locale reads them; else undecodable bytes as ``\\xb0``, and a
    literal backslash that could be read as the start of such an escape as ``\\\\`` — so a
    file named ``\\xb0`` (four characters) and one named with the byte 0xB0 never look alike.
    Unambiguous: ``\\\\`` is a backslash, ``\\x`` and two hex digits a byte, any other
    backslash itself."""
    if not _FS_UTF8 and ("\x00" in path or _UNDECODABLE.search(path)):
        raw = _ESCAPED_BYTE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), path).encode("utf-8", "surrogateescape")
        try:
            return raw.decode(sys.getfilesystemencoding())
        except (UnicodeDecodeError, LookupError):
            pass
    if "\\" in path:
        path = _AMBIGUOUS_BACKSLASH.sub(r"\\\\", path)
    return show_bytes(path)


def sqlite_uri(path: str | os.PathLike, query: str = "") -> str:
    """A ``file:`` URI for SQLite naming ``path`` byte for byte (a folder whose name is not
    UTF-8 included): every byte outside the safe set percent-encoded."""
    from urllib.parse import quote

    uri = "file:" + quote(os.fsencode(os.path.abspath(path)))
    return f"{uri}?{query}" if query else uri
