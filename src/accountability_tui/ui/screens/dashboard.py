"""The dashboard: where each plan stands at the as-of date, the HMICFRS picture, the next meeting.

Every figure opens the list behind it: move to it and press Enter.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from accountability_tui.domain.models import FindingKind, Grade, GroupCounts, PlanRow
from accountability_tui.services.actions import ActionFilter
from accountability_tui.services.dashboard import DashboardData
from accountability_tui.ui.messages import OthersChanged
from accountability_tui.ui.screens.base import MainScreen
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.figures import MOVEMENT_STYLE, baseline_text, figure, judged
from accountability_tui.ui.widgets.text import cell, content
from accountability_tui.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from accountability_tui.services.measures import ObjectiveGroup
    from accountability_tui.services.presence import Session

GROUP_COLUMNS = (("Total", "total"), ("Not started", "not_started"), ("In progress", "in_progress"),
                 ("On hold", "on_hold"), ("Complete", "complete"), ("Unknown", "unknown"), ("Overdue", "overdue"),
                 ("No deadline", "no_deadline"))  # withdrawn actions are not counted
SHORT_LABELS = {"total": "All", "not_started": "Not st", "in_progress": "In prog", "on_hold": "Hold",
                "complete": "Done", "unknown": "Unkn", "overdue": "Overdue", "no_deadline": "No date"}  # narrow
PLAN_COLUMNS = (("Actions", "actions"), ("Overdue", "overdue"), ("No deadline", "no_deadline"),
                ("Complete", "complete"))


def grade_summary(grades: list[tuple[str, str]]) -> str:
    order = [Grade.INADEQUATE, Grade.REQUIRES_IMPROVEMENT, Grade.ADEQUATE, Grade.GOOD, Grade.OUTSTANDING]
    counts = {g: sum(1 for _, grade in grades if grade == g.value) for g in order}
    return " · ".join(f"{n} {g.label.lower()}" for g, n in counts.items() if n)


def headline(group: ObjectiveGroup) -> tuple[str, str, str]:
    """An objective's line: its first measure's latest figure and period and how it moved on a year earlier (or its
    baseline, when there are no figures), the style of that movement, and the measure's name."""
    if not group.summaries:
        return "no measures yet", "", ""
    s = group.summaries[0]
    m = s.measure
    if s.latest is None:
        base = baseline_text(m)
        return (base if m.baseline_value is None else f"baseline {base}, no figures since"), "", m.name
    latest = f"{figure(s.latest.value, m.unit)} ({s.latest.label})"
    if s.year_earlier is None:
        return f"{latest}, no figure a year earlier", "", m.name
    return (f"{latest} {judged(s.change_year, m.unit, s.versus_year)} on a year earlier",
            MOVEMENT_STYLE[s.versus_year], m.name)


def others_text(others: list[Session]) -> str:
    """ "Also in: Jo Bloggs (editor), preparing 12 December 2026 — …; Sam Smith" (each person once)."""
    said: dict[str, str] = {}
    for s in others:
        role = f" ({s.role})" if s.role else ""
        doing = f", preparing {s.meeting}" if s.meeting else ""
        if s.who.casefold() not in said or doing:
            said[s.who.casefold()] = f"{s.who}{role}{doing}"
    return "Also in: " + "; ".join(said.values()) if said else ""


class DashboardScreen(MainScreen):
    screen_name = "dashboard"
    BINDINGS = [
        Binding("p", "switch_plan", "Plan", id="dashboard.plan"),
        Binding("a", "as_of", "As-of date", id="dashboard.as_of"),
        Binding("2", "app.go('actions')", "Actions", id="dashboard.actions"),
        Binding("3", "app.go('findings')", "Findings", id="dashboard.findings"),
        Binding("4", "app.go('questions')", "Questions", id="dashboard.questions"),
        Binding("5", "app.go('meetings')", "Meetings", id="dashboard.meetings"),
        Binding("6", "app.go('performance')", "Performance", id="dashboard.performance"),
        Binding("r", "refresh", "Refresh", id="dashboard.refresh", show=False),
        Binding("escape", "noop", show=False, id="dashboard.escape"),
    ]

    class Loaded(Message):
        def __init__(self, data: DashboardData) -> None:
            super().__init__()
            self.data = data

    data: DashboardData | None = None

    def __init__(self, data: DashboardData | None = None) -> None:
        super().__init__()
        self.first_data = data  # read before the app started (by the command line): shown at once

    def compose(self) -> ComposeResult:
        yield TitleBar()
        scroll = VerticalScroll(id="dashboard")
        scroll.can_focus = False  # the tables take the focus; Tab moves between them
        with scroll:
            yield Static("", id="others")  # who else is in: shown only when someone is
            # the next meeting first: what the officer is preparing, above the fold at 80x24
            yield Static(content("Next meeting", style="bold"), classes="section", id="meeting-title")
            yield Static("", id="meeting")
            yield Static(content("Plans", style="bold"), classes="section")
            yield DataTable(id="plans", cursor_type="cell", zebra_stripes=True)
            yield Static("Loading…", id="plan-title", classes="section")
            yield DataTable(id="groups", cursor_type="cell", zebra_stripes=True)
            yield Static(content("Performance", style="bold"), classes="section")
            yield DataTable(id="performance", cursor_type="cell", zebra_stripes=True)
            yield Static(content("HMICFRS findings", style="bold"), classes="section")
            yield DataTable(id="findings", cursor_type="cell", zebra_stripes=True)
            yield Static("", id="grades")
            yield Static(content("Enter on a figure opens the list behind it · p switches plan · a sets the as-of "
                                 "date", style="dim"), id="hint")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#plans", DataTable).add_column("Plan", key="plan")
        for label, key in PLAN_COLUMNS:
            self.query_one("#plans", DataTable).add_column(label, key=key)
        self.query_one("#findings", DataTable).add_column("Kind", key="kind")
        self.query_one("#findings", DataTable).add_column("Open", key="open")
        self.query_one("#findings", DataTable).add_column("All", key="all")
        self.query_one("#plans", DataTable).focus()
        self.show_others()
        if self.first_data is not None:
            self.show(self.first_data)
            self.load_performance(self.shell.as_of)
        else:
            self.reload()

    def on_others_changed(self, message: OthersChanged) -> None:
        self.show_others()

    def show_others(self) -> None:
        """Who else has the database open, and which meeting each is preparing: one line, when anyone is."""
        line = self.query_one("#others", Static)
        line.display = bool(self.shell.others)
        line.update(content(others_text(self.shell.others)))

    def reload(self) -> None:
        self.load()
        self.load_performance(self.shell.as_of)

    def action_refresh(self) -> None:
        self.reload()

    def action_noop(self) -> None:
        """Esc on the dashboard does nothing (it is the first screen)."""

    @work(exclusive=True, group="dashboard", exit_on_error=False)
    async def load(self) -> None:
        data = await self.shell.db(self.services.dashboard.load, self.shell.plan_code, self.shell.as_of)
        self.post_message(self.Loaded(data))

    def on_resize(self) -> None:
        if self.data is not None:
            self._fill_groups(self.data)
        if self.performance is not None:
            self._fill_performance(self.performance)

    # --- performance: a line per objective, its headline (first) measure -----------------------------------

    performance: list[ObjectiveGroup] | None = None

    class PerformanceLoaded(Message):
        def __init__(self, groups: list[ObjectiveGroup]) -> None:
            super().__init__()
            self.groups = groups

    def _read_performance(self, as_of: dt.date) -> list[ObjectiveGroup]:
        measures = self.services.measures
        return [g for g in measures.by_objective(as_of, force=measures.own_force()) if g.objective is not None]

    @work(exclusive=True, group="dashboard-performance", exit_on_error=False)
    async def load_performance(self, as_of: dt.date) -> None:
        groups = await self.shell.db(self._read_performance, as_of)
        self.post_message(self.PerformanceLoaded(groups))

    def on_dashboard_screen_performance_loaded(self, message: PerformanceLoaded) -> None:
        self.performance = message.groups
        self._fill_performance(message.groups)

    def _fill_performance(self, groups: list[ObjectiveGroup]) -> None:
        table = self.query_one("#performance", DataTable)
        keep = table.cursor_coordinate
        table.clear(columns=True)
        width = max(60, self.size.width - 6) - 6  # the cells' padding
        objective = min(34, width * 3 // 10)
        headline_width = min(58, width * 45 // 100)
        table.add_column("Objective", key="objective", width=objective)
        table.add_column("Headline figure", key="figure", width=headline_width)
        table.add_column("Measure", key="measure", width=max(10, width - objective - headline_width))
        for group in groups:
            text, style, name = headline(group)
            table.add_row(cell(group.objective.label if group.objective else group.title), cell(text, style=style),
                          cell(name), key=str(group.objective.id if group.objective else ""))
        if not groups:
            table.add_row(cell("No performance objectives yet"), cell(""), cell(""), key="none")
        if table.row_count:
            table.cursor_coordinate = table.validate_cursor_coordinate(keep)

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        self.show(message.data)

    def show(self, data: DashboardData) -> None:
        self.data = data
        plans = self.query_one("#plans", DataTable)
        keep = plans.cursor_coordinate
        plans.clear()
        for plan in data.plans:
            s = data.summaries.get(plan.id, {})
            label = f"{plan.code}{' (current)' if plan.is_current else ''}"
            plans.add_row(cell(label, style="bold" if data.plan and plan.id == data.plan.id else ""),
                          *(cell(s.get(key, 0), justify="right") for _, key in PLAN_COLUMNS), key=plan.code)
        if plans.row_count:
            plans.cursor_coordinate = plans.validate_cursor_coordinate(keep)
        title = self.query_one("#plan-title", Static)
        if data.plan is None:
            title.update(content("No plans yet. Import a delivery plan: accountability-tui import FILE"))
        else:
            title.update(content(f"{data.plan.title} — by {'priority' if data.groups and data.groups[0].priority_id else 'theme'}",
                                 style="bold"))
        self._fill_groups(data)
        findings = self.query_one("#findings", DataTable)
        findings.clear()
        for kind in FindingKind:
            findings.add_row(cell(kind.label), cell(data.open_findings.get(kind.value, 0), justify="right"),
                             cell(data.all_findings.get(kind.value, 0), justify="right"), key=kind.value)
        lines = []
        for inspection in data.inspections:
            published = inspection["published"]
            graded = grade_summary(inspection["grades"])
            lines.append(f"{inspection['code']} ({inspection['kind']}, published "
                         f"{published:%-d %b %Y}): {graded}" if published else
                         f"{inspection['code']} ({inspection['kind']}){': ' + graded if graded else ''}")
        self.query_one("#grades", Static).update(content("\n".join(lines)))
        self.query_one("#meeting", Static).update(content(self._meeting_text(data)))

    def _fill_groups(self, data: DashboardData) -> None:
        groups = self.query_one("#groups", DataTable)
        keep = groups.cursor_coordinate
        groups.clear(columns=True)
        narrow = self.size.width < 110
        labels = [(SHORT_LABELS[key] if narrow else label, key) for label, key in GROUP_COLUMNS]
        width = max(16, self.size.width - 6 - sum(max(len(label), 4) + 2 for label, _ in labels))
        groups.add_column("Priority / theme", key="group", width=min(width, 60))
        for label, key in labels:
            groups.add_column(label, key=key)
        for g in data.groups:
            s = g.by_status
            values = {"total": g.total, **s, "overdue": g.overdue, "no_deadline": g.no_deadline}
            groups.add_row(cell(g.key), *(cell(values[key], justify="right",
                                               style="bold red" if key == "overdue" and values[key] else "")
                                          for _, key in GROUP_COLUMNS), key=g.key)
        if groups.row_count:
            groups.cursor_coordinate = groups.validate_cursor_coordinate(keep)

    def _meeting_text(self, data: DashboardData) -> str:
        meeting = data.meeting
        if meeting is None:
            return f"No meeting planned on or after {self.shell.as_of:%-d %b %Y}. Press 5, then n, to create one."
        r = data.readiness
        themes = f" — {', '.join(meeting.themes)}" if meeting.themes else ""
        questions = ", ".join(f"{r[s]} {s.replace('_', '-')}" for s in ("ready", "draft", "asked", "answered")
                              if r.get(s))
        return (f"{meeting.date:%A %-d %B %Y}: {meeting.title or meeting.kind}{themes}\n"
                f"Preparation: reviewed {r.get('reviewed', 0)} of {data.meeting_overdue} overdue actions; "
                f"{r.get('discuss', 0)} for discussion; questions: {questions or 'none yet'} — 5 opens Meetings")

    # --- figures open the lists behind them ------------------------------------------------------------------

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        if self.data is None:
            return
        table = event.data_table.id
        row = event.cell_key.row_key.value
        column = event.cell_key.column_key.value
        if table == "plans":
            plan = next(p for p in self.data.plans if p.code == row)
            if column in ("overdue", "no_deadline", "complete"):
                self._open_actions(plan, None, column)
            elif column == "actions":
                self._open_actions(plan, None, None)
            else:
                self.shell.plan_code = plan.code
                self.reload()
        elif table == "groups" and self.data.plan is not None:
            group = next(g for g in self.data.groups if g.key == row)
            self._open_actions(self.data.plan, group, None if column in ("group", "total") else column)
        elif table == "findings" and row is not None:
            self.shell.action_go("findings", kind=FindingKind(row), open_only=column == "open")
        elif table == "performance" and row is not None and row.isdigit():
            self.shell.action_go("performance", objective_id=int(row))

    def _open_actions(self, plan: PlanRow, group: GroupCounts | None, figure: str | None) -> None:
        spec = ActionFilter(plan_code=plan.code)
        if group is not None:
            if group.priority_id is not None:
                spec.priority_id = group.priority_id
                spec.group_label = group.key
            else:
                spec.theme = group.key
                spec.no_priority = True
                spec.group_label = group.key
        if figure == "overdue":
            spec.overdue = True
        elif figure == "no_deadline":
            spec.no_deadline = True
        elif figure in ("not_started", "in_progress", "on_hold", "complete", "unknown"):
            spec.status = figure
        self.shell.action_go("actions", spec=spec)

    # --- plan and as-of date ---------------------------------------------------------------------------------

    def action_switch_plan(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        def load(query: str) -> list[tuple[str, str]]:
            q = query.lower()
            return [(p.code, f"{p.code} — {p.title} ({p.actions} actions)") for p in self.services.dashboard.plans(q)]

        def chosen(code: str | None) -> None:
            if code:
                self.shell.plan_code = code
                self.reload()

        self.app.push_screen(PickerScreen("Show which plan?", load), chosen)

    def action_as_of(self) -> None:
        from accountability_tui.ui.screens.date_prompt import DatePrompt

        def chosen(value: dt.date | None) -> None:
            if value is not None:
                self.shell.set_as_of(value)

        self.app.push_screen(DatePrompt("As-of date", self.shell.as_of,
                                        "Overdue means not complete and due before this date. When preparing a "
                                        "meeting, use the meeting's date."), chosen)
