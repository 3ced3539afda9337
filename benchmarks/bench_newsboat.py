"""Side by side with newsboat: the same articles as RSS, CPU per article to take them in.

    python benchmarks/bench_newsboat.py [N]     (default 2000; needs newsboat: apt-get install newsboat)

Writes the N-article synthetic archive's articles (as newsreader stores them: title, URL,
date, clean HTML) into RSS files of 500 items, points newsboat at them (file:// URLs) and
times ``newsboat -x reload`` into an empty cache, then ``newsreader index`` of the archive
into an empty cache. CPU seconds of each whole process tree (newsreader's workers
included) are what the figures compare: the shared machine's load inflates wall time,
not CPU time. newsboat keeps no search index and reads feeds only.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from common import OUT, archive, env_for, run_measured

PER_FEED = 500


def cpu_of(command: list[str], env: dict[str, str],
           listed: tuple[Path, int, dict[str, float]] | None = None) -> tuple[float, float]:
    """(CPU seconds of the whole process tree, wall seconds) of one run; with ``listed``, when
    the cache listed every article (see common.run_measured)."""
    per_process: dict[int, float] = {}
    wall, _peak, result = run_measured(command, env, per_process, listed=listed)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed: {result.stderr[-500:]}")
    return sum(per_process.values()), wall


def write_feeds(count: int, folder: Path) -> list[Path]:
    """RSS files holding the archive's articles, from an index of it (newsreader's own parse)."""
    home = OUT / f"home-{count}"
    if not home.exists():
        raise SystemExit(f"run: python benchmarks/bench_index.py {count}")
    env = env_for(home)
    items = []
    for line in subprocess.run([sys.executable, "-m", "newsreader", "export"], env=env, capture_output=True,
                               text=True, check=True).stdout.splitlines():
        article = json.loads(line)
        when = article.get("published") or "2020-01-01T00:00:00Z"
        from datetime import datetime

        stamp = format_datetime(datetime.fromisoformat(when.replace("Z", "+00:00")))
        items.append(f"<item><title>{escape(article['title'])}</title><link>{escape(article['url'])}</link>"
                     f"<guid>{escape(article['id'])}</guid><pubDate>{stamp}</pubDate>"
                     f"<description>{escape(article.get('body') or '')}</description></item>")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    feeds = []
    for n in range(0, len(items), PER_FEED):
        path = folder / f"feed-{n // PER_FEED}.xml"
        path.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>synthetic '
                        f"{n}</title><link>https://example.com/</link><description>x</description>"
                        + "".join(items[n:n + PER_FEED]) + "</channel></rss>", encoding="utf-8")
        feeds.append(path)
    return feeds


def main() -> None:
    """Both readers on the same articles."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    if not shutil.which("newsboat"):
        raise SystemExit("needs newsboat (apt-get install newsboat)")
    source = archive(count)
    folder = OUT / f"newsboat-{count}"
    feeds = write_feeds(count, folder / "feeds")
    urls = folder / "urls"
    urls.write_text("".join(f"file://{p}\n" for p in feeds))
    cache = folder / "cache.db"
    cache.unlink(missing_ok=True)
    newsboat_cpu, newsboat_wall = cpu_of(["newsboat", "-u", str(urls), "-c", str(cache), "-x", "reload"],
                                         dict(os.environ))
    again_cpu, _ = cpu_of(["newsboat", "-u", str(urls), "-c", str(cache), "-x", "reload"], dict(os.environ))
    home = folder / "newsreader-home"
    shutil.rmtree(home, ignore_errors=True)
    env = env_for(home)
    listed: dict[str, float] = {}
    cache = home / "cache" / "newsreader" / "cache.sqlite"
    ours_cpu, ours_wall = cpu_of([sys.executable, "-m", "newsreader", "index", str(source)], env,
                                 listed=(cache, count, listed))
    ours_again, _ = cpu_of([sys.executable, "-m", "newsreader", "index"], env)
    print(json.dumps({
        "articles": count,
        "newsboat_reload_cpu_ms_per_article": round(newsboat_cpu * 1000 / count, 2),
        "newsboat_reload_again_cpu_s": round(again_cpu, 2),
        "newsreader_index_cpu_ms_per_article": round(ours_cpu * 1000 / count, 2),
        # the first phase: every article listed and readable (the full parse and search follow)
        "newsreader_all_listed_cpu_ms_per_article": round(listed.get("listed_cpu_s", ours_cpu) * 1000 / count, 2),
        "newsreader_all_listed_wall_s": round(listed.get("listed_s", ours_wall), 2),
        "newsreader_reindex_unchanged_cpu_s": round(ours_again, 2),
        "wall_s (shared machine)": {"newsboat": round(newsboat_wall, 1), "newsreader": round(ours_wall, 1)},
        "newsboat_reload_cpu_s": round(newsboat_cpu, 2),
        "feeds_mb": round(sum(p.stat().st_size for p in feeds) / 1e6, 1),
        "newsboat_cache_mb": round(cache.stat().st_size / 1e6, 1),
    }))


if __name__ == "__main__":
    main()
