"""Article text is data: strip terminal control from it and vet the URLs it carries.

Every string that came from an archive passes through :func:`clean` before it is
stored, so nothing read from a file can reach a terminal as an escape sequence,
and through :func:`safe_url` before it is offered as a link or opened.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# and the private-use markers rendering uses for media placeholders.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ue000\ue001\ufeff]"
)
# Unpaired surrogates (a JSON "\ud800" escape): not text, cannot be stored or printed.
_SURROGATE = re.compile("[\ud800-\udfff]")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def clean(text: str) -> str:
    """Remove terminal control characters and bidi overrides; fold CR/CRLF to LF; an unpaired
    surrogate becomes U+FFFD."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, and fold all whitespace runs to single spaces (titles, names)."""
    return " ".join(clean(text).split())


def safe_url(url: str) -> str:
    """Return the URL if it may be offered or opened (http, https, mailto), else ''.

    Scheme-relative URLs (``//host/path``) are taken as https. Anything with control
    characters, whitespace, or starting with ``-`` (an option to a player) is refused.
    """
    url = (url or "").strip()
    if not url or url.startswith("-") or _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in _ALLOWED_SCHEMES:
        return ""
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return ""
    return url
