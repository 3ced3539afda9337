"""What the front ends say about an article's story and editions, as plain text (no Textual)."""

from __future__ import annotations

from newsreader import outlets
from newsreader.model import View
from newsreader.store.library import Library

OUTLETS_APART = " · "
"""Between the outlets of "also covered by" (the reader wraps lines only there)."""


def also_covered(library: Library, article_id: str, view: View = View.ORIGINAL) -> str:
    """"also covered by: RFI 法广 · 中央社 (2) · DW" — the story's other outlets (how many
    articles each has, when more than one), in order of first report; '' when none."""
    story_id = library.story_of(article_id)
    if story_id is None:
        return ""
    own = library.listing(article_id).outlet
    counts: dict[str, int] = {}
    for (outlet,) in library.db.execute(
            "SELECT a.outlet FROM story_articles s JOIN articles a ON a.rowid = s.rowid "
            "WHERE s.story = ? AND s.edition_of IS NULL ORDER BY s.rowid", (story_id,)):
        if outlet != own:
            counts[outlet] = counts.get(outlet, 0) + 1
    if not counts:
        return ""
    names = [outlets.get(key).name(view) + (f" ({n})" if n > 1 else "") for key, n in counts.items()]
    return "also covered by: " + OUTLETS_APART.join(names)


def other_edition(library: Library, article_id: str) -> tuple[str, str] | None:
    """The id and script of the article's other edition (simplified ↔ traditional), or None."""
    notes = library.annotations([article_id]).get(article_id, {})
    mine = library.db.execute("SELECT script FROM articles WHERE id = ?", (article_id,)).fetchone()
    for edition in notes.get("editions", []):
        if not mine or edition["script"] != mine[0]:
            return edition["id"], edition["script"]
    return None


def badge(script: str) -> str:
    """The badge of an edition's script: 简 or 繁 ('' for neither)."""
    return {"simplified": "简", "traditional": "繁"}.get(script, "")
