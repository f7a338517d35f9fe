"""The Annual Delivery Plan progress report to the Police and Crime Panel (seed 004), as a document.

services/reports.py reads the plan into a PanelReport (every action as it stood at the as-of date); this module
makes it blocks once (briefing/document.py's Heading, Para, Bullets, Table), which markdown.py and docx.py write,
and the workbook (briefing/xlsx.py) whose first sheet the delivery-plan importer reads back unchanged: its headers
are the importer's own (importers/columns.py), its statuses read back as the same statuses (domain/values.py), the
timeframe is as written, and a due date that moved away from it has a column of its own that the importer leaves
alone. No clock and no machine details: the same report gives the same bytes in every format.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from accountability_tui.briefing.document import Block, Bullets, Heading, Inline, ListItem, Para, Table, plain
from accountability_tui.briefing.document import date_text as _date_text
from accountability_tui.briefing.xlsx import Sheet, write_xlsx
from accountability_tui.domain.models import STALE_DAYS, Status

FORMATS = (".docx", ".xlsx", ".md")
NOT_COUNTED = "withdrawn"  # a withdrawn action is listed, as withdrawn, but left out of every count
# The columns of the report, as seed 004 has them (shortened where it adds "/ Link to meeting papers"); each is a
# header the importer recognises.
COLUMNS = ["Plan priority", "Action", "Status this reporting period", "Explanation", "Timeframe for delivery",
           "Plan page"]
MOVED = "Due date now (moved)"  # the workbook's column for a due date that moved: no field of the importer's
TRACKER = ["Lead", "Mechanism"]  # the workbook's last columns, so that the importer reads them back as they are


def date_text(value: dt.date | None, long: bool = True) -> str:
    return _date_text(value, long) if value else ""


@dataclass(frozen=True)
class PanelRow:
    """One action as the report shows it, at the as-of date."""

    ref: str
    group: str  # its priority ("1. Make Hertfordshire safer"), else its theme
    priority_number: int | None
    theme: str | None
    text: str
    status: Status
    status_written: str  # the status as the report writes it: as recorded, when that reads back as this status
    explanation: str  # the latest update: the latest note, else the explanation
    timeframe: str | None  # as written
    moved_due: dt.date | None  # the due date, when it is not the one the timeframe gives
    page: str | None
    lead: str | None
    mechanism: str | None  # its label
    overdue: bool
    status_as_at: dt.date | None
    stale: bool
    completed_on: dt.date | None  # when it was recorded complete (None: not complete at the as-of date)

    @property
    def counted(self) -> bool:
        return self.status.value != NOT_COUNTED

    @property
    def timeframe_text(self) -> str:
        """The timeframe as written, and the due date when it moved: 'Autumn 2023; now due 31 May 2024'."""
        if self.moved_due is None:
            return self.timeframe or ""
        now = f"now due {date_text(self.moved_due, long=False)}"
        return f"{self.timeframe}; {now}" if self.timeframe else now[:1].upper() + now[1:]


@dataclass
class PanelReport:
    plan_code: str
    plan_title: str
    as_of: dt.date
    since: dt.date
    rows: list[PanelRow] = field(default_factory=list)  # in plan order
    stale_days: int = STALE_DAYS  # a status last updated more than this many days before as_of is stale

    @property
    def counted(self) -> list[PanelRow]:
        return [r for r in self.rows if r.counted]

    @property
    def by_status(self) -> dict[Status, int]:
        """Actions by status, every status the app knows (withdrawn ones too, though not counted): complete and in
        progress first, as the report to the Panel gives them, then the others in the app's order."""
        found = Counter(r.status for r in self.rows)
        first = [Status.COMPLETE, Status.IN_PROGRESS]
        return {s: found.get(s, 0) for s in [*first, *(s for s in Status if s not in first)]}

    @property
    def completed_since(self) -> int:
        return sum(1 for r in self.counted if r.completed_on is not None and self.since <= r.completed_on
                   <= self.as_of)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.counted if r.overdue)

    @property
    def stale(self) -> list[PanelRow]:
        return [r for r in self.counted if r.stale]

    @property
    def grouped_by(self) -> str:
        """What the actions are grouped under: 'Priority', 'Theme', or 'Priority / theme' for a mix."""
        with_priority = {r.priority_number is not None for r in self.rows}
        return "Priority" if with_priority == {True} else "Theme" if with_priority == {False} else "Priority / theme"

    def groups(self) -> list[tuple[str, list[PanelRow]]]:
        out: dict[str, list[PanelRow]] = {}
        for r in self.rows:
            out.setdefault(r.group, []).append(r)
        return list(out.items())


# --- words ------------------------------------------------------------------------------------------------------

def _n(value: int, one: str, many: str) -> str:
    return f"{value:,} {one if value == 1 else many}"


def status_line(status: Status, count: int) -> str:
    if status.value == "unknown":
        return f"{_n(count, 'action has', 'actions have')} no status reported"
    if status.value == NOT_COUNTED:
        return f"{_n(count, 'action was', 'actions were')} withdrawn (listed, not counted)"
    return f"{_n(count, 'action is', 'actions are')} ‘{status.label}’"


def stale_line(report: PanelReport) -> str:
    stale = report.stale
    line = (f"{_n(len(stale), 'status was', 'statuses were')} last updated more than {report.stale_days} days "
            f"before {date_text(report.as_of)}")
    if not stale:
        return line
    open_ = sum(1 for r in stale if r.status is not Status.COMPLETE)
    line += f" ({open_:,} of them not complete)"
    days = Counter(r.status_as_at for r in stale if r.status_as_at)
    shown = sorted(days.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    return line + "; last updated " + ", ".join(f"{date_text(d, long=False)} ({n:,})" for d, n in shown) + (
        ", …" if len(days) > len(shown) else "")


def summary_lines(report: PanelReport) -> tuple[str, list[str], list[str]]:
    """The summary's opening, its counts by status and its other figures, as the report words them."""
    counted = report.counted
    opening = f"Of the {_n(len(counted), 'action', 'actions')} of the plan at {date_text(report.as_of)}:"
    statuses = [status_line(s, n) for s, n in report.by_status.items() if n and s.value != NOT_COUNTED]
    withdrawn = [status_line(s, n) for s, n in report.by_status.items() if n and s.value == NOT_COUNTED]
    figures = [
        f"{_n(report.completed_since, 'action was', 'actions were')} completed from {date_text(report.since)} to "
        f"{date_text(report.as_of)}",
        f"{_n(report.overdue, 'action is', 'actions are')} overdue at {date_text(report.as_of)} (not complete nor withdrawn, and "
        "due before that date)",
        stale_line(report),
    ]
    return opening, statuses + withdrawn, figures


def group_table(report: PanelReport) -> tuple[list[str], list[list[str | int]]]:
    """Counts by priority or theme: actions (counted), each status found in the plan, overdue."""
    shown = [s for s, n in report.by_status.items() if n]
    header = [report.grouped_by, "Actions", *(s.label for s in shown), "Overdue"]
    rows: list[list[str | int]] = []
    for group, members in report.groups():
        found = Counter(r.status for r in members)
        rows.append([group, sum(1 for r in members if r.counted), *(found.get(s, 0) for s in shown),
                     sum(1 for r in members if r.counted and r.overdue)])
    rows.append(["All", len(report.counted), *(report.by_status[s] for s in shown), report.overdue])
    return header, rows


def title(report: PanelReport) -> str:
    return f"Annual Delivery Plan progress report: {report.plan_title}"


def _cells(r: PanelRow) -> list[Inline]:
    return [plain(r.ref), plain(r.text), plain(r.status_written), plain(r.explanation), plain(r.timeframe_text),
            plain(r.page or "")]


# --- the document -------------------------------------------------------------------------------------------------

def blocks(report: PanelReport) -> list[Block]:
    """The report as blocks: a title, the summary (counts by status, completed, overdue, stale; a table by
    priority or theme), then every action in plan order under its priority or theme, in seed 004's columns."""
    out: list[Block] = [
        Heading(1, plain(title(report))),
        Para(plain(f"{report.plan_code}: progress on every action of the plan to {date_text(report.as_of)}, for "
                   "the Police and Crime Panel.")),
        Heading(2, plain("Summary")),
    ]
    opening, statuses, figures = summary_lines(report)
    out += [Para(plain(opening)), Bullets([ListItem(plain(line)) for line in statuses]),
            Para(plain("Delivery and updates:")), Bullets([ListItem(plain(line)) for line in figures])]
    header, rows = group_table(report)
    out.append(Table(header, [[plain(c) for c in row[:1]] + [plain(f"{c:,}" if isinstance(c, int) else c)
                                                          for c in row[1:]] for row in rows],
                     ["l"] + ["r"] * (len(header) - 1)))
    out.append(Heading(2, plain("Progress by action")))
    if not report.rows:
        return out + [Para(plain("The plan has no actions."))]
    for group, members in report.groups():
        out.append(Heading(3, plain(group)))
        out.append(Table(list(COLUMNS), [_cells(r) for r in members], ["l"] * len(COLUMNS)))
    return out


def render_markdown(report: PanelReport) -> str:
    from accountability_tui.briefing.markdown import write

    return write(blocks(report))


def render_docx(report: PanelReport) -> bytes:
    from accountability_tui.briefing.docx import write_docx

    return write_docx(blocks(report), dated=report.as_of)


def render_xlsx(report: PanelReport) -> bytes:
    """The report as a workbook: the actions on the first sheet, which the importer reads back (a column for the
    priority or theme, seed 004's columns with the moved due date beside the timeframe, then the lead and the
    mechanism, which the importer would otherwise infer), then the summary and the counts by priority or theme."""
    header = [report.grouped_by, *COLUMNS[:5], MOVED, COLUMNS[5], *TRACKER]
    rows: list[list[str | int]] = [
        [r.group if r.priority_number is not None else r.theme or "", r.ref, r.text, r.status_written, r.explanation,
         r.timeframe or "", date_text(r.moved_due, long=False), r.page or "", r.lead or "", r.mechanism or ""]
        for r in report.rows]
    actions = Sheet("Delivery plan", header, rows, [24, 10, 60, 16, 80, 22, 14, 10, 20, 22])
    opening, statuses, figures = summary_lines(report)
    lines = [f"{report.plan_code}: progress on every action of the plan to {date_text(report.as_of)}.", opening,
             *(f"• {line}" for line in statuses), "Delivery and updates:", *(f"• {line}" for line in figures)]
    summary = Sheet("Summary", [title(report)], [[line] for line in lines], [110])
    counts_header, counts = group_table(report)
    by_group = Sheet(f"By {report.grouped_by.lower()}"[:31], counts_header, counts,
                     [40] + [12] * (len(counts_header) - 1))
    return write_xlsx([actions, summary, by_group], title=title(report), dated=report.as_of)


def render(report: PanelReport, suffix: str) -> bytes:
    """The report in the format its file's suffix names (.docx, .xlsx or .md)."""
    if suffix == ".md":
        return render_markdown(report).encode("utf-8")
    if suffix == ".docx":
        return render_docx(report)
    if suffix == ".xlsx":
        return render_xlsx(report)
    raise ValueError(f"no Panel report format {suffix!r}")


__all__ = ["COLUMNS", "FORMATS", "MOVED", "TRACKER", "PanelReport", "PanelRow", "blocks", "render"]
