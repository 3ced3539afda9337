"""Article text is data: strip terminal control from it and vet the URLs it carries.

Three guards, each in one place:

- :func:`clean` runs on every string read from an archive before it is stored, so
  nothing read from a file reaches the cache as an escape sequence. (It is part of
  how articles are identified, so it stays as it is; new rules go in :func:`printable`.)
- :func:`printable` runs on every string as it leaves the program — CLI text, JSON,
  the app's widgets — file names and caches written by older versions included: C0
  and C1 controls, DEL, bidi controls, invisible format characters and unpaired
  surrogates never reach a terminal or a JSON reader.
- :func:`safe_url` vets a URL when it is read; :func:`openable_url` gives the one form
  of it that is ever opened or written into Markdown: http, https or mailto, every
  character outside a small safe set percent-encoded, ``mailto:`` reduced to its
  addresses, subject and body.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TypeVar
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# and the private-use markers rendering uses for media placeholders.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ue000\ue001\ufeff]"
)
# What never leaves the program: the above, plus the Arabic letter mark and the other
# invisible format characters that can disguise or reorder text (zero-width space, word
# joiner and invisible operators, deprecated format controls, interlinear annotation,
# Mongolian vowel separator, Unicode tag characters) and unpaired surrogates.
# Zero-width (non-)joiners stay: emoji sequences and several scripts need them. So do the
# media placeholder markers (private use, inert on a terminal): only renderers put them in
# text, and :func:`clean` removes them from anything read from an archive.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CLEANED = re.compile(f"{_CONTROL.pattern}|{_SURROGATE.pattern}")  # what clean() changes, CR aside
_SPACE = re.compile(r"\s")  # exactly the characters str.isspace() is true for
_LINE_SEPARATORS = re.compile("\r\n?|[\u2028\u2029]")
T = TypeVar("T")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def clean(text: str) -> str:
    """Remove terminal control characters and bidi overrides; fold CR/CRLF to LF; an unpaired
    surrogate becomes U+FFFD."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CLEANED.search(text) is None:
        return text  # the usual case: nothing to remove, one scan
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """Like :func:`clean`, and fold all whitespace runs to single spaces (titles, names)."""
    return " ".join(clean(text).split())


def printable(text: str) -> str:
    """``text`` as it may leave the program: line breaks as ``\\n``, tabs kept, no control,
    bidi or invisible format character, an unpaired surrogate as U+FFFD."""
    if not text:
        return "" if text is None else text
    if text.isascii():
        if text.isprintable():
            return text
        return _UNPRINTABLE.sub("", _LINE_SEPARATORS.sub("\n", text))
    text = _LINE_SEPARATORS.sub("\n", text)
    text = _UNPRINTABLE.sub("", text)
    return _SURROGATE.sub("\ufffd", text)


def printable_line(text: str) -> str:
    """Like :func:`printable`, on one line: line breaks and tabs become spaces."""
    return printable(text).replace("\n", " ").replace("\t", " ")


ECHO_MAX = 60  # characters of a user's input a message repeats


def echoed(text: str, limit: int = ECHO_MAX) -> str:
    """What the user typed, as a message repeats it: quoted, on one line, printable, and at
    most ``limit`` characters of it (a longer input is cut, its length said), so a 6 KB
    query or id never floods the terminal with itself."""
    line = printable_line(text)
    if len(line) <= limit:
        return repr(line)
    return f"{line[:limit]!r}… ({len(text):,} characters)"


def safe_url(url: str) -> str:
    """Return the URL if it may be offered or opened (http, https, mailto), else ''.

    Scheme-relative URLs (``//host/path``) are taken as https. Anything with control
    characters, whitespace, or starting with ``-`` (an option to a player) is refused.
    """
    url = (url or "").strip()
    if not url or url.startswith("-") or _CONTROL.search(url) or _SPACE.search(url):
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


# Characters kept as they are in each part of an opened URL (everything else, non-ASCII
# included, is percent-encoded as UTF-8): no quote, backslash, angle bracket, backtick,
# brace, pipe, caret, dollar, parenthesis, space or control ever reaches an opener.
_UNRESERVED = "-._~"
_PATH_SAFE = _UNRESERVED + "/:@&+,;=%"
_QUERY_SAFE = _PATH_SAFE + "?"
_USER_SAFE = _UNRESERVED + ":&+,;=%"
_HOST = re.compile(r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?|\[[0-9a-f:.]+\]")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_MAILTO_FIELDS = ("subject", "body")
# Most URLs are already in their openable form: a lowercase http(s) host of letters, digits,
# dots and dashes, an optional port, then only safe characters and well-formed escapes.
_PATH_RUN = r"(?:[A-Za-z0-9\-._~/:@&+,;=]|%[0-9A-Fa-f]{2})*"  # one token per step: linear
_QUERY_RUN = r"(?:[A-Za-z0-9\-._~/:@&+,;=?]|%[0-9A-Fa-f]{2})*"
_ALREADY_CLEAN = re.compile(
    r"https?://[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    rf"(?:/{_PATH_RUN})?(?:\?{_QUERY_RUN})?(?:#{_QUERY_RUN})?"
)


def _encode(part: str, safe: str) -> str:
    """Percent-encode ``part`` but keep well-formed ``%XX`` escapes (a lone ``%`` is encoded)."""
    return quote(_PERCENT.sub("%25", part), safe=safe)


@lru_cache(maxsize=1024)
def _host(hostname: str) -> str:
    """The host in ASCII (IDNA for non-ASCII names), or '' if it is not a host name."""
    if not hostname:
        return ""
    if not hostname.isascii():
        try:
            hostname = hostname.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            return ""
    hostname = hostname.lower()
    if hostname.startswith("[") or ":" in hostname:
        hostname = hostname if hostname.startswith("[") else f"[{hostname}]"
    return hostname if _HOST.fullmatch(hostname) else ""


def _mailto(url: str) -> str:
    """``mailto:`` with only its addresses, subject and body (no ``attach=``, ``cc`` …)."""
    rest = url[len("mailto:"):]
    address, _, query = rest.partition("?")
    address = _encode(unquote(address), "@.,+-_~")
    fields: list[tuple[str, str]] = []
    for key, value in parse_qsl(query.split("#", 1)[0], keep_blank_values=False):
        if key.lower() in _MAILTO_FIELDS and all(k != key.lower() for k, _ in fields):
            fields.append((key.lower(), printable(value)))
    if not address and not fields:
        return ""
    return "mailto:" + address + ("?" + urlencode(fields, quote_via=quote) if fields else "")


def openable_url(url: str) -> str:
    """The one form of ``url`` that may be opened or written into Markdown, or ''.

    http(s): the host checked (IDNA for non-ASCII), the port a number, a backslash read as
    ``/`` as browsers do, tabs and newlines dropped as browsers do, and every character
    outside a small safe set percent-encoded. mailto: only addresses, subject and body.
    Anything else — other schemes, controls, a host that is not a host — is ''.
    """
    if _ALREADY_CLEAN.fullmatch(url or ""):
        return url
    return _openable(url)


def _openable(url: str) -> str:
    """:func:`openable_url` the long way (every URL it does not pass as it is)."""
    url = re.sub("[\t\n\r]", "", (url or "").strip(" \x0c"))
    if url.startswith("//"):
        url = "https:" + url
    if _UNPRINTABLE.search(url) or _SURROGATE.search(url):
        return ""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in _ALLOWED_SCHEMES:
        return ""
    if scheme == "mailto":
        return _mailto(url)
    rest = url[len(scheme) + 1:].replace("\\", "/")
    if not rest.startswith("//"):
        return ""
    try:
        parts = urlsplit("http:" + rest)
        port = parts.port
        hostname = parts.hostname or ""
    except ValueError:
        return ""
    host = _host(hostname)
    if not host:
        return ""
    netloc = host + (f":{port}" if port is not None else "")
    if parts.username is not None:
        user = _encode(parts.username, _USER_SAFE)
        if parts.password is not None:
            user += ":" + _encode(parts.password, _USER_SAFE)
        netloc = user + "@" + netloc
    return urlunsplit((scheme, netloc, _encode(parts.path, _PATH_SAFE),
                       _encode(parts.query, _QUERY_SAFE), _encode(parts.fragment, _QUERY_SAFE)))


def _holds_surrogate(value: object) -> bool:
    """Whether :func:`storable` would change anything in ``value`` (it may say yes where it
    would not: an instance attribute that is no field)."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, tuple | list):
        return any(map(_holds_surrogate, value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = vars(value).values() if hasattr(value, "__dict__") else (
            getattr(value, f.name) for f in dataclasses.fields(value))
        return any(map(_holds_surrogate, parts))
    return False


def storable(value: T) -> T:
    """``value`` (a string, or a dataclass, tuple or list holding strings, as an Article is)
    with every unpaired surrogate replaced by U+FFFD: the one check before anything read
    from an archive is stored, whichever parser field it came through (a URL, a caption)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value  # type: ignore[return-value]
    if not _holds_surrogate(value):
        return value  # the usual case: one quick look instead of rebuilding every part
    if isinstance(value, tuple | list):
        return type(value)(storable(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: storable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        changed = {k: v for k, v in changes.items() if v is not getattr(value, k)}
        return dataclasses.replace(value, **changed) if changed else value
    return value
