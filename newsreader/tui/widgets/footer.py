"""The key footer: Textual's, recomposed once for a burst of binding changes.

Textual's footer rebuilds its keys (a widget each, styled one by one) every time the
screen's bindings change, once per change even when several arrive before the next
refresh: at start (mount, focus, the tree's first rows) that was four rebuilds, ~0.1 s
of the first screen's CPU. Here a rebuild already waiting takes the later changes with
it: it reads the bindings as they are when it runs, so what is shown is the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer as TextualFooter

if TYPE_CHECKING:
    from textual.screen import Screen


class Footer(TextualFooter):
    """The bindings of the focused widget and its screen, as Textual's footer shows them."""

    _rebuild_waiting = False

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild after the next refresh, unless a rebuild already waits for it."""
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_waiting:
            self._rebuild_waiting = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_waiting = False
        await self.recompose()
