"""The default theme: calm, and made only of xterm-256 palette colours, so a 256-colour
terminal shows exactly what a truecolor one does."""

from __future__ import annotations

from textual.theme import Theme

NEWSREADER = Theme(
    name="newsreader",
    primary="#5f87af",     # xterm 67, steel blue
    secondary="#87afaf",   # xterm 109
    accent="#d7af5f",      # xterm 179, amber: placeholders, the search field
    foreground="#d0d0d0",  # xterm 252
    background="#1c1c1c",  # xterm 234
    surface="#262626",     # xterm 235
    panel="#303030",       # xterm 236
    warning="#d7875f",     # xterm 173
    error="#d75f5f",       # xterm 167
    success="#87af87",     # xterm 108
    dark=True,
    variables={
        # the tree's cursor: 6:1 focused, 7:1 blurred (WCAG asks 4.5:1), palette colours only
        "block-cursor-foreground": "#eeeeee",          # xterm 255
        "block-cursor-background": "#005f87",          # xterm 24
        "block-cursor-blurred-foreground": "#d0d0d0",  # xterm 252
        "block-cursor-blurred-background": "#3a3a3a",  # xterm 237
    },
)
