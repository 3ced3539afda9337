"""The page around an article, found by structure: share bars, comment threads, related lists, pagers.

Run on the parse tree before the walk (see htmlclean.py). Every rule looks at what a
block *is* — a comment section, a list of links to other articles of the same site,
a pager, a byline block — never at which site it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selectolax.lexbor import LexborNode

from newsreader.safetext import _CLEANED, clean_line

_SHARE_HOSTS = ("facebook.com/dialog", "facebook.com/sharer", "whatsapp", "x.com/intent",
                "twitter.com/intent", "t.me/share", "telegram.me/share", "line.me", "weibo.com/share",
                "linkedin.com/share", "reddit.com/submit", "mailto:?")
_BOILERPLATE_TEXT = re.compile(r"^\s*(分享\s*[:：]?|Share\s*:?|获取更多RSS.*|獲取更多RSS.*|更多RSS.*"
                               r"|The post .{1,300} appeared first on .{1,120})\s*$", re.S)  # WordPress feed footer

# Page furniture by its usual class names (WordPress, Drupal, Jetpack and the like).
_FURNITURE = (
    "[class*=share], [class*=social], .entry-meta, .entry-footer, .post-tags, .sharedaddy, .jp-relatedposts, "
    ".entry-author-wrapper, .byline, .cat-links, .page-header, .entry-header, .navigation__primary-inner, "
    ".sidebar, .submitted, .comment-submitted, [class*=author-wrap], [class*=author-info], .post-meta, "
    ".article-meta, "
    # text a page hides from sight (screen-reader labels, hidden blocks)
    ".element-invisible, .visually-hidden, .sr-only, .screen-reader-text, [hidden], "
    "[style*='display:none'], [style*='display: none']"
)
# A class or id word that names a comment section, a related list or a pager.
_SECTION_WORD = re.compile(
    r"(?:^|[\s_-])(comments?|comment-(?:wrapper|list|area|form|reply|add)|commentlist|respond|disqus"
    r"|replies|related|relatedposts|more-?articles?|morearticle|read-?more|recommend(?:ed|ations?)?"
    r"|pager|pagination|page-numbers|nav-links|post-navigation|wp-pagenavi)(?:$|[\s_-])", re.I)
# Words a short heading of such a section says.
_SECTION_HEADING = re.compile(
    r"^\W*(\d+\s*)?(条|則|則)?(评论|評論|留言|回复|回覆|发表评论|發表評論|相关文章|相關文章|相关阅读|相關閱讀|延伸阅读|"
    r"延伸閱讀|推荐阅读|推薦閱讀|更多阅读|更多閱讀|猜你喜欢|热门文章|熱門文章|Comments?|Responses?|Replies|"
    r"Leave a (?:Reply|Comment)|Related(?: (?:Posts|Articles|Stories|Reading))?|Read more|More from)\W*(\d+)?\W*$",
    re.I)
_PAGER_TEXT = re.compile(r"^[\s\d«»‹›<>|.…·/,-]*(上一页|上一頁|下一页|下一頁|上一篇|下一篇|Previous|Prev|Next|Older|"
                         r"Newer|首页|首頁|末页|末頁|尾页|[\s\d«»‹›<>|.…·/,-])*$", re.I)
_SUBMITTED = re.compile(r"^\s*(Submitted by|Posted by|投稿人|投稿者|发布者|發佈者|提交者)\b", re.I)
# What a block's text must hold for _SUBMITTED or _BOILERPLATE_TEXT to match it (whitespace as
# it is before cleaning folds it): looked for in the whole tree's text once.
# (Looked for as plain substrings where they can be: an alternation that ignores case is tried at
# every position of the text, a substring is found by a fast scan.)
_RULE_WORDS = ("投稿人", "投稿者", "发布者", "發佈者", "提交者", "分享", "Share", "RSS")
_THE_POST = re.compile(r"The\s+post")
_BY = re.compile(r"(?:Submitted|Posted)\s+by", re.I)  # "by" has no other case forms: a lowercase scan first


class _Said:
    """Can any block still to be judged say one of :data:`_RULE_WORDS`? A block's text is a
    stretch of the whole tree's text (the text of its nodes in order), so when the whole holds
    none of them (and nothing cleaning would remove, which could join two halves), no block
    without links needs its own text made. Asked again after a removal inside a block."""

    def __init__(self, root: LexborNode) -> None:
        self.root = root
        self.known: bool | None = None

    def possible(self) -> bool:
        if self.known is None:
            text = self.root.text(deep=True) or ""
            self.known = ("\r" in text or _CLEANED.search(text) is not None or any(w in text for w in _RULE_WORDS)
                          or _THE_POST.search(text) is not None
                          or ("by" in text.lower() and _BY.search(text) is not None))
        return self.known


def _attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else ""


def _text(node: LexborNode) -> str:
    return clean_line(node.text(deep=True) or "")


_SHARE_HOST = re.compile("|".join(map(re.escape, _SHARE_HOSTS)))


def is_share_link(href: str) -> bool:
    """A link that shares the page on a social network rather than pointing somewhere."""
    return _SHARE_HOST.search(href) is not None


def _site(host: str) -> str:
    """A host without ``www.``/``m.``: the site it belongs to."""
    host = host.lower()
    for prefix in ("www.", "m.", "mobile.", "amp."):
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def _link_host(href: str, own_site: str) -> str:
    if href.startswith("/") and not href.startswith("//"):
        return own_site
    match = re.match(r"^(?:https?:)?//([^/?#:]+)", href, re.I)
    return _site(match.group(1)) if match else ""


def _is_section(node: LexborNode) -> bool:
    """A comment section, related list or pager by its class or id."""
    names = f"{_attr(node, 'class')} {_attr(node, 'id')}"
    return bool(names.strip()) and bool(_SECTION_WORD.search(names))


def _heading_of_section(node: LexborNode) -> bool:
    """A short heading (or title-like block) that announces comments or related articles."""
    text = _text(node)
    return 0 < len(text) <= 24 and bool(_SECTION_HEADING.match(text))


@dataclass(slots=True)
class _Stats:
    """What a block holds, gathered once for the whole tree (so every rule is linear)."""

    chars: int = 0  # visible characters, whitespace collapsed
    link_chars: int = 0  # of which inside links
    anchors: int = 0  # links with an href
    offsite: bool = False  # a link leaves the site (or is not a web link)
    own_page: bool = False  # a link points at the article's own page (a table of contents)
    media: int = 0
    nodes: int = 1
    article: bool = False  # holds the article proper (<article>, articleBody, entry-content, h1)
    authored: bool = False  # holds a comment by the post's own author
    is_authored: bool = False  # is such a comment itself
    is_section: bool = False  # named (class/id) as a comment section, related list or pager
    is_promo: bool = False  # a data-selfpromo block


_MEDIA_TAGS = frozenset({"img", "video", "iframe", "audio"})
_ARTICLE_CLASSES = frozenset({"entry-content", "post-content"})


def _gather(root: LexborNode, own_site: str, own_page: str) -> dict[int, _Stats]:
    """Each element's :class:`_Stats`, by one iterative post-order pass. Each entry of the
    stack carries its parent's stats (None for the root), so no node asks for its parent."""
    stats: dict[int, _Stats] = {}
    stack: list[tuple[LexborNode, _Stats | None, _Stats | None, str]] = [(root, None, None, "")]
    push, pop = stack.append, stack.pop
    link_depth = 0
    while stack:
        node, up, own, tag = pop()
        if own is None:  # on the way down
            tag = node.tag or ""
            if tag == "-text":
                text = node.text_content
                if up is not None and text:
                    length = len(" ".join(text.split()))
                    up.chars += length
                    if link_depth:
                        up.link_chars += length
                continue
            if tag.startswith("-"):
                continue
            own = stats[node.mem_id] = _Stats()
            if tag == "a":
                link_depth += 1
            push((node, up, own, tag))
            child = node.last_child
            while child is not None:
                push((child, own, None, ""))
                child = child.prev
            continue
        if tag == "a":
            link_depth -= 1
            href = _attr(node, "href").strip()
            if href:
                own.anchors += 1
                target = href.split("#")[0].rstrip("/")
                if target in ("", own_page):
                    own.own_page = True
                elif _link_host(href, own_site) != own_site:
                    own.offsite = True
        own.media += tag in _MEDIA_TAGS
        attributes = node.attributes  # built anew on each call: read once
        if attributes:
            class_text = attributes.get("class") or ""
            classes = set(class_text.split())
            names = f"{class_text} {attributes.get('id') or ''}"
            own.is_section = bool(names.strip()) and bool(_SECTION_WORD.search(names))
            own.is_authored = bool(classes & _AUTHOR_CLASSES)
            own.is_promo = " data-selfpromo" in " " + " ".join(map(str, attributes))  # names hold no space
            own.article = own.article or (tag == "article" and not any("comment" in c for c in classes)) \
                or attributes.get("itemprop") == "articleBody" or bool(classes & _ARTICLE_CLASSES)
        own.article = own.article or tag == "h1"
        own.authored = own.authored or own.is_authored
        if up is not None:
            up.chars += own.chars
            up.link_chars += own.link_chars
            up.anchors += own.anchors
            up.offsite = up.offsite or own.offsite
            up.own_page = up.own_page or own.own_page
            up.media += own.media
            up.nodes += own.nodes
            up.article = up.article or own.article
            up.authored = up.authored or own.authored
    return stats


def prune(root: LexborNode, article_url: str = "") -> None:
    """Drop the boilerplate found by structure, in place. Linear in the size of the tree."""
    match = re.match(r"^https?://([^/?#:]+)", article_url, re.I)
    own_site = _site(match.group(1)) if match else ""
    own_page = article_url.split("#")[0].rstrip("/")
    for node in root.css("a"):
        href = _attr(node, "href")
        if is_share_link(href) or (not (node.text(deep=True) or "").strip() and node.css_first("img") is None):
            node.remove()
    for node in root.css(_FURNITURE):
        node.remove()
    stats = _gather(root, own_site, own_page)
    whole = stats[root.mem_id].chars
    said = _Said(root)
    stack = [(root, False)]
    while stack:
        node, authored = stack.pop()
        own = stats.get(node.mem_id)
        authored = authored or (own is not None and own.is_authored)
        if node.mem_id != root.mem_id and _is_boilerplate(node, stats, own_site, whole, authored, said):
            continue
        child = node.last_child
        while child is not None:
            if child.tag and not child.tag.startswith("-"):
                stack.append((child, authored))
            child = child.prev


def _is_boilerplate(node: LexborNode, stats: dict[int, _Stats], own_site: str, whole: int,
                    authored: bool, said: _Said) -> bool:
    """Decide one block (removing it, or the furniture inside it); True when it is gone.
    ``authored``: the block is (inside) a comment by the post's own author, which is the article."""
    own = stats.get(node.mem_id) or _Stats()
    tag = node.tag or ""
    if own.is_promo:
        node.remove()
        return True
    if own.is_section and not own.article and not authored:
        if not own.authored:
            node.remove()
            return True
        _keep_authored(node)
        said.known = None
        return False
    if tag in ("ul", "ol", "div", "section", "aside", "p") and _is_link_list(own, tag, own_site, whole):
        _drop_with_heading(node, stats)
        return True
    if own.chars <= 200 and own.nodes <= 200 and tag in _SHORT_BLOCKS:
        if not own.anchors and not said.possible():
            return False
        text = _text(node)
        if not text:
            return False
        if _SUBMITTED.match(text) or (own.anchors and _PAGER_TEXT.match(text)
                                      and any(c.isdigit() or c in "下上NnPp" for c in text)):
            node.remove()
            said.known = None  # what it said may have been the only such words
            return True
        if not own.media and tag in ("div", "p", "span", "section") and _BOILERPLATE_TEXT.match(text):
            node.remove()
            said.known = None
            return True
    return False


_SHORT_BLOCKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "li", "section"})
_AUTHORED = ".comment-by-node-author, .bypostauthor"


def _keep_authored(section: LexborNode) -> None:
    """In a comment thread holding the post author's own contributions, drop everything else."""
    for part in section.css("[class*=comment], h2, h3"):
        if part.parent is None:
            continue
        if _is_authored(part) or part.css_first(_AUTHORED) is not None:
            continue
        if _is_inside_authored(part, section) and part.tag not in ("h2", "h3"):
            continue
        if part.tag in ("h2", "h3") and not _heading_of_section(part):
            continue
        part.remove()


_AUTHOR_CLASSES = frozenset({"comment-by-node-author", "bypostauthor"})


def _is_authored(node: LexborNode) -> bool:
    """A comment written by the post's own author."""
    return bool(_AUTHOR_CLASSES & set(_attr(node, "class").split()))


def _is_inside_authored(node: LexborNode, limit: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != limit.mem_id:
        if _is_authored(parent):
            return True
        parent = parent.parent
    return False


def _is_link_list(own: _Stats, tag: str, own_site: str, whole: int) -> bool:
    """Links to other articles of this site and at most a short heading: a related list. Never
    the whole body, never a table of contents of the page itself."""
    least = 1 if tag in ("ul", "ol") else 2  # a bullet list of one "see also" link counts
    if not own_site or own.anchors < least or own.offsite or own.own_page:
        return False
    if own.media and own.anchors < 3:
        return False
    if own.chars >= 0.9 * whole:
        return False
    return own.chars - own.link_chars <= 12


def _drop_with_heading(node: LexborNode, stats: dict[int, _Stats]) -> None:
    """Drop a related list and the short heading right before it."""
    previous = node.prev
    while previous is not None and previous.tag == "-text" and not (previous.text_content or "").strip():
        previous = previous.prev
    if previous is not None and previous.tag != "-text":
        small = stats.get(previous.mem_id)
        if small is not None and small.chars <= 40 and small.nodes <= 20 and _heading_of_section(previous):
            previous.remove()
    node.remove()
