"""The page around an article, found by structure: share bars, comment threads, related lists, pagers.

Run on the parse tree before the walk (see htmlclean.py). Every rule looks at what a
block *is* — a comment section, a list of links to other articles of the same site,
a pager, a byline block — never at which site it comes from.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborNode

from newsreader.safetext import clean_line

_SHARE_HOSTS = ("facebook.com/dialog", "facebook.com/sharer", "whatsapp", "x.com/intent",
                "twitter.com/intent", "t.me/share", "telegram.me/share", "line.me", "weibo.com/share",
                "linkedin.com/share", "reddit.com/submit", "mailto:?")
_BOILERPLATE_TEXT = re.compile(r"^\s*(分享\s*[:：]?|Share\s*:?|获取更多RSS.*|獲取更多RSS.*|更多RSS.*)\s*$", re.S)

# Page furniture by its usual class names (WordPress, Drupal, Jetpack and the like).
_FURNITURE = (
    "[class*=share], [class*=social], .entry-meta, .entry-footer, .post-tags, .sharedaddy, .jp-relatedposts, "
    ".entry-author-wrapper, .byline, .cat-links, .page-header, .entry-header, .navigation__primary-inner, "
    ".sidebar, .submitted, .comment-submitted"
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


def _attr(node: LexborNode, name: str) -> str:
    value = node.attributes.get(name)
    return value if isinstance(value, str) else ""


def _text(node: LexborNode) -> str:
    return clean_line(node.text(deep=True) or "")


def is_share_link(href: str) -> bool:
    """A link that shares the page on a social network rather than pointing somewhere."""
    return any(host in href for host in _SHARE_HOSTS)


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


def _is_link_list(node: LexborNode, own_site: str, own_page: str) -> bool:
    """A block made of two or more links to other pages of this site and at most a short heading."""
    anchors = [a for a in node.css("a") if _attr(a, "href")]
    if any(_attr(a, "href").split("#")[0].rstrip("/") in ("", own_page) for a in anchors):
        return False  # a table of contents of this very page
    least = 1 if node.tag in ("ul", "ol") else 2  # a bullet list of one "see also" link counts
    if len(anchors) < least or (node.css_first("img, video, iframe") is not None and len(anchors) < 3):
        return False
    if not own_site or any(_link_host(_attr(a, "href"), own_site) != own_site for a in anchors):
        return False
    whole = len(_text(node))
    linked = sum(len(_text(a)) for a in anchors)
    return whole - linked <= 12


def _is_section(node: LexborNode) -> bool:
    """A comment section, related list or pager by its class or id."""
    names = f"{_attr(node, 'class')} {_attr(node, 'id')}"
    return bool(names.strip()) and bool(_SECTION_WORD.search(names))


def _heading_of_section(node: LexborNode) -> bool:
    """A short heading (or title-like block) that announces comments or related articles."""
    text = _text(node)
    return 0 < len(text) <= 24 and bool(_SECTION_HEADING.match(text))


def prune(root: LexborNode, article_url: str = "") -> None:
    """Drop the boilerplate found by structure, in place."""
    match = re.match(r"^https?://([^/?#:]+)", article_url, re.I)
    own_site = _site(match.group(1)) if match else ""
    for node in root.css("a"):
        href = _attr(node, "href")
        if is_share_link(href) or (not _text(node) and node.css_first("img") is None):
            node.remove()
    for node in root.css(_FURNITURE):
        node.remove()
    _drop_sections(root)
    _drop_link_lists(root, own_site, article_url.split("#")[0].rstrip("/"))
    for node in root.css("h1, h2, h3, h4, h5, h6, p, div, span, strong, li"):
        if not _attached(node, root):
            continue
        text = _text(node)
        if not text or len(text) > 200:
            continue
        if _SUBMITTED.match(text) or (node.css_first("a") is not None and _PAGER_TEXT.match(text)
                                      and any(c.isdigit() or c in "下上NnPp" for c in text)):
            node.remove()
    for node in root.css("div, p, span, section"):
        if not _attached(node, root):
            continue
        if any(str(key).startswith("data-selfpromo") for key in node.attributes):
            node.remove()
            continue
        if node.child is not None and node.css_first("img, video, iframe") is None:
            text = node.text(deep=True) or ""
            if len(text) < 200 and _BOILERPLATE_TEXT.match(text):
                node.remove()


_AUTHORED = ".comment-by-node-author, .bypostauthor"
_ARTICLE_INSIDE = "article:not([class*=comment]), [itemprop=articleBody], .entry-content, .post-content, h1"


def _drop_sections(root: LexborNode) -> None:
    """Comment sections, related lists and pagers named as such by class or id.

    A section that wraps the article itself (a theme's ``comments-open`` on the post) is
    kept; in a comment thread, contributions by the post's own author (a Drupal
    ``comment-by-node-author``, a WordPress ``bypostauthor``: the conversation pieces of
    a ChinaFile "Conversation") are the article and stay, everything else goes.
    """
    for node in root.css("[class], [id]"):
        if not _attached(node, root) or not _is_section(node):
            continue
        if _is_authored(node) or _is_inside_authored(node, root):
            continue
        if node.css_first(_ARTICLE_INSIDE) is not None:
            continue
        if node.css_first(_AUTHORED) is None:
            node.remove()
            continue
        for part in node.css("[class*=comment], h2, h3"):
            if not _attached(part, node):
                continue
            if _is_authored(part) or part.css_first(_AUTHORED) is not None:
                continue
            if _is_inside_authored(part, node) and part.tag not in ("h2", "h3"):
                continue
            if part.tag in ("h2", "h3") and not _heading_of_section(part):
                continue
            part.remove()


def _attached(node: LexborNode, root: LexborNode) -> bool:
    """Not ``root`` itself and not removed. (Blocks are removed, never destroyed, so a node
    inside a removed block stays safe to look at; it is merely looked at for nothing.)"""
    return node.mem_id != root.mem_id and node.parent is not None


def _is_authored(node: LexborNode) -> bool:
    """A comment written by the post's own author."""
    return bool({"comment-by-node-author", "bypostauthor"} & set(_attr(node, "class").split()))


def _is_inside_authored(node: LexborNode, limit: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != limit.mem_id:
        if _is_authored(parent):
            return True
        parent = parent.parent
    return False


def _drop_link_lists(root: LexborNode, own_site: str, own_page: str) -> None:
    """Lists of links to other articles of the same site, and their short heading."""
    if not own_site:
        return
    candidates: dict[int, LexborNode] = {}
    for anchor in root.css("a"):
        parent = anchor.parent
        for _ in range(3):
            if parent is None or parent.mem_id == root.mem_id:
                break
            if parent.tag in ("ul", "ol", "div", "section", "aside", "p"):
                candidates.setdefault(parent.mem_id, parent)
            parent = parent.parent
    for node in candidates.values():
        if _attached(node, root) and _is_link_list(node, own_site, own_page):
            _drop_with_heading(node)


def _drop_with_heading(node: LexborNode) -> None:
    """Drop a related list and the short heading right before it."""
    previous = node.prev
    while previous is not None and previous.tag == "-text" and not (previous.text_content or "").strip():
        previous = previous.prev
    if previous is not None and previous.tag != "-text" and _heading_of_section(previous):
        previous.remove()
    node.remove()
