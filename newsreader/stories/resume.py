"""Where the last grouping run stopped, so that the next day resumes it.

After a run that reached the newest article, the grouper's state — the docs of the last
``WINDOW`` with their weights and postings, the groups still open, the editions found among
them — is kept in ``story_resume``. An update whose articles are all new and all published
after that state's newest doc loads it and goes on as if the run had never stopped: no
context is read from the cache, folded or weighed again, and the groups come out as a
recompute makes them. Anything else (an older day indexed late, a changed or removed article,
another version of the code) finds no usable state and rebuilds the context instead.

The state is pickled and kept as one zstd frame (a 436-article day: 3.5 MB of pickle, 1.4 MB
kept; 30 ms to compress once a run), and read back by an unpickler that knows only the
grouper's own classes and plain containers: the cache is data, and a changed cache file can
never run code. A state kept before it was compressed is read as it is.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
from dataclasses import dataclass

import zstandard

from newsreader.stories.cluster import Grouper
from newsreader.stories.features import Doc

_ALLOWED = {
    ("newsreader.stories.cluster", "Grouper"),
    ("newsreader.stories.cluster", "Group"),
    ("newsreader.stories.features", "Doc"),
    ("collections", "Counter"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "dict"),
    ("builtins", "list"),
    ("builtins", "object"),
    ("copyreg", "_reconstructor"),
}


_LEVEL = 3
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# A state larger than this is not read (a damaged or hostile frame may claim any size).
_MAX_STATE = 1 << 30


def _unpacked(data: bytes) -> bytes:
    """The pickle a kept frame holds (a state kept before compression is the pickle itself)."""
    if not data.startswith(_ZSTD_MAGIC):
        return data
    size = zstandard.frame_content_size(data)
    if size < 0 or size > _MAX_STATE:
        raise ValueError(f"a kept state of {size} bytes")
    return zstandard.ZstdDecompressor().decompress(data)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"not part of a grouper's state: {module}.{name}")
        return super().find_class(module, name)


@dataclass
class State:
    """A run's grouper where it stopped, the editions it found (hidden rowid → shown doc), and
    the publication time of its newest doc."""

    grouper: Grouper
    primary: dict[int, Doc]
    newest: int


def save(db: sqlite3.Connection, grouper: Grouper, primary: dict[int, Doc], version: str) -> None:
    """Keep the state (inside the caller's transaction) when the run reached the newest dated
    article; otherwise forget any state kept before (it no longer says where the tables stop)."""
    db.execute("DELETE FROM story_resume")
    if not grouper.window:
        return
    last = max(d.rowid for d in grouper.window)
    top = db.execute("SELECT max(rowid) FROM articles WHERE published IS NOT NULL").fetchone()[0]
    if top != last:
        return
    newest = max(d.published for d in grouper.window)
    # the editions hook belongs to the run; the postings follow from the window's docs
    # (half the pickle's size and time: rebuilt on load)
    force, postings = grouper.force, grouper.postings
    grouper.force, grouper.postings = None, {}
    try:
        kept = {r: d for r, d in primary.items() if r in grouper.group_of}
        data = zstandard.ZstdCompressor(level=_LEVEL).compress(
            pickle.dumps((grouper, kept), protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        grouper.force, grouper.postings = force, postings
    db.execute("INSERT INTO story_resume VALUES (1, ?, ?, ?)", (version, newest, data))


def load(db: sqlite3.Connection, version: str) -> State | None:
    """The kept state, or None when there is none for this version or it cannot be read."""
    row = db.execute("SELECT version, newest, data FROM story_resume WHERE id = 1").fetchone()
    if not row or row[0] != version:
        return None
    try:
        grouper, primary = _Unpickler(io.BytesIO(_unpacked(row[2]))).load()
    except Exception:  # whatever it holds, an unreadable state only means: rebuild the context
        return None
    if not isinstance(grouper, Grouper) or not isinstance(primary, dict):
        return None
    for doc in grouper.window:  # as the grouper made them: each doc in window order
        for token in doc.vector:
            grouper.postings.setdefault(token, []).append(doc)
    return State(grouper, primary, int(row[1]))
