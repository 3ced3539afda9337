"""Giant and hostile article text: search snippets, Markdown rendering, URL vetting.

    python benchmarks/bench_hostile_text.py

Times, in the process (median of three), a search snippet in a 20 MB body (hit near the
start, hit late in the searched first million characters, no spelling of the term in the
body as for a title hit), the Markdown of link-dense and deeply nested bodies, and
vetting 20,000 link targets for opening.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(action: Callable[[], object], runs: int = 3) -> float:
    """The median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1)


def main() -> None:
    """Print one line per measurement."""
    from newsreader import render
    from newsreader.safetext import openable_url
    from newsreader.sources.htmlclean import clean_html
    from newsreader.store.search import snippet

    paragraph = "拜登與習近平在舊金山會晤，討論了兩國關係。" * 40 + "\n\n"
    giant = paragraph * (20_000_000 // len(paragraph))
    late = giant[:900_000] + "最後談到臺灣問題。" + giant[900_000:]
    snippet(paragraph, "旧金山")
    print("snippet, 20 MB body, hit at the start:", median_ms(lambda: snippet(giant, "旧金山")), "ms")
    print("snippet, 20 MB body, hit at 900,000 characters:", median_ms(lambda: snippet(late, "台湾")), "ms")
    print("snippet, 20 MB body, term only in the title:", median_ms(lambda: snippet(giant, "标题里才有")), "ms")
    for name, html in {
        "4,000 links": "<p>" + "".join(f'<a href="https://e.com/{n}">链{n}</a> ' for n in range(4_000)) + "</p>",
        "100,000 links (over the tag limit: from text)":
            "<p>" + "".join(f'<a href="https://e.com/{n}">链{n}</a> ' for n in range(100_000)) + "</p>",
        "lists nested 5,000 deep": "<ul><li>" * 5000 + "深" + "</li></ul>" * 5000,
    }.items():
        body = clean_html(html)
        print(f"Markdown of {name}:", median_ms(lambda b=body: render.markdown(b.html, [], b.text)), "ms")
    urls = [f"https://example.com/{n}?a=1&b={n}" for n in range(20_000)]
    print("vetting 20,000 clean link targets:", median_ms(lambda: [openable_url(u) for u in urls]), "ms")
    odd = [f"https://例子.example/路径 {n}?q=$(x)" for n in range(20_000)]
    print("vetting 20,000 targets that need encoding:", median_ms(lambda: [openable_url(u) for u in odd]), "ms")


if __name__ == "__main__":
    main()
