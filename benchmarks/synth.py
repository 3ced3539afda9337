"""Build a synthetic archive of N articles in the three formats, varied from real posts.

Bodies come from the corpus sample (``../shared/corpus/jekyll-sample``) when it is
there, else from the bundled seeds; each article gets its own title, URL, date and a
shuffled body so that no two are the same. A third of the files are DW JSON, a third
feed items, a third Jekyll posts, in nested year/month folders.

    python benchmarks/synth.py OUT_DIR N
"""

from __future__ import annotations

import json
import random
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "jekyll-sample"
SEEDS = ROOT / "seeds"

_PARAGRAPH = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def _paragraphs(corpus: bool = True) -> list[str]:
    """Paragraph HTML fragments with Chinese text, from the corpus (when it is beside the
    project and ``corpus`` is true) and the seeds."""
    files = sorted(CORPUS.glob("*.md")) if corpus and CORPUS.is_dir() else []
    files += sorted(SEEDS.glob("*"))
    found: list[str] = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in _PARAGRAPH.finditer(text):
            inner = " ".join(match.group(1).split())
            plain = _TAGS.sub("", inner)
            if len(plain) >= 30 and re.search(r"[\u4e00-\u9fff]", plain):
                found.append(inner)
    return found


def _titles(paragraphs: list[str]) -> list[str]:
    titles = []
    for p in paragraphs:
        plain = _TAGS.sub("", p)
        for sentence in re.split(r"[。！？]", plain):
            sentence = sentence.strip()
            if 8 <= len(sentence) <= 40:
                titles.append(sentence)
    return titles or ["新闻标题"]


def _body(rng: random.Random, paragraphs: list[str], target_chars: int) -> list[str]:
    chosen, size = [], 0
    while size < target_chars:
        p = rng.choice(paragraphs)
        chosen.append(p)
        size += len(p)
    return chosen


def _dw(n: int, title: str, when: datetime, body: list[str]) -> str:
    blocks = [{"content": {"type": "Paragraph", "text": p}} for p in body]
    blocks.insert(1, {"content": {"id": n, "type": "Image", "name": title, "description": title,
                                  "sizes": [{"width": 940, "height": 529,
                                             "url": f"https://static.dw.com/image/{n}_304.jpg"}]}})
    doc = {"type": "Article", "id": 70000000 + n, "languageId": 4, "name": title,
           "teaser": _TAGS.sub("", body[0])[:120], "categoryName": "政治",
           "text": " ".join(_TAGS.sub("", p) for p in body), "permaLink": f"https://p.dw.com/p/synth{n}",
           "displayDate": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "body": blocks,
           "referenceGroups": [{"name": "关键词", "type": "Keywords", "items": [{"name": "拜登"}]}]}
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _feed(n: int, title: str, when: datetime, body: list[str]) -> str:
    paris = when + timedelta(hours=1)
    url = f"https://www.rfi.fr/cn/synth/{when:%Y%m%d}-{n}"
    html = (f"<div>{paris:%d/%m/%Y - %H:%M}</div><img src=\"https://s.rfi.fr/media/{n}.jpg\">"
            + "".join(f"<p>{p}</p>" for p in body)
            + "<div><div>分享 :</div><div><a href=\"https://x.com/intent/tweet?url=x\"><span></span></a></div></div>")
    return f"<!--{int(when.timestamp() * 1000) + 900000}-->\n[{title}]({url})\n------\n\n{html}\n"


def _jekyll(n: int, title: str, when: datetime, body: list[str]) -> str:
    url = f"https://www.epochtimes.com/gb/{when:%y/%m/%d}/n{n}.htm"
    html = "<div>\n" + "\n".join(f"<p>{p}</p>" for p in body) + "\n</div>\n"
    return (f"---\nlayout: post\ntitle: \"{title}\"\ndate: {when:%Y-%m-%dT%H:%M:%S}.000Z\nauthor: 大纪元\n"
            f"from: {url}\ntags: [ 大纪元 ]\ncomments: True\ncategories: [ 大纪元 ]\n---\n"
            f"<!--{int(when.timestamp() * 1000)}-->\n[{title}]({url})\n------\n\n{html}")


def build(out: Path, count: int, seed: int = 7, body_chars: int = 4_500, corpus: bool = True,
          first: int = 0, start: datetime | None = None, days: int = 10 * 365) -> list[Path]:
    """Write ``count`` articles under ``out``; returns their paths. Tests pass ``corpus=False``
    so that what they build is the same whether or not the corpus is beside the project.
    Articles are numbered from ``first`` (their ids, URLs and names hold the number), so
    archives built with different ``first`` hold no article twice. Publication times fall in
    the ``days`` days from ``start`` (default: ten years from 2015-01-01)."""
    rng = random.Random(seed)
    paragraphs = _paragraphs(corpus)
    titles = _titles(paragraphs)
    start = start or datetime(2015, 1, 1, tzinfo=UTC)
    writers = (("dw", _dw), ("feed", _feed), ("jekyll", _jekyll))
    written = []
    for n in range(first, first + count):
        when = start + timedelta(minutes=rng.randrange(0, days * 24 * 60))
        title = f"{rng.choice(titles)}（{n}）"
        body = _body(rng, paragraphs, rng.randint(body_chars // 2, body_chars * 3 // 2))
        kind, writer = writers[n % 3]
        folder = out / kind / f"{when:%Y}" / f"{when:%m}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{n:07d}_{kind}.txt"
        path.write_text(writer(n, title, when, body), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target, n = Path(sys.argv[1]), int(sys.argv[2])
    files = build(target, n)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / len(files) / 1024:.1f} KB each on average, in {target}")
