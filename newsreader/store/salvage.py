"""Read rows out of a damaged SQLite file by walking its pages, as SQLite's ``.recover`` does.

Used only for the user's state file, whose rows are few and small (read marks, stars,
sources, settings). Works when the 100-byte header is destroyed (the page size is then
taken from the WAL or guessed from the pages) and when b-tree pages are garbage (a page
that does not parse is skipped with whatever hangs below it). Committed frames of the
WAL are applied first, so writes not yet checkpointed are not lost. Only rows reachable
from a table's root are returned, so deleted rows (an unstarred article) never come back.
"""

from __future__ import annotations

import struct
from pathlib import Path

_LEAF_TABLE, _INTERIOR_TABLE, _LEAF_INDEX, _INTERIOR_INDEX = 13, 5, 10, 2
_PAGE_TYPES = {_LEAF_TABLE, _INTERIOR_TABLE, _LEAF_INDEX, _INTERIOR_INDEX}
_SIZES = (4096, 1024, 2048, 8192, 16384, 32768, 65536, 512)


class _Bad(Exception):
    """A page or record that does not parse."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        if pos >= len(data):
            raise _Bad("varint past the end")
        byte = data[pos]
        pos += 1
        if i == 8:
            return (value << 8) | byte, pos
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos
    raise _Bad("unreachable")  # pragma: no cover


def _record(payload: bytes) -> tuple:
    header_size, pos = _varint(payload, 0)
    if header_size > len(payload):
        raise _Bad("record header too long")
    types = []
    while pos < header_size:
        serial, pos = _varint(payload, pos)
        types.append(serial)
    values: list = []
    pos = header_size
    for serial in types:
        if serial == 0:
            values.append(None)
        elif 1 <= serial <= 6:
            width = (1, 2, 3, 4, 6, 8)[serial - 1]
            values.append(int.from_bytes(payload[pos:pos + width], "big", signed=True))
            pos += width
        elif serial == 7:
            values.append(struct.unpack(">d", payload[pos:pos + 8])[0])
            pos += 8
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial >= 12:
            length = (serial - 12) // 2
            chunk = payload[pos:pos + length]
            if len(chunk) != length:
                raise _Bad("value past the end")
            values.append(chunk.decode("utf-8") if serial % 2 else chunk)
            pos += length
        else:
            raise _Bad("reserved serial type")
    if pos > len(payload):
        raise _Bad("record past the end")
    return tuple(values)


class _Pages:
    def __init__(self, data: bytes, wal: bytes) -> None:
        self.data = data
        self.size = 0
        self.override: dict[int, bytes] = {}
        wal_size = self._read_wal(wal)
        header_size = int.from_bytes(data[16:18], "big") if data[:16] == b"SQLite format 3\x00" else 0
        if header_size == 1:
            header_size = 65536
        self.size = wal_size or (header_size if header_size in _SIZES else self._guess())
        self.reserved = data[20] if header_size and len(data) > 20 else 0

    def _read_wal(self, wal: bytes) -> int:
        if len(wal) < 32 or int.from_bytes(wal[:4], "big") not in (0x377F0682, 0x377F0683):
            return 0
        size = int.from_bytes(wal[8:12], "big")
        if size not in _SIZES:
            return 0
        salts = wal[16:24]
        pending: dict[int, bytes] = {}
        pos = 32
        while pos + 24 + size <= len(wal):
            frame = wal[pos:pos + 24]
            if frame[8:16] != salts:
                break
            pending[int.from_bytes(frame[:4], "big")] = wal[pos + 24:pos + 24 + size]
            if int.from_bytes(frame[4:8], "big"):  # a commit frame: everything so far counts
                self.override.update(pending)
                pending = {}
            pos += 24 + size
        return size

    def _guess(self) -> int:
        best, best_score = 4096, -1.0
        for size in _SIZES:
            count = len(self.data) // size
            if not count:
                continue
            good = sum(self.data[(n * size) + (100 if n == 0 else 0)] in _PAGE_TYPES for n in range(count)
                       if (n * size) + 100 < len(self.data))
            score = good / count - (0.001 if len(self.data) % size else 0)
            if score > best_score:
                best, best_score = size, score
        return best

    def page(self, number: int) -> bytes:
        if number in self.override:
            return self.override[number]
        start = (number - 1) * self.size
        page = self.data[start:start + self.size]
        if number < 1 or len(page) != self.size:
            raise _Bad("no such page")
        return page


def _cells(pages: _Pages, number: int) -> tuple[int, list[bytes | tuple[int, bytes]], list[int]]:
    """A page's type, its records' payloads (table leaves: (rowid, payload)) and its children."""
    page = pages.page(number)
    start = 100 if number == 1 else 0
    kind = page[start]
    if kind not in _PAGE_TYPES:
        raise _Bad("not a b-tree page")
    interior = kind in (_INTERIOR_TABLE, _INTERIOR_INDEX)
    count = int.from_bytes(page[start + 3:start + 5], "big")
    header = start + (12 if interior else 8)
    usable = pages.size - pages.reserved
    children = [int.from_bytes(page[start + 8:start + 12], "big")] if interior else []
    payloads: list[bytes | tuple[int, bytes]] = []
    for i in range(count):
        pos = int.from_bytes(page[header + 2 * i:header + 2 * i + 2], "big")
        if not header <= pos < len(page):
            raise _Bad("cell outside the page")
        if interior:
            children.append(int.from_bytes(page[pos:pos + 4], "big"))
            if kind == _INTERIOR_TABLE:
                continue
            pos += 4
        size, pos = _varint(page, pos)
        rowid = None
        if kind == _LEAF_TABLE:
            rowid, pos = _varint(page, pos)
        local_max = usable - 35 if kind == _LEAF_TABLE else ((usable - 12) * 64 // 255) - 23
        if size > local_max:
            continue  # spills to overflow pages: not one of the small rows kept here
        payload = page[pos:pos + size]
        if kind == _LEAF_TABLE:
            payloads.append((rowid or 0, payload))
        else:  # index pages, interior ones too, hold whole rows (WITHOUT ROWID tables)
            payloads.append(payload)
    return kind, payloads, children


def _walk(pages: _Pages, root: int) -> list[tuple]:
    """Every record reachable from ``root``; a page that does not parse is skipped."""
    rows: list[tuple] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        number = stack.pop()
        if number in seen or number < 1:
            continue
        seen.add(number)
        try:
            _kind, payloads, children = _cells(pages, number)
        except (_Bad, IndexError):
            continue
        for item in payloads:
            try:
                rows.append(_record(item[1] if isinstance(item, tuple) else item))
            except (_Bad, UnicodeDecodeError, struct.error):
                continue
        stack.extend(children)
    return rows


def salvage(path: Path) -> dict[str, list[tuple]]:
    """The rows of every table of the SQLite file at ``path`` that can still be read,
    by table name (an empty dict when not even the schema can be found)."""
    data = path.read_bytes()
    wal_path = Path(str(path) + "-wal")
    wal = wal_path.read_bytes() if wal_path.exists() else b""
    pages = _Pages(data, wal)
    tables: dict[str, list[tuple]] = {}
    for entry in _walk(pages, 1):
        if len(entry) >= 4 and entry[0] == "table" and isinstance(entry[3], int) and entry[3] > 1:
            tables[str(entry[1])] = _walk(pages, entry[3])
    return tables
