"""The command palette (ctrl+p): every screen by name, and any action, finding or question by its words (FTS)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .widgets.text import clean

SCREENS = [
    ("Dashboard", "dashboard", "Where each plan stands; HMICFRS; next meeting"),
    ("Actions", "actions", "Every action: filter, sort, edit"),
    ("Overdue actions", "actions-overdue", "Actions overdue at the as-of date"),
    ("Findings", "findings", "HMICFRS findings and their linked actions"),
    ("Questions", "questions", "Questions for the Chief Constable"),
    ("Meetings", "meetings", "Create and prepare meetings: overdue review, briefing, export"),
    ("Help: keys", "help", "Every key of every screen"),
]


class ScreensProvider(Provider):
    def _open(self, target: str) -> None:
        app = self.app
        if target == "help":
            app.action_help()
        elif target == "actions-overdue":
            from .screens.actions import ActionFilter

            app.action_go("actions", spec=ActionFilter(overdue=True))
        else:
            app.action_go(target)

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
        app = self.app
        try:
            hits = await app.db(app.store.search.find, query, limit=30)
        except Exception:  # a search never breaks the palette
            return
        for rank, hit in enumerate(hits):
            label = Text(clean(hit.title, one_line=True, limit=160))
            yield Hit(0.9 - rank * 0.01, label, partial(app.open_record, hit.kind, hit.item_id),
                      text=label.plain)
