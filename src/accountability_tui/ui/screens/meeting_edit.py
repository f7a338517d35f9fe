"""Create or edit a meeting: date, kind, themes, place."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static

from accountability_tui.domain.dates import parse_date
from accountability_tui.domain.models import MeetingRow
from accountability_tui.services.meetings import MeetingDraft
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content

DEFAULT_KIND = "Accountability and Performance Meeting"
DEFAULT_PLACE = "Police Headquarters, Welwyn Garden City"


class MeetingEditScreen(FormDialog):
    """Returns the meeting's id when saved, else None."""

    DEFAULT_CSS = """
    MeetingEditScreen { align: center middle; }
    MeetingEditScreen > VerticalScroll { width: 90%; max-width: 100; height: auto; max-height: 90%;
                                         border: thick $accent; background: $surface; padding: 0 1; }
    MeetingEditScreen #error { color: $error; height: auto; }
    MeetingEditScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="meeting.save"),
        Binding("escape", "cancel", "Cancel", id="meeting.cancel"),
    ]

    WHAT = "meeting details"

    def __init__(self, meeting: MeetingRow | None = None, date_hint: dt.date | None = None) -> None:
        super().__init__()
        self.draft_key = f"meeting-edit:{meeting.id}" if meeting else "meeting-new"
        self.meeting = meeting
        self.date_hint = date_hint

    def compose(self) -> ComposeResult:
        m = self.meeting
        with VerticalScroll():
            yield Static(content("Edit the meeting" if m else "New meeting", style="bold"))
            yield Label("Date")
            yield Input(m.date.isoformat() if m else (self.date_hint.isoformat() if self.date_hint else ""),
                        placeholder="YYYY-MM-DD", id="date", max_length=40)
            yield Label("Kind")
            yield Input(m.kind if m else DEFAULT_KIND, id="kind", max_length=300)
            yield Label("Title (optional)")
            yield Input(m.title or "" if m else "", id="title", max_length=300)
            yield Label("Themes (separated by ;)")
            yield Input("; ".join(m.themes) if m else "", id="themes", max_length=2000)
            yield Label("Place")
            yield Input(m.place or "" if m else DEFAULT_PLACE, id="place", max_length=300)
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()
        self.form_ready()

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(message))

    def show_error(self, message: str) -> None:
        self._error(f"Not saved: {message}")

    def action_save(self) -> None:
        value = {k: self.query_one(f"#{k}", Input).value.strip() for k in ("date", "kind", "title", "themes",
                                                                             "place")}
        try:
            day = parse_date(value["date"])
        except ValueError as exc:
            self._error(f"Date: {exc}.")
            return
        if not value["kind"]:
            self._error("Say what kind of meeting it is.")
            return
        draft = MeetingDraft(date=day, kind=value["kind"], title=value["title"] or None,
                             themes=tuple(t.strip() for t in value["themes"].split(";") if t.strip()),
                             place=value["place"] or None)
        self.spawn(self._save(draft), group="save", exclusive=True)

    async def _save(self, draft: MeetingDraft) -> None:
        self.saved(await self.shell.db(self.services.meetings.save, draft, self.meeting))

    def on_input_submitted(self) -> None:
        self.action_save()

