"""An article's big parts — clean HTML, visible text, media and links — in one zstd frame.

One frame instead of a zlib blob each: the text repeats the HTML's words, so together
they cost little more than the HTML alone, and zstd is several times cheaper than zlib.
A dictionary trained on the archive itself (a sample of the files an index run reads)
shares the boilerplate every article has; it is stored in the cache (``dictionaries``,
keyed by the id zstd writes in each frame's header), so a frame always says which
dictionary, if any, it needs. Frames made before a dictionary existed need none.
"""

from __future__ import annotations

import json
import random
import sqlite3
import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import zstandard

from newsreader.model import Link, Media
from newsreader.paths import external

LEVEL = 3
DICTIONARY_SIZE = 64 * 1024
TRAIN_FILES = 400  # files sampled to train a dictionary, their first TRAIN_BYTES each
TRAIN_BYTES = 32 * 1024
TRAIN_AT_LEAST = 200  # an index run with fewer changed files trains none (yet)

SCHEMA = """
CREATE TABLE dictionaries (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""

# Lengths of the text, the HTML and the media JSON; the links follow. Text first, so a
# snippet inflates only the start of a giant article.
_HEADER = struct.Struct("<III")


@dataclass(frozen=True)
class Body:
    """What a frame holds."""

    html: str
    text: str
    media: list[Media]
    links: list[Link]


# zstd contexts are not to be shared between threads: each thread keeps its own.
_local = threading.local()


def _compressor(dictionary: bytes | None) -> zstandard.ZstdCompressor:
    cache = _local.__dict__.setdefault("compressors", {})
    found = cache.get(dictionary)
    if found is None:
        found = zstandard.ZstdCompressor(
            level=LEVEL, write_checksum=True,
            dict_data=zstandard.ZstdCompressionDict(dictionary) if dictionary else None)
        if len(cache) > 4:
            cache.clear()
        cache[dictionary] = found
    return found


def pack(html: str, text: str, media: Sequence[Media], links: Sequence[Link], dictionary: bytes | None = None) -> bytes:
    """One frame of an article's HTML, text, media and links."""
    # vars() is asdict() for these flat dataclasses (same keys, same order) at a tenth of the cost
    parts = [text.encode("utf-8", "replace"), html.encode("utf-8", "replace"),
             json.dumps([vars(m) for m in media], ensure_ascii=False).encode("utf-8", "replace"),
             json.dumps([vars(link) for link in links], ensure_ascii=False).encode("utf-8", "replace")]
    return _compressor(dictionary).compress(_HEADER.pack(*(len(p) for p in parts[:3])) + b"".join(parts))


def _decompressor(db: sqlite3.Connection, frame: bytes) -> zstandard.ZstdDecompressor:
    dict_id = zstandard.get_frame_parameters(frame).dict_id
    cache = _local.__dict__.setdefault("decompressors", {})
    found = cache.get(dict_id)
    if found is None:
        data = None
        if dict_id:
            row = db.execute("SELECT data FROM dictionaries WHERE id = ?", (dict_id,)).fetchone()
            if row is None:
                raise sqlite3.DatabaseError(f"database disk image is malformed (no dictionary {dict_id})")
            data = zstandard.ZstdCompressionDict(row[0])
        found = zstandard.ZstdDecompressor(dict_data=data) if data else zstandard.ZstdDecompressor()
        cache[dict_id] = found
    return found


def _damaged(error: Exception) -> sqlite3.DatabaseError:
    return sqlite3.DatabaseError(f"database disk image is malformed ({error})")


def text_bytes(db: sqlite3.Connection, frame: bytes, limit: int | None = None) -> bytes:
    """The visible text of a frame as UTF-8, or only its first ``limit`` bytes (a snippet of a
    giant article inflates no more than that)."""
    try:
        if limit is None:
            data = _decompressor(db, frame).decompress(frame)
            text_len = _HEADER.unpack_from(data)[0]
            return data[_HEADER.size:_HEADER.size + text_len]
        with _decompressor(db, frame).stream_reader(frame) as reader:
            head = reader.read(_HEADER.size)
            text_len = _HEADER.unpack_from(head)[0]
            return reader.read(min(text_len, limit))
    except (zstandard.ZstdError, struct.error) as error:
        raise _damaged(error) from error


def text_of(db: sqlite3.Connection, frame: bytes, limit: int | None = None) -> str:
    """The visible text of a frame, or only its first ``limit`` bytes' worth (a snippet of a
    giant article inflates no more than that)."""
    return text_bytes(db, frame, limit).decode("utf-8", "replace" if limit is None else "ignore")


def unpack(db: sqlite3.Connection, frame: bytes) -> Body:
    """Everything a frame holds (a damaged one raises sqlite3.DatabaseError: the cache rebuilds)."""
    try:
        data = _decompressor(db, frame).decompress(frame)
        text_len, html_len, media_len = _HEADER.unpack_from(data)
    except (zstandard.ZstdError, struct.error) as error:
        raise _damaged(error) from error
    at = _HEADER.size
    text = data[at:at + text_len].decode("utf-8", "replace")
    at += text_len
    html = data[at:at + html_len].decode("utf-8", "replace")
    at += html_len
    media = _json_list(data[at:at + media_len])
    links = _json_list(data[at + media_len:])
    return Body(html, text, [Media(**m) for m in media if isinstance(m, dict)],
                [Link(**link) for link in links if isinstance(link, dict)])


def _json_list(value: bytes) -> list:
    try:
        data = json.loads(value)
    except ValueError:
        return []
    return data if isinstance(data, list) else []


def dictionary(db: sqlite3.Connection) -> bytes | None:
    """The dictionary new frames use: the newest one the cache holds, or None."""
    row = db.execute("SELECT data FROM dictionaries ORDER BY rowid DESC LIMIT 1").fetchone()
    return row[0] if row else None


def train(db: sqlite3.Connection, paths: list[str]) -> bytes | None:
    """Train a dictionary on a sample of ``paths`` (their first bytes) and store it, inside
    the caller's write transaction; None when there are too few files or training fails."""
    if len(paths) < TRAIN_AT_LEAST:
        return None
    samples: list[bytes | bytearray | memoryview] = []
    for path in random.Random(len(paths)).sample(paths, min(TRAIN_FILES, len(paths))):
        try:
            with open(external(path), "rb") as handle:
                sample = handle.read(TRAIN_BYTES)
        except OSError:
            continue
        if sample:
            samples.append(sample)
    try:
        trained = zstandard.train_dictionary(DICTIONARY_SIZE, samples, level=LEVEL)
    except zstandard.ZstdError:
        return None  # too little or too uniform a sample: frames go without
    data = trained.as_bytes()
    db.execute("INSERT OR REPLACE INTO dictionaries VALUES (?, ?)", (trained.dict_id(), data))
    return data


def unpacked_size(head: bytes, packed: int) -> int:
    """The size of a frame unpacked, from its first bytes (zstd writes it in the frame's
    header); a frame that does not say counts as ten times its ``packed`` size."""
    try:
        size = zstandard.frame_content_size(head)
    except zstandard.ZstdError:
        return packed * 10
    return size if size >= 0 else packed * 10
