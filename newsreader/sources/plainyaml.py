"""Front matter of plain one-line ``key: value`` entries, read as the YAML library reads it, faster.

Most posts' front matter is a few lines of ``key: value``, ``key: "text"`` and
``key: [ a, b ]``. Building PyYAML's node graph for them costs more than the rest of
a post's header together. :func:`read` takes such a block apart line by line and hands
each scalar to PyYAML's own resolver and constructor (so ``yes`` is a bool, a date a
datetime, exactly as ``yaml.safe_load`` has them); the moment a line is anything else —
an escape, a quote inside a quoted string, an anchor, a tag, a comment, a nested block,
a key the resolver would not read as text — it returns None and the caller uses YAML.
"""

from __future__ import annotations

import re
from typing import Any

from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_ENTRY = re.compile(r"([A-Za-z_][\w-]*): +(.+)")
# Characters YAML refuses in a stream, line breaks other than LF and CRLF, and tabs.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_NOT_IN_FLOW = frozenset(",[]{}:#'\"")


def _scalar(text: str, flow: bool = False) -> tuple[bool, Any]:
    """(True, the value YAML gives the plain scalar ``text``), or (False, None) when it is
    not one this module is sure of (only text and timestamps are)."""
    if not text or text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False, None
    if flow and any(c in _NOT_IN_FLOW for c in text):
        return False, None
    tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
    if tag == _STR:
        return True, text
    if tag == _TIMESTAMP:
        try:
            return True, _CONSTRUCTOR.construct_yaml_timestamp(ScalarNode(tag, text))
        except (ValueError, OverflowError):
            return False, None
    return False, None


def _value(text: str) -> tuple[bool, Any]:
    first = text[0]
    if first in "\"'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != first or first in inner or "\\" in inner:
            return False, None
        return True, inner
    if first == "[":
        if not text.endswith("]"):
            return False, None
        inside = text[1:-1].strip(" ")
        if not inside:
            return True, []
        items = []
        for item in inside.split(","):
            ok, value = _scalar(item.strip(" "), flow=True)
            if not ok:
                return False, None
            items.append(value)
        return True, items
    return _scalar(text)


def read(block: str) -> dict[str, Any] | None:
    """The mapping ``yaml.safe_load(block)`` gives, for a block of plain one-line entries;
    None for any other block."""
    if _UNUSUAL.search(block):
        return None
    data: dict[str, Any] = {}
    for line in block.split("\n"):
        line = line.removesuffix("\r").rstrip(" ")
        if not line:
            continue
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            return None
        key, text = entry.groups()
        key_ok, key_value = _scalar(key)
        ok, value = _value(text)
        if not (key_ok and ok) or key_value != key:
            return None
        data[key] = value
    return data or None
