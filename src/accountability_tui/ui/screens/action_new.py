"""Add an action to a plan: the one agreed at last month's meeting, say. The next free ref is suggested, and the
timeframe's due date is shown as it is typed."""

from __future__ import annotations

from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from accountability_tui.domain.models import PlanRow, Status
from accountability_tui.services.actions import ActionDraft
from accountability_tui.ui.screens.action_fields import ActionFields
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content


class ActionNewScreen(ActionFields, FormDialog):
    """Returns the new action's id when saved."""

    DEFAULT_CSS = """
    ActionNewScreen { align: center middle; }
    ActionNewScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                                       background: $surface; padding: 0 1; }
    ActionNewScreen .row { height: auto; }
    ActionNewScreen .row > Vertical { width: 1fr; height: auto; }
    ActionNewScreen TextArea { height: auto; min-height: 4; max-height: 14; }  /* grows with the text */
    ActionNewScreen #error { color: $error; height: auto; }
    ActionNewScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="new-action.save"),
        Binding("escape", "cancel", "Cancel", id="new-action.cancel"),
    ]
    WHAT = "new action"

    def __init__(self, plans: list[PlanRow], plan_code: str | None) -> None:
        super().__init__()
        self.plans = plans
        self.plan_code = plan_code or (plans[0].code if plans else "")
        self.draft_key = "action-new"
        self.suggested = ""  # the ref suggested: it follows the priority or theme until the officer types another
        self.ready = False  # the plan's choices are read and the form is live (tests wait on this)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(content("New action", style="bold"))
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Plan")
                    yield Select([(f"{p.code} — {p.title}", p.code) for p in self.plans], value=self.plan_code,
                                 allow_blank=False, id="plan")
                with Vertical():
                    yield Label("Status")
                    yield Select([(s.label, s.value) for s in Status if s is not Status.WITHDRAWN],
                                 value=Status.NOT_STARTED.value, allow_blank=False, id="status")
            yield from self.compose_details()
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel · blank ref: the next free one", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()
        self.spawn(self._choices(self.plan_code, first=True))

    async def _choices(self, code: str, first: bool = False) -> None:
        choices = await self.shell.db(self.services.actions.form_choices, code)
        self.plan_code = code
        self.set_choices(choices.priorities, choices.themes, choices.leads)
        self._suggest(choices.next_ref)
        if first:
            self.form_ready()
            self.ready = True

    def _suggest(self, ref: str) -> None:
        box = self.query_one("#ref", Input)
        if box.value.strip() in ("", self.suggested):
            box.value = ref
            self.rebase(ref=ref)
        self.suggested = ref

    async def _follow_group(self) -> None:
        values = self.detail_values()
        ref = await self.shell.db(self.services.actions.next_ref, self.plan_code, values["priority"],
                                  values["theme"])
        self._suggest(ref)

    def on_select_changed(self, event: Select.Changed) -> None:
        if not self.ready:
            return
        if event.select.id == "plan" and event.value != self.plan_code:
            self.spawn(self._choices(str(event.value)), group="choices", exclusive=True)
        elif event.select.id == "priority":
            self.spawn(self._follow_group(), group="choices", exclusive=True)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if self.ready and event.input.id == "theme":
            self.spawn(self._follow_group(), group="choices", exclusive=True)

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(f"Not saved: {message}. Your input is kept."))

    def action_save(self) -> None:
        if not self.ready:
            return
        values = self.detail_values()
        if not values["text"]:
            self.query_one("#error", Static).update(content("Write the action: say what will be done."))
            self.query_one("#text", TextArea).focus()
            return
        status = Status(cast(str, self.query_one("#status", Select).value))
        draft = ActionDraft(plan_code=self.plan_code, status=status, **values)
        self.spawn(self._save(draft), group="save", exclusive=True)

    async def _save(self, draft: ActionDraft) -> None:
        action = await self.shell.db(self.services.actions.create, draft)
        self.saved(action.id)
