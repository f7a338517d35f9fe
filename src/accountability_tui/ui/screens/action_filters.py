"""Set every filter of the actions list at once: plan, priority or theme, status, lead, RAG, overdue, deadline, text."""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static

from accountability_tui.domain.models import Rag, Status
from accountability_tui.services.actions import ActionFilter, FilterChoices
from accountability_tui.ui.screens.base import Dialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import clean, content

ALL = "__all__"


class ActionFiltersScreen(Dialog):
    """Returns the new filters, or None."""

    DEFAULT_CSS = """
    ActionFiltersScreen { align: center middle; }
    ActionFiltersScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: thick $accent;
                                           background: $surface; padding: 0 1; }
    ActionFiltersScreen .row { height: auto; }
    ActionFiltersScreen .row > Vertical { width: 1fr; height: auto; }
    ActionFiltersScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "apply", "Apply", id="filters.apply"),
        Binding("escape", "cancel", "Cancel", id="filters.cancel"),
    ]

    def __init__(self, spec: ActionFilter) -> None:
        super().__init__()
        self.spec = spec
        self.groups: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        s = self.spec
        with VerticalScroll():
            yield Static(content("Filter the actions (they all combine)", style="bold"))
            yield Label("Plan")
            yield Select([], prompt="All plans", allow_blank=True, id="plan")
            yield Label("Priority or theme")
            yield Select([], prompt="All", allow_blank=True, id="group")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Status")
                    yield Select([(x.label, x.value) for x in Status], value=s.status or Select.NULL,
                                 prompt="Any", allow_blank=True, id="status")
                with Vertical():
                    yield Label("RAG")
                    yield Select([(r.label, r.value) for r in Rag], value=s.rag or Select.NULL, prompt="Any",
                                 allow_blank=True, id="rag")
            yield Label("Lead contains")
            yield Input(s.lead or "", id="lead")
            with Horizontal(classes="row"):
                yield Checkbox("Overdue only", s.overdue, id="overdue")
                yield Checkbox("No deadline only", s.no_deadline, id="no_deadline")
            yield Label("Text contains (words, any order)")
            yield Input(s.text, id="text")
            yield Static(content("ctrl+s apply · esc cancel", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#plan", Select).focus()
        self.load(self.spec.plan_code, first=True)

    @work(exclusive=True, group="filters", exit_on_error=False)
    async def load(self, plan_code: str | None, first: bool = False) -> None:
        choices: FilterChoices = await self.shell.db(self.services.actions.filter_choices, plan_code)
        if first:
            plan = self.query_one("#plan", Select)
            with self.prevent(Select.Changed):
                plan.set_options([(clean(label, one_line=True, limit=80), code) for code, label in choices.plans])
                if plan_code:
                    plan.value = plan_code
        self.groups = choices.groups
        group = self.query_one("#group", Select)
        with self.prevent(Select.Changed):
            group.set_options([(clean(label, one_line=True, limit=80), key) for key, label in self.groups])
            current = (f"p:{self.spec.priority_id}" if self.spec.priority_id is not None else
                       f"t:{self.spec.theme}" if self.spec.theme is not None else None)
            if first and current in {k for k, _ in self.groups}:
                group.value = current

    @on(Select.Changed, "#plan")
    def _plan_changed(self, event: Select.Changed) -> None:
        self.load(event.value if event.value is not Select.NULL else None)

    def action_apply(self) -> None:
        # .selection: the value, or None for Select.NULL (nothing chosen)
        plan = self.query_one("#plan", Select).selection
        group = self.query_one("#group", Select).selection
        status = self.query_one("#status", Select).selection
        rag = self.query_one("#rag", Select).selection
        spec = replace(self.spec, plan_code=plan, priority_id=None, theme=None,
                       no_priority=False, group_label=None, status=status,
                       rag=rag,
                       lead=self.query_one("#lead", Input).value.strip() or None,
                       overdue=self.query_one("#overdue", Checkbox).value,
                       no_deadline=self.query_one("#no_deadline", Checkbox).value,
                       text=self.query_one("#text", Input).value.strip())
        if group is not None:
            label = dict(self.groups).get(group)
            if group.startswith("p:"):
                spec.priority_id = int(group[2:])
            else:
                spec.theme = group[2:]
            spec.group_label = label
        self.dismiss(spec)

    def on_input_submitted(self) -> None:
        self.action_apply()

    def action_cancel(self) -> None:
        self.dismiss(None)
