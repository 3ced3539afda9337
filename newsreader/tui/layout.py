"""Article Markdown → styled lines at a given width, with Chinese line breaking.

The reader does its own layout rather than using Textual's Markdown widget: lines
break between Han characters by cells, never before closing punctuation, and the
article's text is only ever a plain string with styles — never parsed as markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from newsreader import cjk
from newsreader.store import tokens

# A link, bold, italics or a backslash escape: the inline Markdown render.markdown writes.
# A link's URL is in <…> (html2text's protect_links) or bare; either may hold \-escapes.
# Article text is escaped (render.escape_markdown): a backslash before any ASCII
# punctuation is that character as text, and never opens or closes a span.
# Bold and italics hold links whole: a URL's own '_' or '*' never closes them.
_LINK = r"\[(?:\\.|[^\]\\\n]){0,1000}\]\((?:<(?:\\.|[^>\\\n]){0,4000}>|(?:\\.|[^)\s\\]){0,4000})\)"
_INLINE = re.compile(
    r"\[((?:\\.|[^\]\\\n]){0,1000})\]\((?:<((?:\\.|[^>\\\n]){0,4000})>|((?:\\.|[^)\s\\]){0,4000}))\)"
    rf"|\*\*((?:{_LINK}|\\.|[^\\\[\n]){{1,1000}}?)\*\*"
    rf"|(?<![\w*])_((?:{_LINK}|\\.|[^\\\[\n]){{1,400}}?)_(?![\w*])"
    r"|\\([!-/:-@\[-`{-~])"
)
# Every span is bounded (a label 1,000 characters, a URL 4,000, bold 1,000, italics 400, none
# across a line): a paragraph of 210 KB of ` _a` costs linear time, not quadratic.


@dataclass(frozen=True)
class Styles:
    """The styles layout applies, resolved from the app's theme."""

    heading: Style = Style(bold=True)
    strong: Style = Style(bold=True)
    emphasis: Style = Style(italic=True)
    link: Style = Style(underline=True)
    placeholder: Style = Style(bold=True, color="cyan")
    link_number: Style = Style(bold=True, color="cyan")
    quote: Style = Style(italic=True, dim=True)
    highlight: Style = Style(reverse=True, bold=True)


_ESCAPE = re.compile(r"\\(.)")


def link_mark(number: int, styles: Styles) -> Text:
    """``[3]`` after a link: its number in the media-and-links list; a click on it opens it
    (the reader's ``open_link`` action)."""
    return Text(f"[{number}]", style=styles.link_number + Style(meta={"@click": f"open_link({number})"}))


def inline(markdown: str, styles: Styles, base: Style | None = None,
           numbers: Mapping[str, int] | None = None) -> Text:
    """One block's inline Markdown (links, bold, italics, escapes) as styled plain text; a
    link whose URL is in ``numbers`` is followed by its number (see :func:`link_mark`)."""
    def styled(extra: Style) -> Style:
        return base + extra if base else extra

    text = Text()
    plain: list[str] = []  # text not yet appended, escapes resolved: one run, one style span

    def flush() -> None:
        if plain:
            text.append("".join(plain), base)
            plain.clear()

    position = 0
    for match in _INLINE.finditer(markdown):
        plain.append(markdown[position:match.start()])
        label, url_quoted, url_bare, strong, emphasis, escaped = match.groups()
        if escaped is None:
            flush()
        if label is not None:
            url = _ESCAPE.sub(r"\1", url_quoted if url_quoted is not None else url_bare or "")
            number = (numbers or {}).get(url)
            link_style = styled(styles.link)
            if number is not None:
                link_style += Style(meta={"@click": f"open_link({number})"})
            text.append_text(inline(label, styles, link_style))
            if number is not None:
                text.append_text(link_mark(number, styles))
        elif strong is not None:
            text.append_text(inline(strong, styles, styled(styles.strong), numbers))
        elif emphasis is not None:
            text.append_text(inline(emphasis, styles, styled(styles.emphasis), numbers))
        else:
            plain.append(escaped)
        position = match.end()
    plain.append(markdown[position:])
    flush()
    return text


def blocks(markdown: str, styles: Styles, numbers: Mapping[str, int] | None = None) -> list[tuple[str, Text]]:
    """Split Markdown into (kind, text) blocks: heading, quote, item, media, para; links
    whose URL is in ``numbers`` carry their number."""
    def styled(markdown: str) -> Text:
        return inline(markdown, styles, numbers=numbers)

    out: list[tuple[str, Text]] = []
    for raw in re.split(r"\n\s*\n", markdown.strip()):
        block = raw.strip("\n")
        if not block.strip():
            continue
        lines = [line.strip() for line in block.split("\n")]
        first = lines[0]
        if first.startswith("#"):
            text = styled(first.lstrip("#").strip())
            text.stylize(styles.heading)
            out.append(("heading", text))
        elif first.startswith(">"):
            text = styled(" ".join(line.lstrip("> ").strip() for line in lines))
            text.stylize(styles.quote)
            out.append(("quote", text))
        elif first[:2] in ("* ", "- ", "+ "):
            for line in lines:
                if line[:2] in ("* ", "- ", "+ "):
                    out.append(("item", styled(line[2:])))
                elif out:
                    out[-1] = (out[-1][0], out[-1][1] + Text(" ") + styled(line))
        elif first.startswith("**\\[") and "\\]**" in first:
            text = styled(" ".join(lines))
            label_end = text.plain.find("]") + 1
            text.stylize(styles.placeholder, 0, label_end)
            number = re.search(r"\d+", text.plain[:label_end])
            if number:  # a click on the label opens the medium
                text.stylize(Style(meta={"@click": f"open_link({number.group()})"}), 0, label_end)
            out.append(("media", text))
        else:
            # html2text keeps <br> as a line break: join CJK lines tight, Latin with a space
            joined = Text()
            for n, line in enumerate(lines):
                piece = styled(line)
                if n and joined.plain and not (cjk.is_cjk(joined.plain[-1]) and piece.plain[:1] and
                                               cjk.is_cjk(piece.plain[0])):
                    joined.append("\n")
                joined.append_text(piece)
            out.append(("para", joined))
    return out


def highlight(text: Text, query: str, style: Style) -> None:
    """Mark each place a query term occurs (in either script, any case)."""
    if not query.strip():
        return
    folded = tokens.fold(text.plain)
    for term in tokens.terms(query):
        needle = tokens.fold(term).strip()
        if not needle:
            continue
        start = folded.find(needle)
        while start >= 0:
            text.stylize(style, start, start + len(needle))
            start = folded.find(needle, start + len(needle))


def wrap_text(text: Text, width: int, indent: str = "", hanging: str | None = None) -> list[Text]:
    """Break styled text into lines of ``width`` cells (CJK rules), keeping its styles (its
    own style included). ``indent`` opens the first line; ``hanging`` (``indent`` when None)
    opens the others: ``"• "`` then ``"  "`` gives a list item its bullet once."""
    later = indent if hanging is None else hanging
    room = max(width - max(cjk.cell_len(indent), cjk.cell_len(later)), 4)
    ranges: list[tuple[int, int]] = []
    offset = 0
    for hard in text.plain.split("\n"):
        ranges.extend((offset + start, offset + end) for start, end in cjk.wrap_offsets(hard, room))
        offset += len(hard) + 1
    # one divide for every line: slicing line by line copies the whole text each time
    pieces = text.divide([cut for pair in ranges for cut in pair])
    lines: list[Text] = []
    for n in range(len(ranges)):
        piece = pieces[2 * n + 1]
        if text.style:
            piece.stylize_before(text.style)
        lead = indent if not lines else later
        lines.append(Text(lead) + piece if lead else piece)
    return lines
