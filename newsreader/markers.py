"""The private-use characters that mark where a medium stands in an article's text.

Cleaning (sources/htmlclean) puts ``MARK_OPEN`` + the medium's number + ``MARK_CLOSE`` in
the text; rendering, the search index and snippets find them with ``PLACEHOLDER``. Kept
apart from the parsers so the commands that only read the cache never import them.
"""

from __future__ import annotations

import re

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
