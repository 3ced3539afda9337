"""Score story grouping against hand labels: pairwise precision and recall.

    python benchmarks/eval_stories.py [CORPUS] [LABELS] [--show] [--halves]

CORPUS defaults to shared/corpus/waimei-sample (in the first parent folder that has it), LABELS to benchmarks/labels/waimei-stories.tsv
(file name, TAB, story label; ``-`` for an article in no story with another). The corpus is
indexed into a fresh temporary cache; stories are computed as the product does. A pair of
articles counts as "together" in the labels when both files carry one label; precision is the
share of pairs the grouping puts together that the labels do, recall the share of labelled
pairs it finds. Also printed: the largest story, the longest span, and the time per article.
``--halves`` scores the morning and the afternoon (UTC) of the busiest day apart (pairs with both
articles in the half): a change tuned on one half can be checked on the other.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.store.library import Library

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def load_labels(path: Path) -> dict[str, str]:
    """file name → label (``-`` lines included)."""
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, label = line.split("\t")
        labels[name] = label
    return labels


def pairs_of(groups: list[list[str]]) -> set[frozenset[str]]:
    """Every unordered pair of ids inside each group."""
    out: set[frozenset[str]] = set()
    for group in groups:
        for a, b in itertools.combinations(sorted(set(group)), 2):
            out.add(frozenset((a, b)))
    return out


def score(truth: set[frozenset[str]], found: set[frozenset[str]], keep: set[str] | None = None) -> tuple[float, float]:
    """Pairwise precision and recall (only pairs inside ``keep`` when given)."""
    if keep is not None:
        truth = {p for p in truth if p <= keep}
        found = {p for p in found if p <= keep}
    both = truth & found
    return (len(both) / len(found) if found else 1.0), (len(both) / len(truth) if truth else 1.0)


def indexed(corpus: Path, prefix: str) -> Library:
    """A library of ``corpus`` indexed into a private, temporary cache (XDG dirs pointed there)."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(home / name.lower())
    from newsreader.store.library import Library

    library = Library(warn=lambda m: None)
    library.index([str(corpus)])
    return library


def main(argv: list[str]) -> int:
    show = "--show" in argv
    halves = "--halves" in argv
    args = [a for a in argv if not a.startswith("--")]
    shared = next((p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT.parent / "shared")
    corpus = Path(args[0]) if args else shared / "corpus" / "waimei-sample"
    label_path = Path(args[1]) if len(args) > 1 else HERE / "labels" / "waimei-stories.tsv"
    library = indexed(corpus, "eval-stories-")
    from newsreader.stories import compute

    db = library.db
    files = defaultdict(list)
    for article_id, path in db.execute("SELECT article_id, path FROM article_files"):
        files[article_id].append(os.path.basename(path))
    labels = load_labels(label_path)
    article_label: dict[str, str] = {}
    for article_id, names in files.items():
        found = {labels[n] for n in names if n in labels}
        if len(found) > 1:
            print(f"warning: files of one article labelled differently: {names} {found}")
        if found:
            article_label[article_id] = sorted(found)[0]
    truth_groups: dict[str, list[str]] = defaultdict(list)
    for article_id, label in article_label.items():
        if label != "-":
            truth_groups[label].append(article_id)

    count = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    started, cpu = time.perf_counter(), time.process_time()
    result = compute.recompute(db)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    found_groups = [g for g in result.groups if len(g) > 1]
    truth = pairs_of(list(truth_groups.values()))
    found = pairs_of(found_groups)
    precision, recall = score(truth, found)
    published = dict(db.execute("SELECT id, published FROM articles"))
    spans = [max(published[i] for i in g) - min(published[i] for i in g) for g in found_groups]
    print(f"articles {count}, labelled stories {len(truth_groups)} ({len(truth)} pairs), "
          f"found stories {len(found_groups)} ({len(found)} pairs)")
    print(f"pairwise precision {precision:.3f}  recall {recall:.3f}")
    print(f"largest story {max(map(len, found_groups), default=0)} articles, "
          f"longest span {max(spans, default=0) / 3600:.1f} h")
    print(f"editions + stories + related: {seconds * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU, "
          f"{cpu * 1000 / max(count, 1):.2f} ms CPU per article")
    if halves and published:
        days = Counter(p // 86400 for p in published.values() if p is not None)
        noon = days.most_common(1)[0][0] * 86400 + 43200
        for name, keep in (("morning", {i for i, p in published.items() if p is not None and p < noon}),
                           ("afternoon", {i for i, p in published.items() if p is not None and p >= noon})):
            p, r = score(truth, found, keep)
            print(f"{name} (UTC, {len(keep)} articles): precision {p:.3f}  recall {r:.3f}")
    if show:
        titles = dict(db.execute("SELECT id, outlet || ' ' || title FROM articles"))
        print("\n-- found stories (label of each member)")
        for group in sorted(found_groups, key=len, reverse=True):
            print(f"[{len(group)}]")
            for article_id in group:
                print(f"   {article_label.get(article_id, '?'):<28} {titles[article_id][:60]}")
        print("\n-- labelled pairs not found, by label")
        missed: dict[str, int] = defaultdict(int)
        for pair in truth - found:
            missed[article_label[next(iter(pair))]] += 1
        for label, n in sorted(missed.items(), key=lambda x: -x[1]):
            print(f"   {label:<32} {n}")
    library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
