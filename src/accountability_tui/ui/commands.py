"""The command palette (ctrl+p): every screen by name, and any action, finding or question by its words (FTS)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from accountability_tui.services.actions import ActionFilter
from accountability_tui.ui import registry
from accountability_tui.ui.widgets.text import clean

if TYPE_CHECKING:
    from accountability_tui.ui.shell import Shell

# every main screen, then the shortcuts (the overdue actions, help), from the one registry
SCREENS = [(e.title, e.name, e.help) for e in registry.MAIN] + registry.SHORTCUTS


def shell(provider: Provider) -> Shell:
    return cast("Shell", provider.app)


class ScreensProvider(Provider):
    def _open(self, target: str) -> None:
        if target == "help":
            self.app.action_help()  # type: ignore[attr-defined]
        elif target == "undo":
            from accountability_tui.ui.screens.base import ListScreen

            if isinstance(self.screen, ListScreen) and self.screen.undo_service() is not None:
                self.screen.action_undo()
            else:
                self.app.notify("Open an action, a finding or a question first (2, 3 or 4), then undo",
                                markup=False)
        elif target == "actions-overdue":
            shell(self).action_go("actions", spec=ActionFilter(overdue=True))
        else:
            shell(self).action_go(target)

    async def discover(self) -> Hits:
        for name, target, help_text in SCREENS:
            yield DiscoveryHit(name, partial(self._open, target), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, target, help_text in SCREENS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._open, target), help=help_text)


class RecordsProvider(Provider):
    """Finds actions, findings and questions by the words of their text."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        app = shell(self)
        try:
            hits = await app.db(app.services.search.find, query, 30)
        except Exception as exc:  # told to the officer like every other failure; the palette stays open
            app.report(exc)
            return
        for rank, hit in enumerate(hits):
            label = Text(clean(hit.title, one_line=True, limit=160))
            yield Hit(0.9 - rank * 0.01, label, partial(app.open_record, hit.kind, hit.item_id),
                      text=label.plain)
