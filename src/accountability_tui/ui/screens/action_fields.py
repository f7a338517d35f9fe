"""The fields of an action that the new-action form and the edit form share: ref, priority, theme, text, lead,
mechanism, timeframe (read into a due date as it is typed) and plan page."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Select, Static, TextArea

from accountability_tui.domain.models import ActionRow, Mechanism, PriorityRow
from accountability_tui.domain.timeframes import read_timeframe
from accountability_tui.ui.widgets.text import content, date_text

DETAIL_IDS = ("ref", "priority", "theme", "text", "lead", "mechanism", "timeframe", "plan_page")


def due_preview(timeframe: str) -> str:
    """What a timeframe gives, as the officer types it: "due 30 Nov 2026", "no deadline", or why not."""
    reading = read_timeframe(timeframe or None)
    if reading.due is not None:
        return f"→ due {date_text(reading.due)}"
    if not reading.understood:
        return f"→ no due date: {reading.problem or 'not understood'}"
    return "→ no deadline"


def action_values(a: ActionRow) -> dict[str, str]:
    """An action's fields as the form shows them."""
    return {"ref": a.ref, "priority": str(a.priority_number) if a.priority_number is not None else "",
            "theme": a.theme or "", "text": a.text, "lead": a.lead or "",
            "mechanism": a.mechanism.value if a.mechanism else "", "timeframe": a.timeframe or "",
            "plan_page": a.plan_page or ""}


class ActionFields:
    """A mixin for a FormDialog: compose_details() yields the fields; set_choices() fills the priorities and the
    suggestions once they are read; detail_values() reads them back as the services take them."""

    def compose_details(self, a: ActionRow | None = None) -> ComposeResult:
        values = action_values(a) if a else {}
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Ref")
                yield Input(values.get("ref", ""), id="ref", max_length=40, placeholder="its number in the plan")
            with Vertical(id="priority-box"):
                yield Label("Priority")
                options = ([(f"{a.priority_number}. {a.priority_title}", str(a.priority_number))]
                           if a and a.priority_number is not None else [])
                yield Select(options, value=values.get("priority") or Select.NULL, prompt="— none —",
                             allow_blank=True, id="priority")
            with Vertical():
                yield Label("Theme")
                yield Input(values.get("theme", ""), id="theme", max_length=200,
                            placeholder="existing or new")
        yield Label("Action (what will be done)")
        yield TextArea(values.get("text", ""), id="text", soft_wrap=True)
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Lead")
                yield Input(values.get("lead", ""), id="lead", max_length=200, placeholder="who delivers it")
            with Vertical():
                yield Label("Mechanism")
                yield Select([(m.label, m.value) for m in Mechanism], value=values.get("mechanism") or Select.NULL,
                             prompt="— not set —", allow_blank=True, id="mechanism")
        with Horizontal(classes="row"):
            with Vertical():
                yield Label("Timeframe, as written")
                yield Input(values.get("timeframe", ""), id="timeframe", max_length=200,
                            placeholder="Spring 2026, March 2026, 2025/26, Q1 2026/27, Ongoing …")
                yield Static(content(due_preview(values.get("timeframe", "")), style="dim"), id="due-preview")
            with Vertical():
                yield Label("Plan page")
                yield Input(values.get("plan_page", ""), id="plan_page", max_length=40)

    def set_choices(self, priorities: list[PriorityRow], themes: list[str], leads: list[str]) -> None:
        """The plan's priorities to choose from (the box is hidden for a plan without any), and its themes and
        the leads known as suggestions."""
        screen: Any = self
        select = screen.query_one("#priority", Select)
        current = select.value
        select.set_options([(f"{p.number}. {p.title}", str(p.number)) for p in priorities])
        if current is not Select.NULL and any(str(p.number) == current for p in priorities):
            select.value = current
        screen.query_one("#priority-box").display = bool(priorities)
        screen.query_one("#theme", Input).suggester = SuggestFromList(themes, case_sensitive=False)
        screen.query_one("#lead", Input).suggester = SuggestFromList(leads, case_sensitive=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        """The due date the timeframe gives, shown as it is typed. (Textual calls this beside the form's own
        handler: every class of the screen's MRO that has one.)"""
        if event.input.id == "timeframe":
            screen: Any = self
            screen.query_one("#due-preview", Static).update(content(due_preview(event.value), style="dim"))

    def detail_values(self) -> dict[str, Any]:
        """ref, priority (a number or None), theme, text, lead, mechanism (or None), timeframe, plan_page: blanks as
        None."""
        screen: Any = self

        def text(widget_id: str) -> str | None:
            return screen.query_one(f"#{widget_id}", Input).value.strip() or None

        priority = screen.query_one("#priority", Select).selection
        mechanism = screen.query_one("#mechanism", Select).selection
        return {"ref": text("ref"), "priority": int(priority) if priority is not None else None,
                "theme": text("theme"), "text": screen.query_one("#text", TextArea).text.strip() or None,
                "lead": text("lead"), "mechanism": Mechanism(mechanism) if mechanism is not None else None,
                "timeframe": text("timeframe"), "plan_page": text("plan_page")}
