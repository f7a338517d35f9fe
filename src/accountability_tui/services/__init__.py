"""Services: the one way the screens, the widgets, the command line and the briefing read or change data.

Plain Python, typed in and out, over the store (which holds all the SQL). `Services(store)` gathers them; the app
and the command line each make one over the store they opened. Nothing here imports Textual or Rich.

`access` holds the roles (issue 14): it checks the acting person's role before every write transaction (the
store asks it), so a reader's change is refused, saying who may make it, before anything is written.

`stale_days` is the officer's staleness threshold (the stale_days setting; domain.md, "Staleness"): the app and
the command line set it from the settings they read, and everything that judges or words staleness (the briefing,
the Panel report, the screens) takes it from here.
"""

from __future__ import annotations

from pathlib import Path

from accountability_tui.domain.models import STALE_DAYS, SearchHit
from accountability_tui.services.access import AccessService
from accountability_tui.services.actions import ActionsService
from accountability_tui.services.briefing import BriefingService
from accountability_tui.services.dashboard import DashboardService
from accountability_tui.services.database import DatabaseService
from accountability_tui.services.drafts import DraftsService
from accountability_tui.services.exports import ExportsService
from accountability_tui.services.findings import FindingsService
from accountability_tui.services.measures import MeasuresService
from accountability_tui.services.meetings import MeetingsService
from accountability_tui.services.plans import PlansService
from accountability_tui.services.presence import PresenceService
from accountability_tui.services.questions import QuestionsService
from accountability_tui.services.reports import ReportsService
from accountability_tui.store import Store


class SearchService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def find(self, text: str, limit: int = 30) -> list[SearchHit]:
        """Actions, findings and questions by the words of their text, best first."""
        return self._store.search.find(text, limit=limit)


class Services:
    """Every service, over one open store."""

    def __init__(self, store: Store, *, stale_days: int = STALE_DAYS, acting_as: str | None = None) -> None:
        self._store = store
        # the roles (who may change what), checked before every write: first, so nothing writes unchecked
        self.access = AccessService(store)
        if acting_as is not None:  # a person named by the office's sign-on, not the OS login
            self.access.act_as(acting_as)
        self.actions = ActionsService(store)
        self.findings = FindingsService(store)
        self.questions = QuestionsService(store)
        self.meetings = MeetingsService(store)
        self.briefings = BriefingService(store)
        self.dashboard = DashboardService(store)
        self.search = SearchService(store)
        self.database = DatabaseService(store)
        self.drafts = DraftsService(store)
        self.presence = PresenceService(store, self.access)
        self.measures = MeasuresService(store)
        self.reports = ReportsService(store)
        self.exports = ExportsService(store)
        self.plans = PlansService(store)
        # the checks that are not writes: the internal briefing and the Panel report (an editor's), a restore
        self.briefings.access = self.reports.access = self.database.access = self.access
        self.stale_days = stale_days

    @property
    def stale_days(self) -> int:
        """A status not reported for more than this many days is stale (the officer's stale_days setting)."""
        return self._stale_days

    @stale_days.setter
    def stale_days(self, days: int) -> None:
        self._stale_days = days
        self.briefings.stale_days = days  # the services that judge staleness in what they build
        self.reports.stale_days = days

    # what the faces say about the database itself
    @property
    def path(self) -> Path:
        return self._store.path

    @property
    def readonly(self) -> bool:
        return self._store.readonly

    @property
    def readonly_reason(self) -> str | None:
        return self._store.readonly_reason

    @property
    def warnings(self) -> list[str]:
        return self._store.warnings

    def close(self) -> None:
        self._store.close()
