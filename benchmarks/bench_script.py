"""Script conversion: errors per 10,000 characters before and after the phrase layer, its cost,
and a scan of real articles for one-to-many characters worth a reader's look.

    python benchmarks/bench_script.py                      # reference sentences + speed
    python benchmarks/bench_script.py --scan DIR [DIR ...] # also scan the simplified articles in DIRs

Before is OpenCC alone (its s2t, s2tw, s2twp, s2hk configurations); after is
``newsreader.script.to_traditional`` (the phrase layer over the same configurations).
Errors are counted against tests/script_reference.tsv (see tests/script_reference.py).
The scan writes, per variant, every one-to-many character of the articles' text with the
character chosen and its context, grouped and counted, to benchmarks/out/script-scan-VARIANT.txt:
read it, and turn what is wrong into phrase rules (newsreader/data/s2t.txt) and reference lines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from script_reference import VARIANTS, load, score  # noqa: E402

from newsreader import script  # noqa: E402
from newsreader.model import Script  # noqa: E402

OUT = HERE / "out"
# Characters whose traditional form depends on the word (the list and more).
ONE_TO_MANY = "后发干里面余范复历钟系台只准松云冲游制征志周注了尽借汇卷占板托折斗伙获采御吁郁向咸须凶参并着当万"


def reference_table() -> None:
    """Errors per 10,000 characters on the reference sentences, per variant and section."""
    sentences = load()
    sections = ["all"] + sorted({s.section for s in sentences})
    print(f"reference: {len(sentences)} sentences, {sum(len(s.source) for s in sentences):,} characters")
    print(f"{'variant':8} {'section':9} {'before /10k':>12} {'after /10k':>11} {'errors before → after':>22}")
    for variant in VARIANTS:
        raw = opencc.OpenCC(script.VARIANTS[variant])
        for section in sections:
            chosen = [s for s in sentences if section == "all" or s.section == section]
            before = score(raw.convert, chosen, variant)
            after = score(lambda text, v=variant: script.to_traditional(text, v), chosen, variant)
            print(f"{variant:8} {section:9} {before.per_10k:12.2f} {after.per_10k:11.2f} "
                  f"{before.errors:>12} → {after.errors}")


def articles(folders: list[str]) -> list[str]:
    """The text (title, summary, body) of every simplified article in ``folders``."""
    from newsreader.sources import ParseError, parse_file

    texts = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file():
                continue
            try:
                found = parse_file(str(path))
            except ParseError:
                continue
            for article in found:
                text = "\n".join((article.title, article.summary, article.text))
                if script.detect(text, sample=5000) is Script.SIMPLIFIED:
                    texts.append(text)
    return texts


def speed(texts: list[str]) -> None:
    """Milliseconds per 10,000 characters: OpenCC alone and with the phrase layer."""
    total = sum(len(t) for t in texts)
    print(f"\nspeed over {len(texts)} texts, {total:,} characters (median of 5 runs, ms per 10,000 characters)")
    print(f"{'conversion':22} {'OpenCC':>8} {'+ phrases':>10} {'layer cost':>11}")

    def per_10k(convert, corpus: list[str] = texts) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for text in corpus:
                convert(text)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs) * 1000 * 10_000 / sum(len(t) for t in corpus)

    for variant in VARIANTS:
        raw = opencc.OpenCC(script.VARIANTS[variant])
        before = per_10k(raw.convert)
        after = per_10k(lambda text, v=variant: script.to_traditional(text, v))
        print(f"{'s→t ' + variant:22} {before:8.2f} {after:10.2f} {after - before:+11.2f}")
    traditional = [script.to_traditional(t, "tw") for t in texts]  # the same texts, in traditional script
    before = per_10k(opencc.OpenCC("t2s").convert, traditional)
    after = per_10k(script.to_simplified_view, traditional)
    print(f"{'t→s (simplified view)':22} {before:8.2f} {after:10.2f} {after - before:+11.2f}")


def scan(texts: list[str]) -> None:
    """Every one-to-many character in ``texts`` converted to each variant, grouped by choice and context."""
    OUT.mkdir(exist_ok=True)
    print("\nscan: one-to-many characters in the simplified articles, converted (changed by the phrase layer)")
    for variant in VARIANTS:
        raw = opencc.OpenCC(script.VARIANTS[variant])
        groups: dict[tuple[str, str], Counter] = defaultdict(Counter)
        changed = Counter()
        for text in texts:
            for line in text.split("\n"):
                after = script.to_traditional(line, variant)
                before = raw.convert(line)
                if len(after) != len(line):
                    continue
                for i, char in enumerate(line):
                    if char in ONE_TO_MANY:
                        groups[(char, after[i])][line[max(0, i - 3):i] + "[" + char + "]" + line[i + 1:i + 3]] += 1
                        if len(before) == len(line) and before[i] != after[i]:
                            changed[f"{char}: {before[i]}→{after[i]}"] += 1
        target = OUT / f"script-scan-{variant}.txt"
        with target.open("w", encoding="utf-8") as out:
            for (char, chosen), contexts in sorted(groups.items()):
                out.write(f"== {char}→{chosen} {sum(contexts.values())}: " + " ".join(
                    context + (f"×{n}" if n > 1 else "") for context, n in contexts.most_common()) + "\n")
        top = ", ".join(f"{k} ×{n}" for k, n in changed.most_common(12))
        print(f"{variant:6} {sum(changed.values()):5} characters changed by the layer ({top}); contexts in {target}")


def main() -> None:
    """Run the measurements the arguments ask for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scan", nargs="+", metavar="DIR", help="archive folders whose simplified articles to measure")
    args = parser.parse_args()
    reference_table()
    texts = articles(args.scan) if args.scan else ["\n".join(s.source for s in load())]
    speed(texts)
    if args.scan:
        scan(texts)


if __name__ == "__main__":
    main()
