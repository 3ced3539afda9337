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


def looks_binary(head: bytes) -> bool:
    """True when the first bytes hold NULs outside a UTF-16 text (an image, a database)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head[:4096]


def decode(data: bytes) -> str:
    """Decode archive bytes to str, or raise :class:`DecodeError`."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # as with UTF-8: a stray byte at the end (a truncated copy) or an unpaired surrogate
        # becomes U+FFFD, not the loss of the whole article
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if looks_binary(data):
        raise DecodeError("binary file, not text")
    best = from_bytes(data[:200_000], cp_isolation=_CANDIDATES).best()
    if best is None:
        raise DecodeError("not text in UTF-8, UTF-16, GB18030 or Big5")
    try:
        return data.decode(best.encoding, errors="replace")
    except LookupError:  # pragma: no cover - charset-normalizer names only codecs Python has
        raise DecodeError(f"unknown encoding {best.encoding}") from None
