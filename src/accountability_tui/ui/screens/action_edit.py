"""Edit an action: status (with a note), RAG, a note, a new due date (with its reason), and every other field:
ref, priority, theme, text, lead, mechanism, timeframe (its due date follows), plan page."""

from __future__ import annotations

from typing import cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TextArea

from accountability_tui.domain.dates import parse_date
from accountability_tui.domain.errors import Conflict
from accountability_tui.domain.models import ActionRow, Rag, Status
from accountability_tui.ui.screens.action_fields import DETAIL_IDS, ActionFields, action_values
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.action_detail import history_line
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import clean, content, date_text


class ActionEditScreen(ActionFields, FormDialog):
    """Returns True when saved. On a refusal (someone else saved first, or the database is busy) the officer's
    input stays on screen; ctrl+r loads the other change, then ctrl+s saves again."""

    DEFAULT_CSS = """
    ActionEditScreen { align: center middle; }
    ActionEditScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                                        background: $surface; padding: 0 1; }
    ActionEditScreen .row { height: auto; }
    ActionEditScreen .row > Vertical { width: 1fr; height: auto; }
    ActionEditScreen TextArea { height: auto; min-height: 4; max-height: 14; }  /* grows with the text */
    ActionEditScreen #text { height: 5; }
    ActionEditScreen #error { color: $error; height: auto; }
    ActionEditScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="edit.save"),
        Binding("ctrl+r", "reload", "Reload", id="edit.reload"),
        Binding("escape", "cancel", "Cancel", id="edit.cancel"),
    ]

    def __init__(self, action: ActionRow, focus: str = "status") -> None:
        super().__init__()
        self.action = action
        self.WHAT = f"changes to action {action.ref}"
        self.draft_key = f"action-edit:{action.id}"
        self.first_focus = focus

    def compose(self) -> ComposeResult:
        a = self.action
        with VerticalScroll():
            yield Static(content(f"Edit action {a.plan_code} {a.ref}", style="bold"))
            yield Static(content(clean(a.text, one_line=True, limit=300)), id="action-text")
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label("Status")
                    # withdrawing has its own key (w), which asks first; a withdrawn action can be taken back
                    yield Select([(s.label, s.value) for s in Status
                                  if s is not Status.WITHDRAWN or a.status is Status.WITHDRAWN],
                                 value=a.status.value, allow_blank=False, id="status")
                with Vertical():
                    yield Label("RAG (your judgement)")
                    yield Select([(r.label, r.value) for r in Rag], value=a.rag.value if a.rag else Select.NULL,
                                 prompt="— none —", allow_blank=True, id="rag")
            yield Label("Note (required when the status changes)")
            yield TextArea("", id="note", soft_wrap=True)
            with Horizontal(classes="row"):
                with Vertical():
                    yield Label(f"New due date (now {date_text(a.due) if a.due else 'no deadline'})", id="due-label")
                    yield Input(placeholder="YYYY-MM-DD — blank keeps it", id="due", max_length=40)
                with Vertical():
                    yield Label("Reason for the new due date")
                    yield Input(placeholder="needed with a new date", id="reason", max_length=2000)
            yield Static(content("The action", style="bold"), classes="heading")
            yield from self.compose_details(a)
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel · the baseline due date never changes; a new timeframe "
                                 "gives a new due date unless you give one", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.first_focus}").focus()
        self.form_ready()
        self.spawn(self._latest())

    async def _latest(self) -> None:
        """The row handed in may be a moment old (a save just before): edit the latest version."""
        choices = await self.shell.db(self.services.actions.form_choices, self.action.plan_code)
        self.set_choices(choices.priorities, choices.themes, choices.leads)
        latest = await self.shell.db(self.services.actions.get, self.action.id)
        if latest.version != self.action.version:
            self.action = latest
            new = {"status": latest.status.value, "rag": latest.rag.value if latest.rag else "",
                   **action_values(latest)}
            values, initial = self.form_values(), self._initial or {}
            self.set_form_values({k: v for k, v in new.items() if values.get(k) == initial.get(k)})  # not yours
            self.rebase(**new)
            self.query_one("#due-label", Label).update(
                f"New due date (now {date_text(latest.due) if latest.due else 'no deadline'})")

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(message))

    def show_error(self, message: str) -> None:
        self._error(f"Not saved: {message}. Your input is kept.")

    def _values(self) -> dict | None:
        a = self.action
        # allow_blank=False: a status is always chosen (Textual types any Select's value as maybe Select.NULL)
        status = Status(cast(str, self.query_one("#status", Select).value))
        rag_value = self.query_one("#rag", Select).selection  # None: Select.NULL, no RAG
        rag = Rag(rag_value) if rag_value is not None else None
        note = self.query_one("#note", TextArea).text.strip()
        due_text = self.query_one("#due", Input).value.strip()
        reason = self.query_one("#reason", Input).value.strip()
        if status is not a.status and not note:
            self._error("Write a note: a change of status needs one (say what happened).")
            self.query_one("#note", TextArea).focus()
            return None
        values: dict = {"status": status, "rag": rag, "note": note or None}
        details, before = self.detail_values(), action_values(a)
        shown = {**self.form_values(), "text": details["text"] or ""}
        values.update({k: details[k] for k in DETAIL_IDS if shown[k].strip() != before[k]})
        if "text" in values and not values["text"]:
            self._error("An action needs its text: say what will be done.")
            self.query_one("#text", TextArea).focus()
            return None
        if "ref" in values and not values["ref"]:
            self._error("An action needs a ref (its number in the plan).")
            self.query_one("#ref", Input).focus()
            return None
        if due_text:
            try:
                values["due"] = parse_date(due_text)
            except ValueError as exc:
                self._error(f"New due date: {exc}.")
                self.query_one("#due", Input).focus()
                return None
            if not reason:
                self._error("Give the reason for the new due date.")
                self.query_one("#reason", Input).focus()
                return None
            values["due_reason"] = reason
        elif reason:
            self._error("A reason was given but no new due date; add the date or clear the reason.")
            self.query_one("#due", Input).focus()
            return None
        return values

    def action_save(self) -> None:
        values = self._values()
        if values is not None:
            self.spawn(self._save(values), group="save", exclusive=True)

    async def _save(self, values: dict) -> None:
        try:
            await self.shell.db(self.services.actions.update, self.action.id, self.action.version, source="app",
                                **values)
        except Conflict as exc:
            changes = "; ".join(history_line(h) for h in exc.changes[-3:])
            self._error(f"Not saved: {exc}. Their change: {changes or 'see the history'}. Your input is kept: "
                        "ctrl+r loads their version, then ctrl+s saves yours.")
            return
        self.saved(True)

    def action_reload(self) -> None:
        self.spawn(self._reload(), group="save", exclusive=True)

    async def _reload(self) -> None:
        """Take the latest version as the base: fields you did not touch take their new values, yours stay."""
        latest = await self.shell.db(self.services.actions.get, self.action.id)
        base, kept, taken = self.action, [], []
        status = self.query_one("#status", Select)
        if status.value == base.status.value:
            if latest.status is not base.status:
                taken.append(f"status {latest.status.label}")
            status.value = latest.status.value
        else:
            kept.append("your status")
        rag = self.query_one("#rag", Select)
        base_rag = base.rag.value if base.rag else Select.NULL
        if rag.value == base_rag:
            if latest.rag != base.rag:
                taken.append(f"RAG {latest.rag.label if latest.rag else 'none'}")
            rag.value = latest.rag.value if latest.rag else Select.NULL
        else:
            kept.append("your RAG")
        if self.query_one("#due", Input).value.strip():
            kept.append("your new due date")
        form, before, after = self.form_values(), action_values(base), action_values(latest)
        for key in DETAIL_IDS:
            if form[key].strip() == before[key]:
                if after[key] != before[key]:
                    taken.append(f"{key.replace('_', ' ')} {after[key] or '(blank)'}")
                self.set_form_values({key: after[key]})
            else:
                kept.append(f"your {key.replace('_', ' ')}")
        self.action = latest
        self.query_one("#due-label", Label).update(
            f"New due date (now {date_text(latest.due) if latest.due else 'no deadline'})")
        self._error(f"Loaded version {latest.version}"
                    + (f"; their {', '.join(taken)} now in the form" if taken else "")
                    + (f"; {', '.join(kept)} kept" if kept else "")
                    + ". Check, then ctrl+s saves.")

