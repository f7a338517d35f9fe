"""The footer of every screen: Textual's, without its leak and without redrawing keys that have not changed.

Textual's Footer is composed again each time the screen's bindings may have changed: a focus moving, a screen
showing again, a key's check. Composing it makes every key twice over (each starts compact and is then restyled)
and took 15-100 ms on a screen's opening, two or three times over (measured: make bench's Performance line); the
keys it would show are mostly the ones it shows. So it is composed again only when what it would show differs.

A footer wider than the screen shows the keys in their order until the room runs out, and the essential ones
(help, back or leave, quit, save) always: `?` lists the rest.

Each key binds to the footer's `compact` and so watches it; the watches of keys that a recompose throws away stay
with the footer until `compact` next changes (Textual 8.2, issue #6666: 66 MB over 200 visits to other screens).
After a recompose the footer drops them itself, as Textual would.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# kept whatever the width: ? lists every key of the screen, Esc leaves it, q quits, ctrl+s saves a form
ESSENTIAL = frozenset({"help", "quit", "back", "leave", "cancel", "save"})


class AppFooter(Footer):
    _shown: tuple[Any, ...] | None = None

    def __init__(self, *, id: str | None = None) -> None:
        # ctrl+p is one of the app's own keys (Find, in every footer): Textual's copy of it at the right edge said it
        # twice, and at 80 columns pushed "q Quit" off the screen
        super().__init__(id=id, show_command_palette=False)

    def _what_it_shows(self) -> tuple[Any, ...] | None:
        if not self._bindings_ready or not self.is_attached:
            return None
        keys = tuple((binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                      binding.show, binding.group, enabled, tooltip)
                     for _, binding, enabled, tooltip in self.screen.active_bindings.values())
        return (self.compact, self.show_command_palette, keys)

    async def recompose(self) -> None:
        shows = self._what_it_shows()
        if shows is not None and shows == self._shown:
            return
        self._shown = shows
        await super().recompose()
        for watchers in getattr(self, "__watchers", {}).values():
            watchers[:] = [(node, callback) for node, callback in watchers if not node._closing]
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Hide the keys that do not fit, the essential ones last of all."""
        keys = list(self.query(FooterKey))
        room = self.size.width or self.app.size.width

        def width(key: FooterKey) -> int:  # " k " + "Description " (FooterKey's padding)
            return cell_len(key.key_display) + 2 + (cell_len(key.description) + 1 if key.description else 0)

        room -= sum(width(key) for key in keys if key.action in ESSENTIAL)
        fits = True
        for key in keys:
            if key.action in ESSENTIAL:
                key.display = True
                continue
            fits = fits and width(key) <= room
            key.display = fits
            if fits:
                room -= width(key)
