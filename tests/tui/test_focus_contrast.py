"""Which pane has focus is always visible; the tree's cursor is readable (WCAG 4.5:1) in the
default theme, in truecolor and in 256 colours."""

from __future__ import annotations

from rich.color import Color, ColorSystem
from rich.style import Style

from newsreader.tui.widgets.outline import Outline
from newsreader.tui.widgets.reader import ArticleView
from tests.tui.test_app import SIZE, make_app, open_first


def luminance(color: Color) -> float:
    """WCAG relative luminance."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(foreground: Color, background: Color) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def cursor_colours(outline: Outline) -> tuple[Color, Color]:
    """The colours the tree's cursor row is drawn in (its own, else the tree's)."""
    cursor: Style = outline.get_component_rich_style("tree--cursor")
    base = outline.rich_style
    foreground, background = cursor.color or base.color, cursor.bgcolor or base.bgcolor
    assert foreground is not None and background is not None
    return foreground, background


def pane_bar(widget) -> str:
    return widget.styles.border_left[1].hex


async def test_the_focused_pane_is_marked_and_the_cursor_is_readable_in_both_colour_depths():
    app, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        outline, reader = app.main.query_one(Outline), app.main.query_one(ArticleView)
        accent = app.theme_variables["accent"].lower()
        for focused in (outline, reader):
            focused.focus()
            await pilot.pause()
            other = reader if focused is outline else outline
            assert pane_bar(focused).lower() == accent and pane_bar(other).lower() != accent
            foreground, background = cursor_colours(outline)
            for depth in (ColorSystem.TRUECOLOR, ColorSystem.EIGHT_BIT):
                ratio = contrast(foreground.downgrade(depth), background.downgrade(depth))
                assert ratio >= 4.5, f"cursor {foreground} on {background} ({depth}, focus on {focused}): {ratio:.2f}"
