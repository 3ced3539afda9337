"""Text quality over real archive samples, against an independent extraction of each source page.

    python benchmarks/text_quality.py [FOLDER ...] [--show N] [--json]

For every file: our parser's article (``newsreader.sources.parse_file``) next to an
independent reading of the same page — the HTML after the front matter and feed-item
wrapper, through selectolax's own ``.text()`` with a newline put before every block tag.
Reported:

- **glued pairs**: Latin words in our text that the reference has as two words
  (``Department’sZhihu``), and spaces we put between two CJK characters that the
  reference does not have;
- **empty bodies**: ours under 50 characters where the reference has over 300;
- **lost text**: articles keeping under 80 % of the reference's Han and Latin letters;
- **boilerplate left**: paragraphs of ours that are comment threads, "submitted by"
  lines, pagers or related-article headings (by phrase), and link-only list items;
- **titles and dates against the front matter**: titles that differ from the front
  matter's other than by a repeated outlet suffix, published days that differ
  from the front matter's date;
- **outlets** and **script detection** (long Chinese articles detected as ``none``).

Default folders: ../shared/corpus/jekyll-sample and ../shared/corpus/waimei-sample.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from newsreader import script  # noqa: E402
from newsreader.sources import ParseError, parse_file  # noqa: E402

CORPUS = HERE.parent.parent.parent / "shared" / "corpus"
DEFAULT = [CORPUS / "jekyll-sample", CORPUS / "waimei-sample"]

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)
_WRAPPER = re.compile(r"\A\s*(?:<!--[^>]*-->\s*)?(?:\[.*?\]\(.*?\)\s*\r?\n\s*-{3,}[ \t]*\r?\n)?", re.S)
_BLOCK_TAG = re.compile(
    r"<(/?)(p|div|li|ul|ol|h[1-6]|br|tr|td|th|figure|figcaption|blockquote|section|article|header|"
    r"footer|table|hr|pre|dd|dt|main|aside|nav)\b", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z’']*[A-Za-z]|[A-Za-z]")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPACE = re.compile(f"[{_HAN}，。、；：！？」』）][ \\t]+[{_HAN}「『（]")
_LETTERS = re.compile(f"[{_HAN}A-Za-z0-9]")
_BOILER = re.compile(
    r"^(?:[•\s]*)(?:发表评论|發表評論|发表回复|發表回覆|留言|评论\s*\(?\d*\)?|評論\s*\(?\d*\)?|\d+\s*(条|則|条)?评论|"
    r"Leave a (Reply|Comment)|\d+ (Comments?|Responses?)|Comments?|"
    r"相关文章|相關文章|相关阅读|相關閱讀|延伸阅读|延伸閱讀|推荐阅读|推薦閱讀|Related (Posts|Articles|Stories)|"
    r"上一页|上一頁|下一页|下一頁|上一篇|下一篇|Previous (Post|Page)|Next (Post|Page)|Older Posts|Newer Posts|"
    r"Reply|回复|回覆)\W{0,3}\d*\W{0,3}$|^Submitted by|^投稿人", re.I)
_PAGER = re.compile(r"^[^\ue000\w]*(\d+\s*){2,}(下一页|下一頁|Next|»|›)?[^\ue001\w]*$")


def front_matter(text: str) -> dict[str, str]:
    """``key: value`` lines of the front matter, quotes stripped (enough for title and date)."""
    match = _FRONT.match(text)
    if not match:
        return {}
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().isidentifier():
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1].replace('\\"', '"')
            meta[key.strip()] = value
    return meta


def reference_text(raw: str) -> str:
    """The page's visible text by selectolax alone: blocks on their own lines."""
    match = _FRONT.match(raw)
    html = raw[match.end():] if match else raw
    html = html[_WRAPPER.match(html).end():]
    html = _BLOCK_TAG.sub(lambda m: "\n<" + m.group(1) + m.group(2), html)
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    text = root.text(deep=True, separator="") or ""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def glued_words(ours: str, ref: str) -> list[str]:
    """Words of ours that are two of the reference's words run together."""
    ref_words = set(_WORD.findall(ref))
    ref_pairs = set()
    words = _WORD.findall(ref)
    for a, b in pairwise(words):
        ref_pairs.add(a + b)
    return [w for w in _WORD.findall(ours) if w not in ref_words and w in ref_pairs]


def cjk_spaces(ours: str, ref: str) -> int:
    """Spaces between CJK characters that ours has and the reference does not."""
    return max(0, len(_CJK_SPACE.findall(ours)) - len(_CJK_SPACE.findall(ref)))


def boilerplate(article) -> list[str]:
    """Paragraphs of ours that are page furniture."""
    found = [p for p in article.text.split("\n\n") if _BOILER.match(p) or _PAGER.match(p)]
    found += re.findall(r"<li><a href=\"[^\"]*\">[^<]{0,80}</a></li>", article.body_html)
    return found


WEST = ZoneInfo("America/Los_Angeles")
# Outlet names as titles carry them (independent of newsreader's own table).
_OUTLET_NAMES = {"rfi", "法国国际广播电台", "法國國際廣播電台", "iyouport", "德国之声", "德國之聲", "dw", "bbc",
                 "bbc中文", "美国之音", "美國之音", "voa", "路透", "中央社", "联合早报", "聯合早報", "大纪元", "大紀元"}
_TITLE_SEPARATORS = re.compile(r"\s+[-–—|]\s+|｜")


def _keeps_outlet(title: str, meta: dict[str, str]) -> bool:
    """The title still opens or ends with an outlet's name (front matter author/tags, or a known one)."""
    own = {meta.get(key, "").strip("[] ").casefold() for key in ("author", "tags", "categories")} - {""}
    parts = [p.strip().casefold() for p in _TITLE_SEPARATORS.split(title)]
    if len(parts) < 2:
        return False
    return parts[-1] in own | _OUTLET_NAMES or parts[0] in own  # a prefix only when it is this outlet


def _shown_day(moment, zone) -> str:
    """The day a reader in ``zone`` is shown (a date-only publication is its own day everywhere)."""
    if moment is None:
        return "none"
    if hasattr(moment, "calendar_day"):
        return moment.calendar_day.isoformat()
    return moment.astimezone(zone).strftime("%Y-%m-%d")


def same_title(ours: str, theirs: str) -> bool:
    """Equal after spacing; or ours is theirs without a repeated outlet suffix/prefix."""
    a, b = " ".join(ours.split()), " ".join(theirs.split())
    return a == b or (a in b and len(b) - len(a) <= 40)


def measure(folders: list[Path], show: int) -> dict:
    files = sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())
    figures: Counter = Counter({key: 0 for key in (
        "files", "refused", "glued pairs", "articles with glued pairs", "spaces added between CJK",
        "empty bodies", "articles losing >20% of text", "boilerplate paragraphs", "articles with boilerplate",
        "titles checked", "titles differing", "titles keeping an outlet suffix/prefix", "dates checked",
        "published day differs from front matter", "day shown in Los Angeles differs",
        "Chinese articles detected as none")})
    glued_examples: list[str] = []
    examples: dict[str, list[str]] = {k: [] for k in ("empty", "lost", "boilerplate", "title", "date", "none")}
    ratios = []
    outlets: Counter = Counter()
    for path in files:
        figures["files"] += 1
        raw = path.read_text("utf-8", errors="replace")
        try:
            article = parse_file(str(path))[0]
        except ParseError as error:
            figures["refused"] += 1
            examples.setdefault("refused", []).append(f"{path.name}: {error}")
            continue
        ref = reference_text(raw)
        ours = article.text
        outlets[article.outlet] += 1
        glued = glued_words(ours, ref)
        figures["glued pairs"] += len(glued)
        figures["articles with glued pairs"] += bool(glued)
        glued_examples.extend(glued[:2])
        spaces = cjk_spaces(ours, ref)
        figures["spaces added between CJK"] += spaces
        ref_letters = len(_LETTERS.findall(ref))
        our_letters = len(_LETTERS.findall(ours))
        if len(ours.strip()) < 50 and len(ref) > 300:
            figures["empty bodies"] += 1
            examples["empty"].append(f"{path.name} (reference {len(ref)} chars)")
        if ref_letters > 200:
            ratio = our_letters / ref_letters
            ratios.append(ratio)
            if ratio < 0.8:
                figures["articles losing >20% of text"] += 1
                examples["lost"].append(f"{path.name}: {ratio:.0%}")
        boiler = boilerplate(article)
        figures["boilerplate paragraphs"] += len(boiler)
        figures["articles with boilerplate"] += bool(boiler)
        if boiler:
            examples["boilerplate"].append(f"{path.name}: {boiler[:2]}")
        meta = front_matter(raw)
        if meta.get("title"):
            figures["titles checked"] += 1
            if not same_title(article.title, meta["title"]):
                figures["titles differing"] += 1
                examples["title"].append(f"{meta['title']!r} -> {article.title!r}")
            elif article.title != " ".join(meta["title"].split()):
                figures["titles shortened (suffix/prefix)"] += 1
                examples.setdefault("shortened", []).append(f"{meta['title']!r} -> {article.title!r}")
        if _keeps_outlet(article.title, meta):
            figures["titles keeping an outlet suffix/prefix"] += 1
            examples.setdefault("outlet in title", []).append(article.title)
        day = meta.get("date", "")[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            figures["dates checked"] += 1
            ours_day = article.published.strftime("%Y-%m-%d") if article.published else "none"
            if ours_day != day:
                figures["published day differs from front matter"] += 1
                examples["date"].append(f"{path.name}: {meta['date']} -> {article.published}")
            if len(meta["date"].strip("'\" ")) == 10 and _shown_day(article.published, WEST) != day:
                figures["day shown in Los Angeles differs"] += 1
                examples.setdefault("date-only", []).append(
                    f"{path.name}: {meta['date']} shown as {_shown_day(article.published, WEST)}")
        han = len(re.findall(f"[{_HAN}]", ours))
        if han > 300 and script.detect(article.title + "\n" + ours) is script.Script.NONE:
            figures["Chinese articles detected as none"] += 1
            examples["none"].append(path.name)
    figures["median kept share of reference"] = round(statistics.median(ratios), 4) if ratios else 0
    result = {"figures": dict(figures), "outlets": dict(outlets.most_common()),
              "glued examples": glued_examples[:show],
              "examples": {k: v[:show] for k, v in examples.items() if v}}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--show", type=int, default=8, help="examples per kind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folders = args.folders or DEFAULT
    for folder in folders:
        result = measure([folder], args.show)
        if args.json:
            print(json.dumps({"folder": str(folder), **result}, ensure_ascii=False, indent=1))
            continue
        print(f"== {folder}")
        for key, value in result["figures"].items():
            print(f"  {key:45} {value}")
        print("  outlets:", ", ".join(f"{k} {n}" for k, n in result["outlets"].items()))
        if result["glued examples"]:
            print("  glued:", ", ".join(result["glued examples"]))
        for kind, lines in result["examples"].items():
            print(f"  {kind}:")
            for line in lines:
                print(f"    {line[:200]}")


if __name__ == "__main__":
    main()
