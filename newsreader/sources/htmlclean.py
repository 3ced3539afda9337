"""Outlet HTML → a clean article body: boilerplate dropped, media and links collected.

One pass over the parse tree (selectolax/lexbor, iterative so deep nesting cannot
overflow the stack) writes a small allow-listed HTML for Markdown rendering and, in
step, the visible text for plain output and search. Each medium is replaced in place
by a placeholder paragraph ``\\ue000N\\ue001 caption`` that renderers turn into
``[Image N] caption``.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsreader import cjk
from newsreader.markers import MARK_CLOSE, MARK_OPEN
from newsreader.model import Link, Media
from newsreader.safetext import _CLEANED, _CONTROL, clean, clean_line, safe_url
from newsreader.sources import boilerplate, printed
from newsreader.sources.numbers import whole_number

_DROP = frozenset({
    "script", "style", "noscript", "template", "form", "button", "input", "select", "textarea",
    "nav", "aside", "svg", "canvas", "head", "title", "meta", "link", "object", "embed", "map",
    "-comment", "time", "address",
})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "figure", "figcaption",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "pre", "table", "tr",
    "hr", "dl", "dt", "dd", "center",
})
# Allow-listed tags written to the clean HTML (everything else is unwrapped to its content).
_KEEP = {
    "p": "p", "div": "div", "section": "div", "article": "div", "main": "div", "center": "div",
    "figure": "div", "figcaption": "p", "header": "div", "footer": "div", "dd": "p", "dt": "p", "dl": "div",
    "h1": "h2", "h2": "h2", "h3": "h3", "h4": "h4", "h5": "h4", "h6": "h4",
    "blockquote": "blockquote", "ul": "ul", "ol": "ol", "li": "li", "pre": "pre",
    "strong": "strong", "b": "strong", "em": "em", "i": "em", "code": "code", "br": "br", "hr": "hr",
    "table": "div", "tr": "p", "sup": "sup", "sub": "sub",
}
# HTML's whitespace (not NBSP, not the ideographic space): it collapses, it is not text.
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_MAIN_SELECTORS = ("[itemprop=articleBody]", ".entry-content", ".post-content", ".article-content",
                   ".article-body", ".story-body")
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "src")


@dataclass
class CleanBody:
    """What the HTML of one article holds, cleaned."""

    html: str
    text: str
    media: list[Media] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    own_time: str = ""  # the outlet's own printed time: ISO text or "dd/mm/yyyy HH:MM"
    author: str = ""


def unwrap_image_proxy(url: str) -> str:
    """The original URL behind an image proxy (images.weserv.nl/?url=…, …/proxy?url=…)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "weserv" in parts.netloc or parts.path.endswith(("/proxy", "/image-proxy")):
        original = parse_qs(parts.query).get("url", [""])[0]
        if original:
            return original if "://" in original[:12] else "https://" + original.lstrip("/")
    return url


def _attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else ""


def _image_url(node: LexborNode) -> str:
    for name in _LAZY_SRC:
        value = _attr(node, name).strip()
        if value and not value.startswith("data:"):
            return safe_url(unwrap_image_proxy(value))
    srcset = _attr(node, "srcset") or _attr(node, "data-srcset")
    if srcset:
        return safe_url(unwrap_image_proxy(srcset.split(",")[-1].strip().split(" ")[0]))
    return ""


def _is_tiny(node: LexborNode) -> bool:
    return _attr(node, "width") in ("0", "1") or _attr(node, "height") in ("0", "1")


def _text_of(node: LexborNode) -> str:
    return clean_line(node.text(deep=True) or "")


def _may_hold(root: LexborNode, line: str) -> bool:
    """False when no node under ``root`` can have ``line`` (clean) as its text: a node's text
    is a stretch of the root's, and it holds every word of ``line`` unless cleaning removed
    something from it (checked for in the root's whole text, once)."""
    whole = root.text(deep=True) or ""
    if "\r" in whole or _CLEANED.search(whole) is not None:
        return True
    return all(word in whole for word in line.split(" "))


def _is_text(node: LexborNode, line: str) -> bool:
    """``_text_of(node) == line`` for a clean ``line``, mostly without cleaning the node's text:
    cleaning never lengthens a text, and a stretch of ``line`` without whitespace is in the
    raw text unless a control character (which cleaning removes) splits it."""
    raw = node.text(deep=True) or ""
    if len(raw) < len(line):
        return False
    head = line.split(" ", 1)[0][:16]
    if head not in raw and not _CONTROL.search(raw):
        return False
    return clean_line(raw) == line


_CAPTION_STYLES = frozenset({"small", "em", "i", "figcaption"})


def _caption_after(image: LexborNode) -> tuple[LexborNode, str] | None:
    """A caption printed right after an image outside any figure, as feed services do
    (``<img …><div><small>资料照片：…</small></div>``): the block and its text."""
    sibling = image.next
    while sibling is not None and sibling.tag == "-text" and not (sibling.text_content or "").strip():
        sibling = sibling.next
    if sibling is None or sibling.tag not in ("div", "p", "figcaption"):
        return None
    styled = sibling.tag == "figcaption" or (sibling.child is not None and sibling.child.tag in _CAPTION_STYLES)
    lines = printed.lines_of(sibling)
    if not styled or len(lines) != 1:
        return None
    return sibling, clean_line(lines[0])


# Blocks a page prints an image's caption in, after the image's own wrapper.
_CAPTION_BLOCKS = frozenset({"div", "p", "figcaption", "span", "small"})
_TITLE_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p"})
_DOUBLED = re.compile(r"^https?://[^/?#]+(?=https?://)", re.I)


def _repair_href(href: str) -> str:
    """A link its site wrote with its own host glued before another absolute URL
    (``https://www.economist.comhttps://open.spotify.com/…``): the URL meant."""
    return _DOUBLED.sub("", href.strip(), count=1)


def _holds_prose(figure: LexborNode) -> bool:
    """A ``<figure>`` used as a wrapper: it holds paragraphs or more than one medium, or text
    outside its caption."""
    if figure.css_first("p, h1, h2, h3, h4, h5, h6, ul, ol, blockquote, table") is not None:
        return True
    if len(figure.css("img, video, iframe")) > 1:
        return True
    whole = len(_text_of(figure))
    captions = sum(len(_text_of(c)) for c in figure.css("figcaption"))
    return whole - captions > 0


class _Writer:
    """Accumulates the clean HTML and the visible text of one body."""

    def __init__(self) -> None:
        self.html: list[str] = []
        self.blocks: list[str] = []
        self.line: list[str] = []
        self.in_pre = 0

    def text(self, value: str) -> None:
        """Text as HTML shows it: runs of ASCII whitespace collapse to one space (kept, never
        dropped, so ``word <a>link</a> word`` keeps both spaces); a space opening a line or
        following another is not written."""
        if not self.in_pre:
            value = _HTML_SPACE.sub(" ", value)
            if value.startswith(" ") and (not self.line or self.line[-1].endswith((" ", "\n"))):
                value = value[1:]
            if not value:
                return
        self.html.append(htmllib.escape(value, quote=False) if "&" in value or "<" in value or ">" in value
                         else value)
        self.line.append(value)

    def tag(self, markup: str) -> None:
        self.html.append(markup)

    def hard_break(self) -> None:
        self.line.append("\n")

    def end_block(self, prefix: str = "") -> None:
        text = "".join(self.line)
        if self.in_pre:
            text = text.strip("\n")
        elif "\n" in text:
            text = "\n".join(part.strip() for part in text.split("\n"))
        else:
            text = text.strip()
        if text.strip():
            self.blocks.append(prefix + text.strip() if not self.in_pre else text)
        self.line = []


def _find_main(tree: LexborHTMLParser) -> LexborNode | None:
    for selector in _MAIN_SELECTORS:
        node = tree.css_first(selector)
        if node is not None and _text_of(node):
            return node
    return tree.body


# Elements nested deeper than this are unwrapped before parsing: the HTML parser's tree
# building costs time in proportion to the depth for every tag (quadratic in all), and no
# article needs more than a few dozen levels.
MAX_DEPTH = 512
_TAG_RE = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                   "source", "track", "wbr"})


def bound_depth(html: str) -> str:
    """``html`` with tags that would open elements beyond :data:`MAX_DEPTH` levels (and their
    closing tags) removed; their text stays. Linear; a no-op for ordinary pages."""
    if html.count("<") <= MAX_DEPTH:
        return html
    pieces: list[str] = []
    depth = skipped = last = 0
    for match in _TAG_RE.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID or match.group(0).endswith("/>"):
            continue
        if not closing:
            if depth < MAX_DEPTH:
                depth += 1
                continue
            skipped += 1
        elif skipped:
            skipped -= 1
        else:
            depth = max(depth - 1, 0)
            continue
        pieces.append(html[last:match.start()])
        last = match.end()
    if not pieces:
        return html
    pieces.append(html[last:])
    return "".join(pieces)


MAX_ATTRIBUTES = 256  # per element: no real page comes near; the parser is quadratic in them
_ATTRIBUTE = re.compile(r"""[\s/]*[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")
_TAG_NAME = re.compile(r"<[A-Za-z][^\s/>]*")


def bound_attributes(html: str) -> str:
    """``html`` with each tag's attributes past :data:`MAX_ATTRIBUTES` removed (lexbor checks
    every new attribute against those before it: 40,000 on one tag took 4 s, 200,000 minutes).
    Attributes are read as HTML reads them (a quoted ``>`` does not end the tag). Linear: each
    character is looked at a bounded number of times; one count for an ordinary page."""
    if html.count("=") <= 16 * MAX_ATTRIBUTES:
        return html
    pieces: list[str] = []
    last = 0
    tag = _TAG_NAME.search(html)
    while tag is not None:
        position, count, kept = tag.end(), 0, tag.end()
        while (attribute := _ATTRIBUTE.match(html, position)) is not None:
            position = attribute.end()
            count += 1
            if count == MAX_ATTRIBUTES:
                kept = position
        if count > MAX_ATTRIBUTES:
            pieces.append(html[last:kept])
            last = position
        tag = _TAG_NAME.search(html, max(position, tag.end()))
    if not pieces:
        return html
    pieces.append(html[last:])
    return "".join(pieces)


# A run of line breaks (whitespace between them) shows as one blank line at most: three or
# more are written as two before parsing. Each element costs the passes below microseconds of
# Python; a page of a million <br> took 17 s and half a gigabyte to index.
_BREAKS = re.compile(r"(?:<br\s*/?>[ \t\r\n]*){3,}", re.I)
# Boilerplate is looked for on pages of up to this many tags (the largest real article of the
# samples has under a thousand); a bigger one is pathological, and only cleaned (its time
# per element is then the walk's alone, about a third).
MAX_PRUNED_TAGS = 50_000


def clean_html(source_html: str, *, title: str = "", url: str = "") -> CleanBody:
    """Clean one article's HTML. ``title`` lets a heading that repeats it be dropped; ``url``
    (the article's own) tells links to other articles of the same site from the rest."""
    source_html = cjk.unwrap_source_lines(source_html.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""))
    if "<br" in source_html or "<BR" in source_html or "<Br" in source_html or "<bR" in source_html:
        source_html = _BREAKS.sub("<br><br>", source_html)
    source_html = bound_attributes(bound_depth(source_html))
    tree = LexborHTMLParser(source_html)
    root = _find_main(tree)
    if root is None:
        return CleanBody(html="", text="")
    own_time, author = printed.own_time(tree.root or root)
    address = tree.css_first("address")
    if address is not None:
        author = _text_of(address)
    if source_html.count("<") <= MAX_PRUNED_TAGS:
        boilerplate.prune(root, url)
    return _Walk(title).run(root, own_time, author)


class _Walk:
    """The single iterative pass that writes clean HTML and text and collects media."""

    def __init__(self, title: str) -> None:
        self.title = clean_line(title)
        self.out = _Writer()
        self.media: list[Media] = []
        self.links: dict[str, Link] = {}
        self.list_depth = 0
        self.open_links: list[bool] = []
        self.caption_at: int | None = None  # blocks written when the last medium with a caption ended
        self.skip: set[int] = set()  # blocks already taken (a caption printed after its image)  # for each <a> being walked: was an <a href> written

    def run(self, root: LexborNode, own_time: str, author: str) -> CleanBody:
        if self.title and not _may_hold(root, self.title):
            self.title = ""  # no node is the headline: no text of a node need be made to compare
        stack: list[tuple[LexborNode, str]] = [(root, "")]  # (node, its tag when it is to be closed)
        push, pop, write_text = stack.append, stack.pop, self.out.text
        walked: set[int] = set()  # a tree lexbor left with a loop in it (<?x?> after a stray </a>
        # in <noscript>) is walked once, never forever
        while stack:
            node, closing = pop()
            if closing:
                self.close(node, closing)
                continue
            if node.mem_id in walked:
                continue
            walked.add(node.mem_id)
            tag = node.tag or ""
            if tag == "-text":
                value = node.text_content
                if value:
                    if "輯" in value or "辑" in value:
                        value = _EDITOR_CODE.sub(r"\1", value)
                    write_text(clean(value))
                continue
            if not self.open(node, tag):
                continue
            push((node, tag))
            child = node.last_child
            while child is not None:
                push((child, ""))
                child = child.prev
        self.out.end_block()
        text = "\n\n".join(self.out.blocks)
        return CleanBody(html="".join(self.out.html), text=text, media=self.media,
                         links=list(self.links.values()), own_time=own_time, author=author)

    def open(self, node: LexborNode, tag: str) -> bool:
        """Handle the opening of an element (``tag``, never a text node); False when the
        node's children are not to be walked."""
        if tag in _DROP or tag.startswith("-"):
            return False
        if self.skip and node.mem_id in self.skip:
            return False
        if tag in ("img", "figure", "video", "audio", "iframe", "picture") or (
            tag == "blockquote" and "twitter-tweet" in _attr(node, "class")
        ):
            if self.medium(node, tag):
                return False
            if tag not in ("figure", "picture"):
                return False
        if tag in _TITLE_TAGS and self.title and _is_text(node, self.title):
            return False  # the headline repeated in the page (a heading or a title paragraph)
        if tag == "figcaption" and self.media and self.media[-1].caption and (
                _text_of(node) == self.media[-1].caption):
            return False  # a caption outside any <figure>, already the image's caption
        if tag in _CAPTION_BLOCKS and self.caption_at == len(self.out.blocks) and not "".join(
                self.out.line).strip() and _text_of(node) == self.media[-1].caption:
            return False  # the image's caption printed again right after it (alt, then div.picinfo)
        if tag in _BLOCK:
            self.out.end_block()
        if tag == "a":
            href = safe_url(_repair_href(_attr(node, "href")))
            text = _text_of(node)
            written = bool(href and text)
            if written:
                self.links.setdefault(href, Link(text, href))
                self.out.tag(f'<a href="{htmllib.escape(href)}">')
            self.open_links.append(written)
            return True
        kept = _KEEP.get(tag)
        if tag == "br":
            self.out.tag("<br>")
            self.out.hard_break()
            return False
        if tag == "hr":
            self.out.tag("<hr>")
            return False
        if kept:
            self.out.tag(f"<{kept}>")
        if tag == "pre":
            self.out.in_pre += 1
        if tag in ("ul", "ol"):
            self.list_depth += 1
        return True

    def close(self, node: LexborNode, tag: str) -> None:
        if tag == "a":
            if self.open_links.pop():
                self.out.tag("</a>")
            return
        kept = _KEEP.get(tag)
        if kept and tag not in ("br", "hr"):
            if self.out.html and self.out.html[-1] == f"<{kept}>":
                self.out.html.pop()  # an empty element (an icon <i></i>) is no emphasis: "__" in Markdown
            else:
                self.out.tag(f"</{kept}>")
        if tag in ("ul", "ol"):
            self.list_depth -= 1
        if tag in _BLOCK:
            self.out.end_block("• " if tag == "li" else "")
        if tag == "pre":
            self.out.in_pre -= 1

    def medium(self, node: LexborNode, tag: str) -> bool:
        """Replace a medium by a placeholder; False if it holds nothing openable."""
        caption = ""
        found: Media | None = None
        if tag in ("figure", "picture"):
            if tag == "figure" and _holds_prose(node):
                return False  # a figure wrapping paragraphs: walk it, its images become media one by one
            img = node.css_first("img")
            video = node.css_first("video")
            caption_node = node.css_first("figcaption")
            caption = _text_of(caption_node) if caption_node is not None else ""
            inner = img or video
            if inner is None:
                return False
            found = self._media_of(inner, inner.tag or "", caption)
        else:
            found = self._media_of(node, tag, "")
            after = _caption_after(node) if found is not None and tag == "img" else None
            if found is not None and after is not None:
                if not found.caption or found.caption == after[1]:
                    found = replace(found, caption=after[1])
                self.skip.add(after[0].mem_id)
        if found is None:
            return False
        self.out.end_block()
        self.media.append(found)
        number = len(self.media)
        marker = f"{MARK_OPEN}{number}{MARK_CLOSE}"
        self.out.tag(f"<p>{marker} {htmllib.escape(found.caption, quote=False)}</p>")
        self.out.line.append(f"{marker} {found.caption}".rstrip())
        self.out.end_block()
        if found.caption:
            self.caption_at = len(self.out.blocks)
        return True

    def _media_of(self, node: LexborNode, tag: str, caption: str) -> Media | None:
        if tag == "img":
            url = _image_url(node)
            if not url or _is_tiny(node):
                return None
            caption = caption or _described(_attr(node, "alt")) or _described(_attr(node, "title"))
            return Media("image", url, caption)
        if tag in ("video", "audio"):
            sources = [_attr(node, "src")] + [_attr(s, "src") for s in node.css("source")]
            urls = [safe_url(u) for u in sources if u]
            urls = [u for u in urls if u]
            hls = safe_url(_attr(node, "data-hls")) or next((u for u in urls if ".m3u8" in u), "")
            mp4 = next((u for u in urls if ".m3u8" not in u), "")
            if not (mp4 or hls):
                return None
            duration = _attr(node, "data-duration")
            return Media("video" if tag == "video" else "audio", mp4 or hls,
                         caption or clean_line(_attr(node, "title")),
                         whole_number(duration, 9), hls,
                         safe_url(_attr(node, "poster")))
        if tag == "iframe":
            url = safe_url(_attr(node, "src") or _attr(node, "data-src"))
            return Media("embed", url, caption or clean_line(_attr(node, "title"))) if url else None
        if tag == "blockquote":  # a tweet: its text, and the status link
            anchors = [safe_url(_attr(a, "href")) for a in node.css("a")]
            status = next((a for a in reversed(anchors) if "/status/" in a), "") or next(
                (a for a in anchors if a), "")
            text = _text_of(node)
            return Media("embed", status, text) if status else None
        return None


# An image's alt or title that describes nothing: a word for "image", punctuation, a file name.
_PLACEHOLDER = re.compile(r"(?:img|image|images|photo|picture|pic|icon|logo|line|spacer|banner|thumbnail"
                          r"|图|图片|圖|圖片|照片|配图|配圖|[\W_]*|[\w-]+\.(?:jpe?g|png|gif|webp|svg|bmp)"
                          r"|(?:img|image|dsc|photo)[-_ ]?\d+)", re.IGNORECASE)


def _described(value: str) -> str:
    """An image's alt or title as a caption, or "" when it is a placeholder (``alt="img"``)."""
    text = clean_line(value)
    return "" if _PLACEHOLDER.fullmatch(text) else text


# An editor's credit followed by the outlet's filing code, a date in the Republic of China's
# calendar (CNA: "（編輯：楊昭彥）1100121" for 2021-01-21): the code is not the reader's text.
_EDITOR_CODE = re.compile(r"([（(](?:編輯|编辑)[：:][^（）()\n]{1,40}[）)])\s*1\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                          r"(?=\s*$)")
