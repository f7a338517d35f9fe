"""Create or edit a meeting: date, kind, themes, place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from ..errors import AppError
from ..models import MeetingRow
from ..records import MeetingIn
from ..widgets.text import content
from .date_prompt import parse_date


class MeetingEditScreen(ModalScreen[int | None]):
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

    def __init__(self, meeting: MeetingRow | None = None, date_hint=None) -> None:
        super().__init__()
        self.meeting = meeting
        self.date_hint = date_hint

    def compose(self) -> ComposeResult:
        m = self.meeting
        defaults = MeetingIn(date=self.date_hint or "2000-01-01")
        with VerticalScroll():
            yield Static(content("Edit the meeting" if m else "New meeting", style="bold"))
            yield Label("Date")
            yield Input(m.date.isoformat() if m else (self.date_hint.isoformat() if self.date_hint else ""),
                        placeholder="YYYY-MM-DD", id="date", max_length=40)
            yield Label("Kind")
            yield Input(m.kind if m else defaults.kind, id="kind", max_length=300)
            yield Label("Title (optional)")
            yield Input(m.title or "" if m else "", id="title", max_length=300)
            yield Label("Themes (separated by ;)")
            yield Input("; ".join(m.themes) if m else "", id="themes", max_length=2000)
            yield Label("Place")
            yield Input(m.place or "" if m else defaults.place or "", id="place", max_length=300)
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel", style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(message))

    async def action_save(self) -> None:
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
        meeting = MeetingIn(date=day, kind=value["kind"], title=value["title"] or None,
                            themes=[t.strip() for t in value["themes"].split(";") if t.strip()],
                            place=value["place"] or None)
        store = self.app.store
        try:
            if self.meeting is None:
                meeting_id = await self.app.db(store.meetings.add, meeting)
            else:
                await self.app.db(store.meetings.update, self.meeting.id, self.meeting.version, meeting)
                meeting_id = self.meeting.id
        except AppError as exc:
            self._error(f"Not saved: {exc}")
            return
        self.dismiss(meeting_id)

    def on_input_submitted(self) -> None:
        self.run_worker(self.action_save())

    def action_cancel(self) -> None:
        self.dismiss(None)
