"""Format 1: the JSON of Deutsche Welle's article API (``"type": "Article"`` with a ``body`` list).

The typed body blocks are turned into HTML in order — paragraphs as they are, images
as figures with their captions, videos with their best mp4 and HLS sources — and that
HTML goes through the same cleaning as every other format.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from typing import Any

from newsreader.model import Article, Link
from newsreader.sources.common import ParseError, build, parse_time

NAME = "dw-json"

_API_ARTICLE = re.compile(r"https?://api\.dw\.com/api/detail/article/(\d+)")


def recognises(text: str) -> bool:
    """JSON: DW's is the only JSON format, so any JSON document is its to accept or refuse."""
    return text[:1].startswith(("{", "["))


def _no_constant(name: str) -> None:
    """``NaN`` and ``Infinity`` (not JSON, but Python's encoder writes them) read as null."""
    return None


def _float(text: str) -> float | None:
    """A number; one out of a float's range (``1e999``) reads as null."""
    value = float(text)
    return value if value not in (float("inf"), float("-inf")) else None


def _int(text: str) -> int | None:
    """An integer; one too long to be an id or a size (thousands of digits) reads as null,
    so Python's digit limit is never hit and no time goes into converting it."""
    return int(text) if len(text) <= 40 else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _dicts(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _best_size(image: dict) -> str:
    sizes = [s for s in _dicts(image.get("sizes")) if _str(s.get("url"))]
    if not sizes:
        return _str(image.get("url"))

    def width(size: dict) -> int:
        return size["width"] if isinstance(size.get("width"), int) else 0

    return _str(max(sizes, key=width).get("url"))


def _image_html(image: dict) -> str:
    url = _best_size(image)
    if not url:
        return ""
    caption = _str(image.get("description")) or _str(image.get("name"))
    return (f'<figure><img src="{htmllib.escape(url)}"><figcaption>{htmllib.escape(caption)}'
            "</figcaption></figure>")


def _video_html(video: dict) -> str:
    sources = _dicts(video.get("sources"))
    mp4s = [s for s in sources if _str(s.get("format")).lower() == "mp4" and _str(s.get("url"))]
    hls = next((_str(s.get("url")) for s in sources if _str(s.get("format")).lower() in ("hls", "m3u8")), "")

    def bitrate(source: dict) -> int:
        return source["bitrate"] if isinstance(source.get("bitrate"), int) else 0

    mp4 = _str(max(mp4s, key=bitrate).get("url")) if mp4s else ""
    if not (mp4 or hls):
        return ""
    duration = video.get("duration")
    poster = video.get("previewImage")
    poster_url = _best_size(poster) if isinstance(poster, dict) else ""
    attrs = {
        "src": mp4 or hls,
        "data-hls": hls,
        "data-duration": str(duration) if isinstance(duration, int) and duration >= 0 else "",
        "title": _str(video.get("name")),
        "poster": poster_url,
    }
    rendered = " ".join(f'{k}="{htmllib.escape(v)}"' for k, v in attrs.items() if v)
    return f"<video {rendered}></video>"


def _block_html(block: Any) -> str:
    content = block.get("content") if isinstance(block, dict) else block
    if isinstance(content, str):
        return f"<p>{htmllib.escape(content)}</p>"
    if not isinstance(content, dict):
        return ""
    kind = _str(content.get("type"))
    if kind == "Image":
        return _image_html(content)
    if kind in ("Video", "Audio"):
        return _video_html(content)
    text = _str(content.get("text"))
    if kind == "Heading" and text:
        return f"<h3>{text}</h3>"
    return f"<p>{text}</p>" if text else ""


def parse(text: str, path: str) -> list[Article]:
    """Read one DW API article."""
    return [build(**fields(text, path))]


def fields(text: str, path: str) -> dict[str, Any]:
    """What a DW article gives :func:`~newsreader.sources.common.build`, its HTML not yet cleaned."""
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_float, parse_int=_int)
    except RecursionError:
        raise ParseError("JSON nested too deeply") from None
    except json.JSONDecodeError as error:
        raise ParseError(f"invalid JSON ({error.msg} at line {error.lineno})") from None
    except ValueError as error:  # anything else json may raise on odd input
        raise ParseError(f"invalid JSON ({error})") from None
    if not isinstance(data, dict) or data.get("type") != "Article":
        raise ParseError("JSON, but not a DW article (no \"type\": \"Article\")")
    blocks = data.get("body")
    parts: list[str] = []
    if isinstance(data.get("mainContent"), dict):
        parts.append(_image_html(data["mainContent"]))
    if isinstance(blocks, list) and blocks:
        parts.extend(_block_html(block) for block in blocks)
    elif _str(data.get("text")):
        parts.append("".join(f"<p>{htmllib.escape(p)}</p>" for p in _str(data["text"]).split("\n")))
    body = _API_ARTICLE.sub(r"https://www.dw.com/a-\1", "".join(parts))
    article_id = data.get("id")
    url = _str(data.get("permaLink")) or (f"https://www.dw.com/a-{article_id}" if isinstance(article_id, int) else "")
    keywords: list[str] = []
    related: list[Link] = []
    for group in _dicts(data.get("referenceGroups")):
        for item in _dicts(group.get("items")):
            name = _str(item.get("name"))
            if group.get("type") == "Keywords" and name:
                keywords.append(name)
            elif group.get("type") == "InternalContent" and name:
                target = _API_ARTICLE.sub(r"https://www.dw.com/a-\1", _str(item.get("url")))
                if target.startswith("https://www.dw.com/"):
                    related.append(Link(name, target))
    authors = [_str(a.get("name")) for a in _dicts(data.get("authors")) if _str(a.get("name"))]
    return dict(
        url=url or "",
        title=_str(data.get("name")) or _str(data.get("title")),
        html=body,
        source=path,
        fmt=NAME,
        published=parse_time(data.get("displayDate") or data.get("contentDate")),
        summary=_str(data.get("teaser")),
        author=", ".join(authors),
        category=_str(data.get("categoryName")),
        keywords=tuple(keywords),
        outlet_hints=("dw",),
        extra_links=tuple(related),
    )
