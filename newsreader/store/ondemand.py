"""Reading an article that is catalogued but not yet parsed in full: its file, parsed now.

The first phase of indexing lists an article from its file's header alone; until the
second phase reaches that file, ``show`` and the app read it from the file directly
(a couple of milliseconds), the same way the full parse would. Nothing is stored: the
index run that holds the write lock will.
"""

from __future__ import annotations

import json

from newsreader import script
from newsreader.safetext import storable
from newsreader.store.bodies import Body
from newsreader.store.errors import NotFound
from newsreader.store.prepare import article_id


def read_now(path: str, wanted: str) -> tuple[tuple[str, str, str, str, str, str], Body]:
    """The fields after a listing (summary, author, category, keywords as JSON, script,
    format) and the body of article ``wanted`` as parsed from ``path`` now; NotFound when the
    file no longer gives it."""
    from newsreader.sources import ParseError, parse_file  # the parsers: only where files are read

    try:
        articles = parse_file(path)
    except ParseError as error:
        raise NotFound(f"article {wanted} is listed but not yet indexed, and its file {path} "
                       f"cannot be read now ({error})") from None
    for article in articles:
        article = storable(article)
        if article_id(article) != wanted:
            continue
        fields = (article.summary, article.author, article.category,
                  json.dumps(list(article.keywords), ensure_ascii=False),
                  script.detect(article.title + "\n" + article.text).value, article.format)
        return fields, Body(article.body_html, article.text, list(article.media), list(article.links))
    raise NotFound(f"article {wanted} is listed but not yet indexed, and its file {path} "
                   "no longer holds it (run 'newsreader index')")
