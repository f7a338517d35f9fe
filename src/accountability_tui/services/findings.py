"""HMICFRS findings as the screens ask for them: pages, details, links to actions, status changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from accountability_tui.domain.models import ActionRow, FindingKind, FindingRow, FindingStatus, QuestionRow
from accountability_tui.services.actions import PAGE
from accountability_tui.services.history import Change
from accountability_tui.store import Store


@dataclass
class FindingsPage:
    rows: list[FindingRow]
    total: int
    inspections: list[dict]
    offset: int = 0


@dataclass
class FindingDetailData:
    finding: FindingRow
    inspection: dict
    actions: list[ActionRow]
    questions: list[QuestionRow]
    history: list[dict] = field(default_factory=list)  # every recorded change, oldest first (who, when, what)


class FindingsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, finding_id: int) -> FindingRow:
        return self._store.findings.get(finding_id)

    def page(self, kind: FindingKind | None, open_only: bool, offset: int = 0) -> FindingsPage:
        findings = self._store.findings
        rows = findings.list(kind=kind, open_only=open_only, limit=PAGE, offset=offset)
        if offset:
            return FindingsPage(rows=rows, total=-1, inspections=[], offset=offset)
        return FindingsPage(rows=rows, total=findings.count(kind=kind, open_only=open_only),
                            inspections=findings.inspections())

    def detail(self, finding_id: int) -> FindingDetailData:
        store = self._store
        finding = store.findings.get(finding_id)
        return FindingDetailData(finding=finding, inspection=store.findings.inspection(finding.inspection_id),
                                 actions=self.linked_actions(finding_id),
                                 questions=store.questions.list(finding_id=finding_id),
                                 history=store.findings.history(finding_id))

    def details(self, finding_ids: list[int]) -> dict[int, FindingDetailData]:
        return {i: self.detail(i) for i in finding_ids}

    def linked_actions(self, finding_id: int) -> list[ActionRow]:
        ids = self._store.findings.linked_action_ids(finding_id)
        found = self._store.actions.get_many(ids)
        return [found[i] for i in ids if i in found]

    def find(self, text: str) -> list[FindingRow]:
        """Findings whose text has these words (every finding when text is empty), for choosing one."""
        return self._store.findings.list(text=text or None)

    def link(self, finding_id: int, action_id: int) -> bool:
        """Link a finding and an action; False if they were linked already."""
        return self._store.findings.link(finding_id, action_id)

    def unlink(self, finding_id: int, action_id: int) -> bool:
        return self._store.findings.unlink(finding_id, action_id)

    def record_s55(self, inspection_id: int, published_on: dt.date | None, link: str | None = None) -> None:
        """The PCC's response to the inspection's report was published (section 55 of the Police Act 1996)."""
        self._store.findings.set_s55_response(inspection_id, published_on, link)

    def set_status(self, finding: FindingRow, status: FindingStatus, as_of: dt.date,
                   how: str | None = None) -> FindingRow:
        """A new status; closing records the as-of date and how it was closed."""
        closed = status is FindingStatus.CLOSED
        return self._store.findings.update_status(finding.id, finding.version, status,
                                                  closed_on=as_of if closed else None, closed_how=how, note=how)

    def last_change(self, record_id: int) -> Change | None:
        """The change undo would reverse (a status)."""
        h = self._store.findings.last_change(record_id)
        return _change(h) if h else None

    def undo(self, record: FindingRow) -> Change:
        """Reverse the last change with a new one (the history keeps both); Conflict if it changed meanwhile."""
        return _change(self._store.findings.undo(record.id, record.version))


def _change(h: dict[str, Any]) -> Change:
    return Change(h["field"], h["old_value"], h["new_value"], h["who"], h["at"], h["note"])
