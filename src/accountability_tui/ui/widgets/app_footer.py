"""The footer of every screen: Textual's, without its leak and without redrawing keys that have not changed.

Textual's Footer is composed again each time the screen's bindings may have changed: a focus moving, a screen
showing again, a key's check. Composing it makes every key twice over (each starts compact and is then restyled)
and took 15-100 ms on a screen's opening, two or three times over (measured: make bench's Performance line); the
keys it would show are mostly the ones it shows. So it is composed again only when what it would show differs.

Each key binds to the footer's `compact` and so watches it; the watches of keys that a recompose throws away stay
with the footer until `compact` next changes (Textual 8.2, issue #6666: 66 MB over 200 visits to other screens).
After a recompose the footer drops them itself, as Textual would.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class AppFooter(Footer):
    _shown: tuple[Any, ...] | None = None

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
