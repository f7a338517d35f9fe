"""The dashboard: where the current plan stands."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..models import GroupCounts, PlanRow


@dataclass
class DashboardData:
    plan: PlanRow | None
    groups: list[GroupCounts]


class DashboardScreen(Screen[None]):
    CSS_PATH = "dashboard.tcss"
    BINDINGS = [Binding("r", "refresh", "Refresh", id="dashboard.refresh")]

    class Loaded(Message):
        def __init__(self, data: DashboardData) -> None:
            super().__init__()
            self.data = data

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="dashboard"):
            yield Static("Loading…", id="plan-title", markup=False)
            yield DataTable(id="groups", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#groups", DataTable)
        for label, key in (("Priority / theme", "group"), ("Actions", "total"), ("Not started", "not_started"),
                           ("In progress", "in_progress"), ("Complete", "complete"), ("Unknown", "unknown"),
                           ("Overdue", "overdue"), ("No deadline", "no_deadline")):
            table.add_column(label, key=key)
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="dashboard")
    def load(self) -> None:
        store = self.app.store
        plan = store.plans.current()
        groups = store.actions.counts(plan.id, self.app.as_of) if plan else []
        self.post_message(self.Loaded(DashboardData(plan, groups)))

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        data = message.data
        title = self.query_one("#plan-title", Static)
        table = self.query_one("#groups", DataTable)
        table.clear()
        if data.plan is None:
            title.update("No plans yet. Import a delivery plan: accountability-tui import FILE")
            return
        title.update(f"{data.plan.title} ({data.plan.code}) — {data.plan.actions} actions")
        for g in data.groups:
            s = g.by_status
            table.add_row(Text(g.key), *(Text(str(v), justify="right") for v in (
                g.total, s["not_started"], s["in_progress"], s["complete"], s["unknown"], g.overdue,
                g.no_deadline)), key=g.key)
