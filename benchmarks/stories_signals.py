"""Which signals could separate a day's stories: pair rankings, a centroid ceiling, cross-validation.

    python benchmarks/stories_signals.py [CORPUS] [LABELS]

Defaults as in eval_stories.py (waimei-sample and its hand labels). The corpus is indexed into a
fresh temporary cache and read back as the grouping reads it. Printed:

1. Every pair of the day ranked by a similarity, scored against the labelled pairs: average
   precision (AP) and the precision where 80 % of labelled pairs are found (P@R.8), for the
   shipped vector (title and 300-character lead pooled) and variants: bigrams straddling two
   words kept (features.wordlike), title alone, lead alone,
   both required (the smaller cosine), longer leads, and jieba words instead of bigrams (only
   when jieba is importable: it is not a dependency).
2. The centroid ceiling for the largest label: articles ranked by their mean cosine with its
   members (an oracle centroid, the best any centroid method could do with these vectors); how
   many of the first k are its own.
3. A learned combination of pair signals (logistic regression), fitted on the morning (UTC) of
   the busiest day and scored on the afternoon and the other way round, beside its in-sample AP.
4. The shipped grouping's two bars (PAIR, CENTROID) chosen on one half by F1 and scored on the
   other, beside the shipped bars on that half.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

Vector = dict[str, float]


def unit_matrix(vectors: list[Vector]) -> np.ndarray:
    """Rows of unit length, one per sparse vector (a dense array: one day is small)."""
    vocab: dict[str, int] = {}
    for vector in vectors:
        for token in vector:
            vocab.setdefault(token, len(vocab))
    matrix = np.zeros((len(vectors), max(len(vocab), 1)))
    for i, vector in enumerate(vectors):
        for token, weight in vector.items():
            matrix[i, vocab[token]] = weight
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def tfidf(token_lists: list[tuple[list[str], list[str]]], title_weight: float = 3.0) -> list[Vector]:
    """(title tokens, lead tokens) per doc as TF-IDF vectors over the day (df >= 2, log tf)."""
    df: Counter[str] = Counter()
    for title, lead in token_lists:
        df.update(set(title) | set(lead))
    n = len(token_lists)
    out = []
    for title, lead in token_lists:
        raw: Counter[str] = Counter(lead)
        for token in title:
            raw[token] += title_weight
        out.append({t: (1 + math.log(tf) if tf >= 1 else tf) * (math.log((n + 1) / (df[t] + 1)) + 1)
                    for t, tf in raw.items() if df[t] >= 2})
    return out


def ranking(similarity: np.ndarray, same: np.ndarray) -> tuple[float, float]:
    """Average precision and precision at 80 % recall of the pairs ranked by ``similarity``."""
    order = np.argsort(-similarity, kind="stable")
    hits = same[order]
    found = np.cumsum(hits)
    precision = found / np.arange(1, len(hits) + 1)
    total = max(int(hits.sum()), 1)
    at = min(int(np.searchsorted(found / total, 0.8)), len(hits) - 1)
    return float((precision * hits).sum() / total), float(precision[at])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights of an L2-regularised logistic regression (Newton steps)."""
    w = np.zeros(x.shape[1])
    for _ in range(30):
        p = 1 / (1 + np.exp(-x @ w))
        hessian = x.T @ (x * (p * (1 - p))[:, None]) + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, x.T @ (p - y) + l2 * w)
    return w


def pair_scores(groups: list[list[str]], truth: set[frozenset[str]], keep: set[str]) -> tuple[float, float, float]:
    """Precision, recall, F1 of ``groups`` on the pairs inside ``keep``."""
    from eval_stories import pairs_of, score

    precision, recall = score(truth, pairs_of([g for g in groups if len(g) > 1]), keep)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main(argv: list[str]) -> int:
    shared = next((p / "shared" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()), ROOT.parent / "shared")
    corpus = Path(argv[0]) if argv else shared / "corpus" / "waimei-sample"
    label_path = Path(argv[1]) if len(argv) > 1 else HERE / "labels" / "waimei-stories.tsv"
    from eval_stories import indexed, load_labels, pairs_of

    from newsreader.stories import cluster, features
    from newsreader.stories.source import lead_text

    library = indexed(corpus, "stories-signals-")
    db = library.db
    labels = load_labels(label_path)
    label_of: dict[str, str] = {}
    for article_id, path in db.execute("SELECT article_id, path FROM article_files"):
        label = labels.get(os.path.basename(path))
        if label and label != "-":
            label_of[article_id] = label
    rows = db.execute("SELECT a.rowid, a.id, a.outlet, a.published, a.title, a.summary, b.data, a.script, a.url "
                      "FROM articles a JOIN bodies b ON b.rowid = a.rowid WHERE a.published IS NOT NULL "
                      "ORDER BY a.rowid").fetchall()
    docs, long_leads = [], {}
    for rowid, id_, outlet, published, title, summary, blob, script, url in rows:
        docs.append(features.make_doc(rowid, id_, outlet, published, title, lead_text(db, summary, blob), script, url))
        long_leads[id_] = lead_text(db, summary, blob, 3000)
    n = len(docs)
    ids = [d.id for d in docs]
    truth_groups: dict[str, list[str]] = defaultdict(list)
    for article_id, label in label_of.items():
        truth_groups[label].append(article_id)
    truth = pairs_of(list(truth_groups.values()))
    first, second = np.triu_indices(n, 1)
    same = np.array([ids[i] in label_of and label_of.get(ids[i]) == label_of.get(ids[j]) for i, j in zip(first, second, strict=True)])
    print(f"{n} articles, {len(truth)} labelled pairs")

    # 1. pair rankings
    df = features.document_frequency(docs)
    cdf: Counter[str] = Counter()
    for doc in docs:
        cdf.update(features.doc_characters(doc))
    boiler = features.outlet_boilerplate(docs)
    shipped = unit_matrix([features.weigh(d, df, n, boiler.get(d.outlet, frozenset()), None, cdf) for d in docs])
    unfiltered = unit_matrix([features.weigh(d, df, n, boiler.get(d.outlet, frozenset())) for d in docs])
    titles = unit_matrix(tfidf([(d.title_tokens, []) for d in docs]))
    leads = unit_matrix(tfidf([([], d.lead_tokens) for d in docs]))
    sims = {"shipped (title x3 + 300-char lead)": shipped @ shipped.T,
            "... with bigrams straddling words kept": unfiltered @ unfiltered.T,
            "title alone": titles @ titles.T, "lead alone": leads @ leads.T}
    sims["both required (smaller cosine)"] = np.minimum(sims["title alone"], sims["lead alone"])

    def body_tokens(doc: features.Doc, chars: int) -> list[str]:
        text = " ".join(features.strip_boilerplate(features.fold(long_leads[doc.id][:chars])).split())
        return features.tokens(text)

    for chars in (1000, 3000):
        m = unit_matrix(tfidf([(d.title_tokens, body_tokens(d, chars)) for d in docs]))
        sims[f"title x3 + {chars}-char lead"] = m @ m.T
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        jieba = None
    if jieba is not None:
        jieba.setLogLevel(60)
        word = re.compile(r"[\u4e00-\u9fffa-z]")

        def words(text: str) -> list[str]:
            return [w for w in jieba.lcut(text) if len(w) >= 2 and word.match(w) and not w.isdigit()]

        m = unit_matrix(tfidf([(words(features.strip_title(features.fold(d.title))),
                                words(" ".join(features.strip_boilerplate(features.fold(long_leads[d.id][:300])).split())))
                               for d in docs]))
        sims["jieba words, title x3 + 300-char lead"] = m @ m.T
    published = np.array([d.published for d in docs])
    days = Counter(int(p) // 86400 for p in published)
    noon = days.most_common(1)[0][0] * 86400 + 43200
    half = np.where((published[first] < noon) & (published[second] < noon), 0,
                    np.where((published[first] >= noon) & (published[second] >= noon), 1, 2))
    print("\n1. every pair of the day ranked by a similarity (AP, precision at 80% recall; AP of the"
          " pairs within the morning / afternoon)")
    for name, sim in sims.items():
        ap, at = ranking(sim[first, second], same)
        morning, _ = ranking(sim[first, second][half == 0], same[half == 0])
        afternoon, _ = ranking(sim[first, second][half == 1], same[half == 1])
        print(f"   {name:<42} AP {ap:.3f}  P@R.8 {at:.3f}  ({morning:.3f} / {afternoon:.3f})")
    if jieba is None:
        print("   (jieba not importable: its variant not measured)")

    # 2. centroid ceiling for the largest label
    biggest = max(truth_groups, key=lambda k: len(truth_groups[k]))
    members = [i for i, a in enumerate(ids) if label_of.get(a) == biggest]
    print(f"\n2. oracle centroid of '{biggest}' ({len(members)} articles): its own among the first k")
    for name in ("shipped (title x3 + 300-char lead)", "title alone", "lead alone"):
        sim = sims[name].copy()
        np.fill_diagonal(sim, 0.0)
        mean = sim[:, members].sum(axis=1) / np.array([len(members) - (i in members) for i in range(n)])
        order = np.argsort(-mean, kind="stable")
        counts = [f"k={k}: {sum(1 for i in order[:k] if i in members)}" for k in (10, 20, 22, 25, 30)]
        print(f"   {name:<42} " + "  ".join(counts))

    # 3. learned combination, fitted on one half, scored on the other
    rare = [{t for t in set(d.title_tokens) | set(d.lead_tokens) if 2 <= df.get(t, 0) <= 4} for d in docs]
    x = np.array([[1.0, sims["shipped (title x3 + 300-char lead)"][i, j], sims["title alone"][i, j],
                   sims["lead alone"][i, j], math.log1p(len(rare[i] & rare[j])),
                   float(docs[i].outlet == docs[j].outlet), abs(docs[i].published - docs[j].published) / 86400]
                  for i, j in zip(first, second, strict=True)])
    x[:, 1:] = (x[:, 1:] - x[:, 1:].mean(axis=0)) / (x[:, 1:].std(axis=0) + 1e-9)
    y = same.astype(float)
    print("\n3. logistic regression over pair signals (pooled, title, lead cosines; shared rare features;"
          " same outlet; days apart)")
    for fit, test, fit_name, test_name in ((0, 1, "morning", "afternoon"), (1, 0, "afternoon", "morning")):
        w = fit_logistic(x[half == fit], y[half == fit])
        held, _ = ranking(x[half == test] @ w, same[half == test])
        inside, _ = ranking(x[half == fit] @ w, same[half == fit])
        plain, _ = ranking(x[half == test, 1], same[half == test])
        print(f"   fit on the {fit_name}: AP on the {test_name} {held:.3f} (shipped cosine alone {plain:.3f}); "
              f"in-sample {inside:.3f}")

    # 4. the shipped grouping's bars chosen on one half, scored on the other
    keep = {0: {d.id for d in docs if d.published < noon}, 1: {d.id for d in docs if d.published >= noon}}
    shipped_bars = (cluster.PAIR, cluster.CENTROID)
    results = {}
    for bars in itertools.product((0.12, 0.15, 0.2, 0.25, 0.3), (0.08, 0.1, 0.13, 0.16, 0.2)):
        cluster.PAIR, cluster.CENTROID = bars
        fresh = [features.make_doc(d.rowid, d.id, d.outlet, d.published, d.title,
                                   lead_text(db, r[5], r[6]), d.script, d.url) for d, r in zip(docs, rows, strict=True)]
        groups = [[d.id for d in g] for g in cluster.group_all(fresh)]
        results[bars] = {h: pair_scores(groups, truth, keep[h]) for h in (0, 1)}
    cluster.PAIR, cluster.CENTROID = shipped_bars
    print("\n4. bars (PAIR, CENTROID) chosen by F1 on one half, scored on the other")
    for fit, test, fit_name, test_name in ((0, 1, "morning", "afternoon"), (1, 0, "afternoon", "morning")):
        best = max(results, key=lambda b: results[b][fit][2])
        p, r, f = results[best][test]
        sp, sr, sf = results[shipped_bars][test]
        ip, ir, i_f = results[best][fit]
        print(f"   fit on the {fit_name}: {best} in-sample P {ip:.3f} R {ir:.3f} F1 {i_f:.3f}; on the {test_name} "
              f"P {p:.3f} R {r:.3f} F1 {f:.3f} (shipped {shipped_bars}: P {sp:.3f} R {sr:.3f} F1 {sf:.3f})")
    library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
