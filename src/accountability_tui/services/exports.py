"""A list as it is shown (the actions, findings or questions, with the filters and sort of the moment), written to a
spreadsheet: CSV (UTF-8 with a byte-order mark, so that Excel reads its accents right) or XLSX.

Every row that matches, not only the page on screen, with each text whole. A cell that begins with =, +, - or @
would be run as a formula by a spreadsheet: in CSV it is written after an apostrophe, which a spreadsheet reads
as "this is text" (CSV has no other way to say it); in XLSX it is a string cell (briefing/xlsx.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

from accountability_tui.briefing.files import write_atomically
from accountability_tui.briefing.xlsx import FORMULA_START, Sheet, cell_text, write_xlsx
from accountability_tui.domain.errors import AppError
from accountability_tui.domain.models import FindingKind, QuestionStatus
from accountability_tui.services.actions import CURRENT, ActionFilter
from accountability_tui.services.links import describe_questions
from accountability_tui.store import Store

FORMATS = ("csv", "xlsx")


def list_format(path: str | Path, format: str | None = None) -> str:
    """csv or xlsx: the one asked for, else by the file's suffix (.xlsx, else CSV)."""
    if format is not None:
        if format not in FORMATS:
            raise AppError(f"unknown list format {format!r}; use csv or xlsx")
        return format
    return "xlsx" if Path(path).suffix.lower() == ".xlsx" else "csv"


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def csv_text(value: object) -> str:
    """A cell for CSV: whole, and never a formula (an apostrophe before =, +, - or @)."""
    text = cell_text(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_text(h) for h in sheet.header])
    writer.writerows([[c if isinstance(c, int) else csv_text(c) for c in row] for row in sheet.rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class ExportsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    # --- the lists, as sheets ---------------------------------------------------------------------------------

    def actions(self, spec: ActionFilter, as_of: dt.date, sort: str = "position", descending: bool = False) -> Sheet:
        """Every action the actions list shows with this filter and sort, at the as-of date."""
        store = self._store
        if spec.plan_code == CURRENT:
            plan = store.plans.current()
            spec = replace(spec, plan_code=plan.code if plan else None)
        rows = store.actions.list(spec.to_filters(store, as_of), sort=sort, descending=descending)
        header = ["Plan", "Ref", "Priority / theme", "Action", "Lead", "Mechanism", "Status", "Status as at",
                  "RAG", "Timeframe", "Due", "Days overdue", "Plan page"]
        return Sheet("Actions", header, [
            [a.plan_code, a.ref, a.group, a.text, a.lead or "", a.mechanism.label if a.mechanism else "",
             a.status.label, _date(a.status_as_at), a.rag.label if a.rag else "", a.timeframe or "", _date(a.due),
             a.days_overdue(as_of), a.plan_page or ""] for a in rows],
            [14, 6, 30, 80, 24, 20, 12, 12, 8, 20, 11, 8, 8])

    def findings(self, kind: FindingKind | None = None, open_only: bool = False) -> Sheet:
        rows = self._store.findings.list(kind=kind, open_only=open_only)
        header = ["Inspection", "Ref", "Kind", "Status", "Area", "Finding", "Closed", "Source"]
        return Sheet("Findings", header, [
            [f.inspection_code, f.ref, f.kind.label, f.status.label, f.area or "", f.text, _date(f.closed_on),
             f.source or ""] for f in rows], [14, 10, 20, 18, 30, 80, 11, 30])

    def questions(self, status: QuestionStatus | None = None, meeting_id: int | None = None) -> Sheet:
        rows = self._store.questions.list(status=status, meeting_id=meeting_id)
        links = describe_questions(self._store, rows)
        meetings = {m.id: m for m in self._store.meetings.list()}
        header = ["No.", "Status", "Meeting", "Asking order", "About", "Question", "Rationale", "Answer", "Answered"]
        return Sheet("Questions", header, [
            [q.id, q.status.label, _date(meetings[q.meeting_id].date) if q.meeting_id in meetings else "",
             q.asking_order or "", links.get(q.id, ""), q.text, q.rationale or "", q.answer or "",
             _date(q.answered_on)] for q in rows], [6, 10, 11, 8, 30, 80, 40, 60, 11])

    # --- the file ---------------------------------------------------------------------------------------------

    def write(self, sheet: Sheet, path: str | Path, *, format: str | None = None, force: bool = False,
              dated: dt.date | None = None) -> Path:
        """Write the sheet to path, atomically (FileExists unless force), as CSV or XLSX (the suffix decides);
        readable by its owner only, as a briefing is: lists hold officers' notes."""
        data = (write_xlsx([sheet], title=sheet.name, dated=dated) if list_format(path, format) == "xlsx"
                else csv_bytes(sheet))
        return write_atomically(path, data, force=force, private=True)
