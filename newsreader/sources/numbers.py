"""Numbers read from archive files: the one guarded way to turn file text into an int."""

from __future__ import annotations


def whole_number(text: str, digits: int = 16) -> int | None:
    """``text`` as a non-negative integer if it is 1 to ``digits`` ASCII digits, else None.

    ``str.isdigit`` also accepts ④ and ², which ``int`` refuses, and ``int`` refuses more
    than 4,300 digits: both raised from inside a parser and cost a whole file.
    """
    text = text.strip()
    if not text or len(text) > digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)
