"""What the dashboard shows, read in one go.

No Textual here: the command line reads it before the app starts, so that the first screen is drawn once, with its
figures (measured: start-up, make bench).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accountability_tui.domain.models import GroupCounts, MeetingRow, PlanRow
from accountability_tui.store import Store


@dataclass
class DashboardData:
    plans: list[PlanRow]
    summaries: dict[int, dict[str, int]]
    plan: PlanRow | None
    groups: list[GroupCounts]
    open_findings: dict[str, int]
    all_findings: dict[str, int]
    inspections: list[dict]
    meeting: MeetingRow | None
    readiness: dict[str, int] = field(default_factory=dict)
    meeting_overdue: int = 0


def load_dashboard(store: Store, plan_code: str | None, as_of: dt.date) -> DashboardData:
    plans = store.plans.list(counts=False)  # the summaries count the actions
    plan = next((p for p in plans if p.code == plan_code), None) or (plans[0] if plans else None)
    groups = store.actions.counts(plan.id, as_of) if plan else []
    all_findings = store.findings.counts()
    meeting = store.meetings.next_on_or_after(as_of)
    return DashboardData(plans=plans, summaries=store.actions.plan_summaries(as_of), plan=plan, groups=groups,
                         open_findings=store.findings.open_counts(), all_findings=all_findings,
                         inspections=store.findings.inspections(), meeting=meeting,
                         readiness=store.meetings.readiness(meeting.id) if meeting else {},
                         meeting_overdue=store.meetings.overdue_count(meeting) if meeting else 0)


class DashboardService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self, plan_code: str | None, as_of: dt.date) -> DashboardData:
        return load_dashboard(self._store, plan_code, as_of)

    def plans(self, query: str = "") -> list[PlanRow]:
        """Every plan (with its count of actions), the current one first; those whose code or title has query."""
        q = query.lower()
        return [p for p in self._store.plans.list() if q in p.code.lower() or q in p.title.lower()]
