"""The footer of every screen: Textual's, without its leak.

Each key in Textual's Footer binds to the footer's `compact` and so watches it; the watches of keys that a
recompose throws away stay with the footer until `compact` next changes (Textual 8.2, issue #6666). The dashboard
lives as long as the app and its footer is recomposed each time it shows again, so every visit to another screen
left its keys behind (measured: 66 MB over 200 visits). Changing `compact` there and back after a recompose lets
Textual drop the watches of the keys that are gone.
"""

from __future__ import annotations

from textual.widgets import Footer


class AppFooter(Footer):
    async def recompose(self) -> None:
        await super().recompose()
        self.compact = not self.compact
        self.compact = not self.compact
