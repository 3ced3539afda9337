"""Agreement between two hand labellings of one corpus's stories (inter-annotator agreement).

    python benchmarks/label_agreement.py LABELS_A LABELS_B [--top N] [--corpus DIR [--grouping]]

Both files are in the ``file<TAB>label`` format of ``benchmarks/labels/`` (``-`` = in no story
with another file; ``#`` lines are comments). Two files are "together" in a labelling when both
carry one label other than ``-``, exactly as ``eval_stories.py`` counts pairs. Printed:

* pairwise precision and recall of B against A (the share of B's pairs that A also has, the
  share of A's pairs that B finds) -- B against A read the other way round is A's recall and
  precision against B -- and their F1;
* with ``--corpus DIR`` (the labelled folder), the same figures over articles instead of files,
  as ``eval_stories.py`` scores the grouping: the folder is indexed into a fresh temporary cache
  and the files of one article (two stored versions of one URL) count as one article;
  ``--grouping`` (with ``--corpus``) also scores the product's story grouping against A, B, the
  pairs both labellings make and the pairs either makes (precision against "either" forgives
  what only one labeller would join, recall against "both" asks only for agreed pairs);
* where they disagree: every label of A whose pairs B does not all keep (how A's story is split
  in B), and every label of B holding pairs A does not have (which of A's stories and
  ``-`` files B joins), largest disagreement first, with the file names.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

Pair = tuple[str, str]


def load_labels(path: Path) -> dict[str, str]:
    """file name -> label, ``-`` lines included, comment and blank lines skipped."""
    labels: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        name, sep, label = line.rpartition("\t")
        if not sep or not label:
            raise ValueError(f"{path}:{number}: not 'file<TAB>label': {line!r}")
        if name in labels:
            raise ValueError(f"{path}:{number}: {name!r} labelled twice")
        labels[name] = label
    return labels


def groups(labels: dict[str, str]) -> dict[str, list[str]]:
    """label -> its files (sorted), ``-`` left out."""
    out: dict[str, list[str]] = defaultdict(list)
    for name, label in labels.items():
        if label != "-":
            out[label].append(name)
    return {label: sorted(names) for label, names in out.items()}


def pairs(labels: dict[str, str]) -> set[Pair]:
    """Every unordered pair of files that share a label (as sorted tuples)."""
    found: set[Pair] = set()
    for names in groups(labels).values():
        found.update(itertools.combinations(names, 2))
    return found


def index_corpus(corpus: Path, grouping: bool) -> tuple[dict[str, list[str]], list[list[str]]]:
    """(article id -> its file names, the product's multi-article stories or [] unless asked).

    The corpus is indexed into a fresh temporary cache (XDG dirs pointed there first); with
    ``grouping`` the stories are computed as the product does (``eval_stories.py`` likewise).
    """
    home = Path(tempfile.mkdtemp(prefix="label-agreement-"))
    for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        os.environ[name] = str(home / name.lower())
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from newsreader.store.library import Library
    from newsreader.stories import compute

    library = Library(warn=lambda message: None)
    try:
        library.index([str(corpus)])
        files: dict[str, list[str]] = defaultdict(list)
        for article_id, path in library.db.execute("SELECT article_id, path FROM article_files"):
            files[article_id].append(os.path.basename(path))
        found = [list(g) for g in compute.recompute(library.db).groups if len(g) > 1] if grouping else []
    finally:
        library.close()
    return files, found


def article_labels(labels: dict[str, str], files: dict[str, list[str]]) -> dict[str, str]:
    """article id -> label, from file labels; an article whose files disagree takes the first
    label in sorted order and is reported on stderr."""
    out: dict[str, str] = {}
    for article_id, names in files.items():
        found = sorted({labels[name] for name in names if name in labels})
        if len(found) > 1:
            print(f"warning: one article's files labelled {found}: {names}", file=sys.stderr)
        if found:
            out[article_id] = found[0]
    return out


def grouping_scores(aa: dict[str, str], ab: dict[str, str], found: list[list[str]]) -> list[str]:
    """The product's grouping scored against A, B, the pairs both made and the pairs either made."""
    found_pairs = {tuple(sorted(p)) for g in found for p in itertools.combinations(set(g), 2)}
    pa, pb = pairs(aa), pairs(ab)
    lines = [f"the grouping: {len(found)} stories, {len(found_pairs)} pairs"]
    for name, truth in (("A", pa), ("B", pb), ("both (A and B)", pa & pb), ("either (A or B)", pa | pb)):
        hit = len(truth & found_pairs)
        lines.append(
            f"  against {name:16s} ({len(truth)} pairs): precision {ratio(hit, len(found_pairs)):.3f}  "
            f"recall {ratio(hit, len(truth)):.3f}"
        )
    return lines


def agreement(a: dict[str, str], b: dict[str, str]) -> tuple[int, int, int, float, float]:
    """(pairs of A, pairs of B, pairs in both, precision of B against A, recall of B against A)."""
    pa, pb = pairs(a), pairs(b)
    both = len(pa & pb)
    return len(pa), len(pb), both, ratio(both, len(pb)), ratio(both, len(pa))


def ratio(part: int, whole: int) -> float:
    """part / whole, 1.0 for an empty whole (nothing to get wrong)."""
    return part / whole if whole else 1.0


def describe_split(label: str, names: list[str], other: dict[str, str], other_pairs: set[Pair]) -> tuple[int, str]:
    """How one story of a labelling lies in the other: (pairs not kept, text)."""
    own = list(itertools.combinations(names, 2))
    lost = sum(1 for pair in own if pair not in other_pairs)
    parts = Counter(other[name] for name in names)
    shown = ", ".join(f"{part} x{count}" for part, count in parts.most_common())
    return lost, f"{label} ({len(names)} files, {lost} of {len(own)} pairs not kept): {shown}"


def report(a_path: Path, b_path: Path, top: int, corpus: Path | None = None, grouping: bool = False) -> str:
    """The agreement report of labelling B against labelling A, as text."""
    a, b = load_labels(a_path), load_labels(b_path)
    lines: list[str] = []
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if only_a or only_b:
        lines.append(f"files only in A: {len(only_a)}, only in B: {len(only_b)} (left out)")
        for name in only_a[:5] + only_b[:5]:
            lines.append(f"  {name}")
    common = set(a) & set(b)
    a = {name: label for name, label in a.items() if name in common}
    b = {name: label for name, label in b.items() if name in common}
    pa, pb = pairs(a), pairs(b)
    both = pa & pb
    precision, recall = ratio(len(both), len(pb)), ratio(len(both), len(pa))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ga, gb = groups(a), groups(b)
    lines += [
        f"A = {a_path}",
        f"B = {b_path}",
        f"files: {len(common)}",
        f"A: {len(ga)} stories, {sum(map(len, ga.values()))} files in them, {len(pa)} pairs",
        f"B: {len(gb)} stories, {sum(map(len, gb.values()))} files in them, {len(pb)} pairs",
        f"pairs in both: {len(both)}",
        f"B against A: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}",
        f"A against B: precision {recall:.3f}  recall {precision:.3f}",
    ]
    if corpus is not None:
        files, found = index_corpus(corpus, grouping)
        aa, ab = article_labels(a, files), article_labels(b, files)
        common_articles = set(aa) & set(ab)
        aa = {k: v for k, v in aa.items() if k in common_articles}
        ab = {k: v for k, v in ab.items() if k in common_articles}
        n_a, n_b, n_both, p_art, r_art = agreement(aa, ab)
        lines += [
            f"over the {len(common_articles)} articles of {corpus}: A {n_a} pairs, B {n_b}, both {n_both}",
            f"B against A (articles): precision {p_art:.3f}  recall {r_art:.3f}",
        ]
        if grouping:
            lines += grouping_scores(aa, ab, found)
    lines += [
        "",
        "A's stories that B does not keep whole (A's pairs B lacks), largest first:",
    ]
    splits = [describe_split(label, names, b, pb) for label, names in ga.items()]
    for _lost, text in sorted((s for s in splits if s[0]), key=lambda s: (-s[0], s[1]))[:top]:
        lines.append(f"  {text}")
    lines += ["", "B's stories holding pairs A does not have (B's extra pairs), largest first:"]
    joins = [describe_split(label, names, a, pa) for label, names in gb.items()]
    for _lost, text in sorted((s for s in joins if s[0]), key=lambda s: (-s[0], s[1]))[:top]:
        lines.append(f"  {text}")
    lines += ["", "files of the disagreements above, by story of A:"]
    for label, names in sorted(ga.items()):
        if any(pair not in pb for pair in itertools.combinations(names, 2)):
            lines.append(f"  A:{label}")
            lines += [f"    B:{b[name]:28s} {name}" for name in names]
    for label, names in sorted(gb.items()):
        if any(pair not in pa for pair in itertools.combinations(names, 2)):
            lines.append(f"  B:{label}")
            lines += [f"    A:{a[name]:28s} {name}" for name in names]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Command line: two label files, optional ``--top N`` (default 15), ``--corpus DIR``, ``--grouping``."""
    top = 15
    corpus: Path | None = None
    grouping = False
    args: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg == "--top":
            top = int(next(rest))
        elif arg == "--grouping":
            grouping = True
        elif arg == "--corpus":
            corpus = Path(next(rest))
        else:
            args.append(arg)
    if len(args) != 2 or (grouping and corpus is None):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    print(report(Path(args[0]), Path(args[1]), top, corpus, grouping))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
