"""Read rows out of a damaged SQLite file by walking its pages, as SQLite's ``.recover`` does.

Used only for the user's state file, whose rows are few and small (read marks, stars,
sources, settings). Works when the 100-byte header is destroyed (the page size is then
taken from the WAL or guessed from the pages) and when b-tree pages are garbage: a page that
does not parse is skipped, and the pages that hung below it (found because nothing else
points to them and the free list does not hold them) are given back to their table. Committed frames of the
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
        self.wal_pages = 0
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
                self.wal_pages = int.from_bytes(frame[4:8], "big")
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

    def page_count(self) -> int:
        """How many pages the database has: the last commit's size in the WAL, else the
        header's (when it is current), else the file's."""
        if self.wal_pages:
            return self.wal_pages
        if self.data[:16] == b"SQLite format 3\x00" and self.data[24:28] == self.data[92:96]:
            header = int.from_bytes(self.data[28:32], "big")
            if header:
                return header
        return len(self.data) // self.size if self.size else 0

    def page(self, number: int) -> bytes:
        if number in self.override:
            return self.override[number]
        start = (number - 1) * self.size
        page = self.data[start:start + self.size]
        if number < 1 or len(page) != self.size:
            raise _Bad("no such page")
        return page


Key = tuple  # a record's sort key (see _key)
_LOW: Key = ()
_HIGH: Key = ((9,),)  # above every key


def _key(values: tuple) -> Key:
    """A record's place in SQLite's order: NULL, then numbers, then text (UTF-8 bytes, the
    BINARY collation), then blobs, field by field."""
    out: list[tuple] = []
    for value in values:
        if value is None:
            out.append((0,))
        elif isinstance(value, int | float):
            out.append((1, value))
        elif isinstance(value, str):
            out.append((2, value.encode("utf-8", "surrogatepass")))
        else:
            out.append((3, value))
    return tuple(out)


class _Page:
    """One parsed b-tree page: its kind, its records' payloads (table leaves: (rowid,
    payload)), and its children with the key range each holds."""

    def __init__(self, pages: _Pages, number: int) -> None:
        page = pages.page(number)
        start = 100 if number == 1 else 0
        self.kind = page[start]
        if self.kind not in _PAGE_TYPES:
            raise _Bad("not a b-tree page")
        interior = self.kind in (_INTERIOR_TABLE, _INTERIOR_INDEX)
        count = int.from_bytes(page[start + 3:start + 5], "big")
        header = start + (12 if interior else 8)
        usable = pages.size - pages.reserved
        self.payloads: list[bytes | tuple[int, bytes]] = []
        self.children: list[tuple[int, Key, Key]] = []
        low: Key = _LOW
        for i in range(count):
            pos = int.from_bytes(page[header + 2 * i:header + 2 * i + 2], "big")
            if not header <= pos < len(page):
                raise _Bad("cell outside the page")
            child = 0
            if interior:
                child = int.from_bytes(page[pos:pos + 4], "big")
                pos += 4
                if self.kind == _INTERIOR_TABLE:  # the divider is a rowid: the child holds rowids <= it
                    divider, _ = _varint(page, pos)
                    self.children.append((child, low, ((1, divider),)))
                    low = ((1, divider),)
                    continue
            size, pos = _varint(page, pos)
            rowid = None
            if self.kind == _LEAF_TABLE:
                rowid, pos = _varint(page, pos)
            local_max = usable - 35 if self.kind == _LEAF_TABLE else ((usable - 12) * 64 // 255) - 23
            if size > local_max:
                if interior:
                    self.children.append((child, low, _HIGH))  # a divider not kept here: bound unknown
                    low = _LOW
                continue  # spills to overflow pages: not one of the small rows kept here
            payload = page[pos:pos + size]
            if self.kind == _LEAF_TABLE:
                self.payloads.append((rowid or 0, payload))
            else:  # index pages, interior ones too, hold whole rows (WITHOUT ROWID tables)
                self.payloads.append(payload)
                if interior:
                    bound = _key(_record_or_empty(payload))
                    self.children.append((child, low, bound or _HIGH))
                    low = bound or _LOW
        if interior:
            self.children.append((int.from_bytes(page[start + 8:start + 12], "big"), low, _HIGH))

    def records(self) -> list[tuple]:
        """The rows on this page that parse (table leaves: their rowid first, as _key orders them)."""
        rows = []
        for item in self.payloads:
            try:
                rows.append(_record(item[1] if isinstance(item, tuple) else item))
            except (_Bad, UnicodeDecodeError, struct.error):
                continue
        return rows

    def keys(self) -> list[Key]:
        """Each record's key: a table leaf's rowid, an index page's record."""
        if self.kind == _LEAF_TABLE:
            return [((1, item[0]),) for item in self.payloads if isinstance(item, tuple)]
        return [_key(row) for row in self.records()]


def _record_or_empty(payload: bytes) -> tuple:
    try:
        return _record(payload)
    except (_Bad, UnicodeDecodeError, struct.error):
        return ()


class _Tree:
    """What a walk from one root found: its rows, the pages it reached, and the key ranges
    under pages that did not parse (their rows may still be on pages nothing points to)."""

    def __init__(self, pages: _Pages, root: int, reached: set[int], kind: int = 0) -> None:
        self.rows: list[tuple] = []
        self.lost: list[tuple[Key, Key]] = []
        self.kinds: set[int] = {kind} if kind else set()  # the leaf kinds it holds (table or index)
        stack: list[tuple[int, Key, Key]] = [(root, _LOW, _HIGH)]
        while stack:
            number, low, high = stack.pop()
            if number in reached or number < 1:
                continue
            reached.add(number)
            try:
                page = _Page(pages, number)
            except (_Bad, IndexError):
                self.lost.append((low, high))
                continue
            self.kinds.add(_LEAF_TABLE if page.kind in (_LEAF_TABLE, _INTERIOR_TABLE) else _LEAF_INDEX)
            self.rows.extend(page.records())
            stack.extend(page.children)

    def holds(self, kind: int, keys: list[Key]) -> bool:
        """Whether a page of ``kind`` with ``keys`` fits under one of this tree's lost ranges."""
        if not self.lost or (self.kinds and kind not in self.kinds):
            return False
        return any(all(low <= key <= high for key in keys) for low, high in self.lost)


def _walk(pages: _Pages, root: int) -> list[tuple]:
    """Every record reachable from ``root``; a page that does not parse is skipped."""
    return _Tree(pages, root, set()).rows


def _freelist(pages: _Pages) -> set[int] | None:
    """The pages on the free list (they may hold deleted rows), or None when page 1's header
    is gone and it cannot be known."""
    try:
        first = pages.page(1)
    except _Bad:
        return None
    if first[:16] != b"SQLite format 3\x00":
        return None
    free: set[int] = set()
    trunk = int.from_bytes(first[32:36], "big")
    while trunk and trunk not in free:
        free.add(trunk)
        try:
            page = pages.page(trunk)
        except _Bad:
            return None
        count = int.from_bytes(page[4:8], "big")
        if count > (len(page) - 8) // 4:
            return None
        free.update(int.from_bytes(page[8 + 4 * i:12 + 4 * i], "big") for i in range(count))
        trunk = int.from_bytes(page[:4], "big")
    return free


def salvage(path: Path) -> dict[str, list[tuple]]:
    """The rows of every table of the SQLite file at ``path`` that can still be read,
    by table name (an empty dict when not even the schema can be found).

    When a page of a table's b-tree does not parse, the pages below it are not lost: every
    page no tree reaches and the free list does not hold is read, and its rows go to the
    one table whose lost key range (from the parent's dividers) and page kind fit them.
    Rows that fit more than one table are returned under ``""`` (not placed)."""
    data = path.read_bytes()
    wal_path = Path(str(path) + "-wal")
    wal = wal_path.read_bytes() if wal_path.exists() else b""
    pages = _Pages(data, wal)
    reached: set[int] = set()
    schema = _Tree(pages, 1, reached)
    trees: dict[str, _Tree] = {}
    tables: dict[str, list[tuple]] = {}
    for entry in schema.rows:
        if len(entry) >= 4 and entry[0] in ("table", "index") and isinstance(entry[3], int) and entry[3] > 1:
            rowid_table = entry[0] == "table" and "WITHOUT ROWID" not in str(entry[4] if len(entry) > 4 else "").upper()
            tree = _Tree(pages, entry[3], reached, _LEAF_TABLE if rowid_table else _LEAF_INDEX)
            trees[f"{entry[0]} {entry[1]}"] = tree
            if entry[0] == "table":
                tables[str(entry[1])] = tree.rows
    if any(tree.lost for tree in trees.values()):
        _adopt_orphans(pages, reached, trees, tables)
    return tables


def _adopt_orphans(pages: _Pages, reached: set[int], trees: dict[str, _Tree],
                   tables: dict[str, list[tuple]]) -> None:
    free = _freelist(pages)
    if free is None:
        return  # deleted rows on free pages could not be told from lost ones
    count = pages.page_count()
    unplaced: list[tuple] = []
    for number in range(2, count + 1):
        if number in reached or number in free:
            continue
        try:
            page = _Page(pages, number)
        except (_Bad, IndexError):
            continue
        leaf = _LEAF_TABLE if page.kind in (_LEAF_TABLE, _INTERIOR_TABLE) else _LEAF_INDEX
        keys = page.keys()
        rows = page.records()
        if not rows:
            continue
        homes = [name for name, tree in trees.items() if tree.holds(leaf, keys)]
        if len(homes) == 1:
            kind, _, name = homes[0].partition(" ")
            if kind == "table":
                tables.setdefault(name, []).extend(rows)
        else:
            unplaced.extend(rows)
    if unplaced:
        tables.setdefault("", []).extend(unplaced)
