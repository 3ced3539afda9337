"""Bytes to text: the encodings real Chinese archives use.

UTF-8 (with or without BOM) and UTF-16 with BOM are recognised directly; anything
else is handed to charset-normalizer, restricted to the legacy Chinese encodings
(GB18030, Big5) and a few Western ones, so a short GBK file is not mistaken for Latin-1.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes


class DecodeError(ValueError):
    """The bytes are not text in any encoding we read."""


_CANDIDATES = ["gb18030", "big5", "big5hkscs", "utf_16", "cp1252"]


# The opening bytes of formats an archive folder holds beside its articles (images, documents,
# archives, databases, programs): binary whatever else the bytes look like.
_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"SQLite format 3\x00", b"PK\x03\x04",
          b"\x1f\x8b", b"\x28\xb5\x2f\xfd", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"\x7fELF", b"RIFF",
          b"OggS", b"ID3", b"wOF")
# A text may hold a few stray NULs (a bad copy, a tool's bug); a binary file holds them
# everywhere (compressed data one byte in 256, tables and headers far more).
MAX_NUL_SHARE = 0.01


def looks_binary(head: bytes) -> bool:
    """True when the first bytes are a known binary format's, or hold NULs outside a UTF-16
    text in a share no text holds (an image, a database). A stray NUL is not enough: see
    :func:`decode`, which drops NULs from a text that is text without them."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.startswith(_MAGIC):
        return True
    head = head[:4096].rstrip(b"\x00")  # a tail of zeros: a copy a crash cut short
    return head.count(b"\x00") > len(head) * MAX_NUL_SHARE


def _without_nuls(data: bytes) -> bytes:
    """``data`` without its NULs when they are strays in a text: few (see MAX_NUL_SHARE) or a
    tail of zeros, and the rest valid UTF-8, GB18030 or Big5 as it stands; else DecodeError."""
    body = data.rstrip(b"\x00")
    if looks_binary(body) or body.count(b"\x00") > len(body) * MAX_NUL_SHARE:
        raise DecodeError("binary file, not text")
    cleaned = body.replace(b"\x00", b"")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            cleaned.decode(encoding)
        except UnicodeDecodeError:
            continue
        return cleaned
    raise DecodeError("binary file, not text")


def decode(data: bytes) -> str:
    """Decode archive bytes to str, or raise :class:`DecodeError`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
        if b"\x00" in data and not looks_binary(data) and data.count(b"\x00") <= len(data) * MAX_NUL_SHARE:
            data = data.replace(b"\x00", b"")  # strays, as below
        return data.decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # as with UTF-8: a stray byte at the end (a truncated copy) or an unpaired surrogate
        # becomes U+FFFD, not the loss of the whole article
        return data.decode("utf-16", errors="replace")
    if looks_binary(data):
        raise DecodeError("binary file, not text")
    if b"\x00" in data:
        data = _without_nuls(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000], cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in UTF-8, UTF-16, GB18030 or Big5")
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError:  # pragma: no cover - charset-normalizer names only codecs Python has
        raise DecodeError(f"unknown encoding {best.encoding}") from None
