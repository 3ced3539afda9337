"""Where the story grouping loses labelled pairs and where it makes false ones, and which rule did it.

    python benchmarks/stories_errors.py [CORPUS] [LABELS] [--brief]

Defaults as in eval_stories.py (waimei-sample and its hand labels). The corpus is indexed into a
fresh temporary cache and grouped as the product groups it (days fed in order, the editions hook),
with every candidate pair the grouper considers recorded: joined, or refused by which rule
(``Grouper.refusal``: digest, size, span, series, market, one-outlet, centroid).

1. Per labelled story (most lost pairs first): the found groups its members fell into (the
   sub-clusters, with their size and what else they hold), and for each two sub-clusters the pairs
   lost, the average-linkage similarity of the two final groups, the best member pair's cosine, and
   what stopped the merge: a rule refusing a candidate pair between the two groups, or no candidate
   pair at all (best pair under ``PAIR``; at or above it but the headlines share no uncommon feature:
   "headline"; neither: "lookup", the heaviest-features lookup missed it).
2. Lost pairs summed per stopping rule.
3. Per found group holding pairs the labels do not make: each join that brought two labels (or an
   unlabelled article) together, its pair's cosine, the groups' similarity, the features the pair
   shares most (weight product).
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from newsreader.stories import cluster  # noqa: E402
from newsreader.stories.cluster import Group, Grouper  # noqa: E402
from newsreader.stories.features import Doc, cosine  # noqa: E402


class Traced(Grouper):
    """The product's grouper, recording each candidate pair's outcome and each join."""

    def __init__(self, force: cluster.Link | None = None) -> None:
        super().__init__(force)
        self.outcomes: dict[frozenset[int], list[tuple[float, str, float]]] = defaultdict(list)
        self.joins: list[tuple[float, Doc, Doc, list[Doc], list[Doc], float]] = []

    def _link(self, score: float, a: Doc, b: Doc) -> None:
        group_a, group_b = self.group_of.get(a.rowid), self.group_of.get(b.rowid)
        key = frozenset((a.rowid, b.rowid))
        if group_a is None or group_b is None:
            self.outcomes[key].append((score, "expired", 0.0))
            return
        if group_a is group_b:
            self.outcomes[key].append((score, "together", 1.0))
            return
        similarity = group_a.similarity(group_b)
        if self.force and self.force(a, b, score):
            reason: str | None = None
        else:
            reason = self.refusal(a, b, group_a, group_b)
        self.outcomes[key].append((score, reason or "joined", similarity))
        if reason is None:
            self.joins.append((score, a, b, list(group_a.members), list(group_b.members), similarity))
            self._join(group_a, group_b)


def run(docs: list[Doc], force: cluster.Link | None) -> tuple[Traced, list[Group]]:
    """Group ``docs`` a UTC day at a time as the product does; the tracer and every final group."""
    grouper = Traced(force)
    groups: list[Group] = []
    day: list[Doc] = []
    for doc in sorted(docs, key=lambda d: (d.published, d.rowid)):
        if day and doc.day != day[0].day:
            groups += grouper.add(day)
            day = []
        day.append(doc)
    groups += grouper.add(day)
    groups += grouper.finish()
    return grouper, groups


def average(a: list[Doc], b: list[Doc]) -> float:
    """Average-linkage similarity of two sets of docs (mean cosine of their pairs)."""
    return sum(cosine(x.vector, y.vector) for x in a for y in b) / (len(a) * len(b)) if a and b else 0.0


def shared(a: Doc, b: Doc, n: int = 6) -> str:
    """The features two docs share most (weight product), heaviest first."""
    common = sorted(a.vector.keys() & b.vector.keys(), key=lambda t: -a.vector[t] * b.vector[t])[:n]
    return " ".join(f"{t}{'*' if t in a.title_tokens and t in b.title_tokens else ''}" for t in common)


def main(argv: list[str]) -> int:
    brief = "--brief" in argv
    args = [a for a in argv if not a.startswith("--")]
    shared_dir = next((p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT.parent / "shared")
    corpus = Path(args[0]) if args else shared_dir / "corpus" / "waimei-sample"
    label_path = Path(args[1]) if len(args) > 1 else HERE / "labels" / "waimei-stories.tsv"
    from eval_stories import indexed, load_labels, pairs_of, score

    from newsreader.stories import compute
    from newsreader.stories.source import read_docs

    library = indexed(corpus, "stories-errors-")
    db = library.db
    labels = load_labels(label_path)
    label_of: dict[str, str] = {}
    for article_id, path in db.execute("SELECT article_id, path FROM article_files"):
        label = labels.get(os.path.basename(path))
        if label is not None and (article_id not in label_of or label_of[article_id] == "-"):
            label_of[article_id] = label
    docs = list(read_docs(db))
    tracer, groups = run(docs, compute._Editions(set()))
    by_id = {d.id: d for d in docs}
    group_no: dict[str, int] = {}
    for i, group in enumerate(groups):
        for doc in group.members:
            group_no[doc.id] = i
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, label in label_of.items():
        if label != "-" and article_id in by_id:
            members[label].append(article_id)
    truth = pairs_of(list(members.values()))
    found = pairs_of([[d.id for d in g.members] for g in groups if len(g.members) > 1])
    precision, recall = score(truth, found)
    print(f"{len(docs)} articles; labelled pairs {len(truth)}, found pairs {len(found)}; "
          f"precision {precision:.3f} recall {recall:.3f} (bars PAIR {cluster.PAIR}, CENTROID {cluster.CENTROID})")

    def title(article_id: str, width: int = 34) -> str:
        doc = by_id[article_id]
        return f"{doc.outlet} {doc.title[:width]}"

    # 1. lost pairs per label
    lost_by_reason: Counter[str] = Counter()
    lost_by_label: dict[str, int] = {}
    report: list[tuple[int, list[str]]] = []
    for label, ids in members.items():
        parts: dict[int, list[str]] = defaultdict(list)
        for article_id in ids:
            parts[group_no[article_id]].append(article_id)
        lost = sum(len(a) * len(b) for a, b in itertools.combinations(parts.values(), 2))
        lost_by_label[label] = lost
        if not lost:
            continue
        lines = [f"{label}: {len(ids)} articles, {len(ids) * (len(ids) - 1) // 2} pairs, lost {lost}; "
                 f"sub-clusters " + "+".join(str(len(p)) for p in sorted(parts.values(), key=len, reverse=True))]
        for number, part in sorted(parts.items(), key=lambda kv: -len(kv[1])):
            group = groups[number]
            others = Counter(label_of.get(d.id, "?") for d in group.members if d.id not in part)
            extra = (" + " + ", ".join(f"{n} {lab}" for lab, n in others.most_common())) if others else ""
            lines.append(f"   [{len(part)} of group g{number} ({len(group.members)}){extra}] "
                         + " | ".join(title(i, 22) for i in part[:4]) + (" ..." if len(part) > 4 else ""))
        for (na, pa), (nb, pb) in itertools.combinations(sorted(parts.items(), key=lambda kv: -len(kv[1])), 2):
            ga, gb = groups[na], groups[nb]
            pairs_lost = len(pa) * len(pb)
            records = [r for x in ga.members for y in gb.members
                       for r in tracer.outcomes.get(frozenset((x.rowid, y.rowid)), ())]
            best = max((cosine(by_id[x].vector, by_id[y].vector), x, y) for x in pa for y in pb)
            if records:
                reasons = Counter(r for _, r, _ in records)
                reason = max(reasons, key=lambda r: (r != "expired", reasons[r]))
                detail = ", ".join(f"{r} x{n}" for r, n in reasons.most_common())
            else:
                cos, x, y = best
                if cos < cluster.PAIR:
                    reason = "pair-bar"
                elif not cluster._headlines_meet(by_id[x], by_id[y], tracer._common):
                    reason = "headline"
                else:
                    reason = "lookup"
                detail = "no candidate pair"
            lost_by_reason[reason] += pairs_lost
            if brief and pairs_lost < 4:
                continue
            lines.append(f"   g{na} x g{nb}: lost {pairs_lost}; groups' average {ga.similarity(gb):.3f}, "
                         f"the label's parts' {average([by_id[i] for i in pa], [by_id[i] for i in pb]):.3f}, "
                         f"best pair {best[0]:.3f} ({title(best[1], 16)} ~ {title(best[2], 16)}); "
                         f"stopped by {reason} ({detail})")
        report.append((lost, lines))
    print("\n1. Labelled pairs lost, per labelled story (most first)")
    for _, lines in sorted(report, key=lambda r: -r[0]):
        print("\n".join(lines))

    print("\n2. Lost pairs per stopping rule (a pair of sub-clusters counts all its pairs)")
    total = sum(lost_by_reason.values())
    for reason, n in lost_by_reason.most_common():
        print(f"   {reason:<12} {n:>4}  ({n / max(total, 1):.0%})")
    big = sorted(lost_by_label.items(), key=lambda kv: -kv[1])[:6]
    print("   largest losers: " + ", ".join(f"{lab} {n}" for lab, n in big))

    # 3. false pairs and the joins that made them
    print("\n3. Found pairs the labels do not make, per found group, and the joins that made them")
    false_total = 0
    for group in sorted(groups, key=lambda g: -len(g.members)):
        ids = [d.id for d in group.members]
        false = [p for p in pairs_of([ids]) if p not in truth]
        if not false:
            continue
        false_total += len(false)
        kinds = Counter(label_of.get(i, "?") for i in ids)
        print(f"[{len(ids)}] false pairs {len(false)}: " + ", ".join(f"{n} {lab}" for lab, n in kinds.most_common()))
        for score_, a, b, side_a, side_b, similarity in tracer.joins:
            ia, ib = {d.id for d in side_a}, {d.id for d in side_b}
            if not ia <= set(ids):
                continue
            crossing = sum(1 for x in ia for y in ib if frozenset((x, y)) not in truth)
            if not crossing:
                continue
            print(f"   join {len(ia)}+{len(ib)} ({crossing} false pairs) by cos {score_:.3f}, groups {similarity:.3f}: "
                  f"{title(a.id, 26)} [{label_of.get(a.id, '?')}] ~ {title(b.id, 26)} [{label_of.get(b.id, '?')}]; "
                  f"shares {shared(a, b)}")
    print(f"false pairs in all: {false_total}  (* = a feature of both titles)")
    library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
