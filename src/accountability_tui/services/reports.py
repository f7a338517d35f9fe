"""Reports made from the tracker: the Annual Delivery Plan progress report to the Police and Crime Panel.

The report shows every action of a plan as it stood at the as-of date, read from its history: a status, due date
or explanation changed after that date is shown as it was before the change. Its summary counts the actions by
status (withdrawn ones are listed but not counted), those completed from --since to the as-of date, those overdue
at it, and the statuses last updated more than stale_days (the officer's setting, default 90) days before it
(domain.md, "Staleness").
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from accountability_tui.briefing.files import write_atomically
from accountability_tui.briefing.panel import FORMATS, NOT_COUNTED, PanelReport, PanelRow, render
from accountability_tui.domain.errors import AppError, UsageError
from accountability_tui.domain.models import STALE_DAYS, ActionRow, HistoryEntry, Status, is_stale
from accountability_tui.domain.timeframes import read_timeframe
from accountability_tui.domain.values import read_status
from accountability_tui.services.access import AccessService
from accountability_tui.services.actions import ActionsService, in_plan_order
from accountability_tui.store import Store

NO_STATUS = "No status reported"  # how the report writes an unknown status that has no words of its own
UPDATES = ("note", "status", "explanation")  # the history entries that carry an update on an action
_UNDO = re.compile(r"undo of change #(\d+)")  # the note of an undo (store.history.undo_note)


def panel_format(path: str | Path) -> str:
    """The format of a report file, from its suffix: .docx, .xlsx or .md."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"{Path(path).name}: name the report .docx (Word), .xlsx (Excel) or .md (Markdown); "
                         "the ending decides the format")
    return suffix


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _day(entry: HistoryEntry) -> dt.date:
    return dt.date.fromisoformat(entry.at[:10])


def written_status(status: Status, status_text: str | None) -> str:
    """The status as the report writes it: as recorded when those words read back as the same status (the
    importer reads a status by how it starts), else the app's name for it."""
    if status_text and (read_status(status_text) or Status.UNKNOWN) is status:
        return status_text
    return NO_STATUS if status is Status.UNKNOWN else status.label


def as_at(a: ActionRow, history: list[HistoryEntry], as_of: dt.date, *,
          stale_days: int = STALE_DAYS) -> PanelRow:
    """The action as it stood at the end of the as-of date: a change recorded after it is undone (its old value).
    Its status is stale when last updated more than stale_days before as_of."""
    later = [h for h in history if _day(h) > as_of]
    earlier = [h for h in history if _day(h) <= as_of]

    def before_changes(name: str, current: str | None) -> str | None:
        changed = [h for h in later if h.field == name]
        return changed[0].old_value if changed else current

    status, status_text = a.status, a.status_text
    was = before_changes("status", a.status.value)
    if was != a.status.value:
        try:
            status, status_text = Status(was or "unknown"), None
        except ValueError:
            status, status_text = Status.UNKNOWN, None
    due_text = before_changes("due", a.due.isoformat() if a.due else None)
    due = dt.date.fromisoformat(due_text) if due_text else None

    explanation = before_changes("explanation", a.explanation) or ""
    undone = {int(m.group(1)) for h in history if (m := _UNDO.match(h.note or ""))}
    updates = [h for h in earlier if h.field in UPDATES and (h.field == "explanation" or h.note)
               and h.id not in undone and not _UNDO.match(h.note or "")]  # an undo, or what it undid, says nothing
    if updates and updates[-1].field != "explanation":
        explanation = updates[-1].note or ""  # a note (or a status change's note) after the latest explanation

    reported = a.status_as_at if a.status_as_at and a.status_as_at <= as_of else None
    if reported is None:
        reported = max((_day(h) for h in earlier if h.field in ("status", "note", "created")), default=None)
    if status is Status.UNKNOWN:
        reported = None

    completed_on = None
    if status is Status.COMPLETE:
        done = [h for h in earlier if h.field == "status" and h.new_value == Status.COMPLETE.value]
        created = next((_day(h) for h in history if h.field == "created"), None)
        if done:
            completed_on = _day(done[-1])
        else:  # complete since it was recorded: an imported report's statuses are as at its own date
            completed_on = min(d for d in (created, a.status_as_at) if d) if (created or a.status_as_at) else None

    counted = status.value != NOT_COUNTED
    moved = due if due is not None and due != read_timeframe(a.timeframe).due else None
    return PanelRow(
        ref=a.ref, group=a.group, priority_number=a.priority_number, theme=a.theme, text=a.text, status=status,
        status_written=written_status(status, status_text), explanation=explanation, timeframe=a.timeframe,
        moved_due=moved, page=a.plan_page, lead=a.lead, mechanism=a.mechanism.label if a.mechanism else None,
        overdue=counted and status is not Status.COMPLETE and due is not None and due < as_of,
        status_as_at=reported, stale=counted and is_stale(reported, as_of, days=stale_days),
        completed_on=completed_on)


class ReportsService:
    def __init__(self, store: Store, *, stale_days: int = STALE_DAYS) -> None:
        self._store = store
        self.stale_days = stale_days  # the officer's staleness threshold (Services sets it from the settings)
        self.access: AccessService | None = None  # the roles' check (Services sets it)

    def panel(self, plan_code: str, as_of: dt.date, since: dt.date | None = None) -> PanelReport:
        """The Annual Delivery Plan progress report of a plan at as_of; since: the start of the period its
        'completed' figure counts (default a year before as_of)."""
        since = since or year_before(as_of)
        if since > as_of:
            raise UsageError(f"--since {since.isoformat()} is after the as-of date {as_of.isoformat()}")
        store = self._store
        plan = store.plans.get(plan_code)
        actions = in_plan_order(ActionsService(store).listing(plan.code))
        rows = [as_at(a, store.actions.history(a.id), as_of, stale_days=self.stale_days) for a in actions]
        return PanelReport(plan_code=plan.code, plan_title=plan.title, as_of=as_of, since=since, rows=rows,
                           stale_days=self.stale_days)

    def panel_bytes(self, plan_code: str, suffix: str, as_of: dt.date, since: dt.date | None = None) -> bytes:
        return render(self.panel(plan_code, as_of, since), suffix)

    def export_panel(self, plan_code: str, path: str | Path, *, as_of: dt.date, since: dt.date | None = None,
                     force: bool = False) -> Path:
        """Write the report to path, atomically, in the format its suffix names; FileExists unless force. It is
        written readable by its owner only, as the internal briefing is: its explanations include officers'
        notes."""
        from accountability_tui.services.briefing import export_problem

        if self.access is not None:  # it holds officers' notes: for an editor, as the internal briefing is
            self.access.require_editor("write the Panel report (it holds officers' notes)")
        suffix = panel_format(path)
        problem = export_problem(path)
        if problem:
            raise AppError(problem)
        return write_atomically(path, self.panel_bytes(plan_code, suffix, as_of, since), force=force, private=True)
