"""Meetings, past and coming: create one, prepare it (review, briefing, export), and close it afterwards."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from accountability_tui.domain.models import MeetingStatus
from accountability_tui.services.meetings import MeetingLine
from accountability_tui.ui.screens.base import MainScreen
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, clean, content
from accountability_tui.ui.widgets.title_bar import TitleBar


class MeetingsScreen(MainScreen):
    screen_name = "meetings"
    DEFAULT_CSS = """
    MeetingsScreen #meetings-list { height: 1fr; }
    MeetingsScreen RowTable { height: 1fr; }
    MeetingsScreen #meetings-help { padding: 0 1; }  /* as every screen's first line */
    MeetingsScreen #meeting-detail { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """
    BINDINGS = [
        Binding("n", "new", "New", id="meetings.new"),
        Binding("e", "edit", "Edit", id="meetings.edit"),
        Binding("p", "prepare", "Prepare", id="meetings.prepare"),
        Binding("r", "review", "Review overdue", id="meetings.review"),
        Binding("b", "briefing", "Briefing", id="meetings.briefing"),
        Binding("a", "after", "Questions", id="meetings.after"),
        Binding("c", "close", "Close meeting", id="meetings.close"),
    ]

    class Loaded(Message):
        def __init__(self, lines: list[MeetingLine]) -> None:
            super().__init__()
            self.lines = lines

    def __init__(self, select_id: int | None = None) -> None:
        super().__init__()
        self.select_id = select_id
        self.lines: list[MeetingLine] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="meetings-list"):
            yield Static(content("Meetings, newest first. n new · p prepare (as of the meeting's date) · "
                                 "r review overdue · b briefing · a questions · c close once held"),
                         id="meetings-help")
            yield RowTable(id="table")
        with VerticalScroll(id="meeting-detail"):
            yield Static("", id="meeting-body")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#table", RowTable)
        # narrow: the number, then the preparation (the detail below says both) go first; never the title
        table.add_column("No.", key="id", cap=5, drop=2)
        table.add_column("Date", key="date", width=15)
        table.add_column("Meeting", key="title", fill=True, least=40)
        table.add_column("Status", key="status", cap=10)
        table.add_column("Preparation", key="prep", cap=44, drop=1)  # "reviewed 12 of 70 overdue · 3 for discussion"
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.load()

    @work(exclusive=True, group="meetings", exit_on_error=False)
    async def load(self) -> None:
        lines = await self.shell.db(self.services.meetings.lines)
        self.post_message(self.Loaded(lines))

    def on_meetings_screen_loaded(self, message: Loaded) -> None:
        table = self.query_one("#table", RowTable)
        current = self.select_id or (self.selected.meeting.id if self.selected else None)
        self.select_id = None
        self.lines = message.lines
        table.clear()
        table.add_rows([((cell(line.meeting.id, justify="right"), cell(f"{line.meeting.date:%a %-d %b %Y}"),
                          cell(line.meeting.title or line.meeting.kind), cell(line.meeting.status.value),
                          cell(line.preparation if line.meeting.status is MeetingStatus.PLANNED else "")),
                         str(line.meeting.id)) for line in self.lines])
        index = next((n for n, line in enumerate(self.lines) if line.meeting.id == current), 0)
        if self.lines:
            table.move_cursor(row=index)
            self._show(self.lines[index])
        else:
            self.query_one("#meeting-body", Static).update(content("No meetings yet. Press n to create one."))

    @property
    def selected(self) -> MeetingLine | None:
        table = self.query_one("#table", RowTable)
        if not self.lines or not 0 <= table.cursor_row < len(self.lines):
            return None
        return self.lines[table.cursor_row]

    @on(RowTable.RowHighlighted, "#table")
    def _highlighted(self, event: RowTable.RowHighlighted) -> None:
        line = self.selected
        if line is not None:
            self._show(line)

    def _show(self, line: MeetingLine) -> None:
        m = line.meeting
        parts = [f"{m.date:%A %-d %B %Y} — {clean(m.title or m.kind)} ({m.status.value})",
                 f"Kind: {clean(m.kind)}", f"Place: {clean(m.place) if m.place else '—'}",
                 f"Themes: {clean('; '.join(m.themes)) if m.themes else '—'}",
                 f"Source: {clean(m.source) if m.source else 'entered in accountability-tui'}"]
        if m.status is MeetingStatus.PLANNED:
            parts += ["", f"Preparation: {line.preparation}",
                      f"Questions carried over from earlier meetings: {line.carried}"]
        self.query_one("#meeting-body", Static).update(content("\n".join(parts)))

    # --- actions ---------------------------------------------------------------------------------------------

    def _saved(self, meeting_id: int | None) -> None:
        if meeting_id:
            self.select_id = meeting_id
            self.app.notify("Meeting saved", markup=False)
            self.shell.data_changed()

    def action_new(self) -> None:
        from accountability_tui.ui.screens.meeting_edit import MeetingEditScreen

        self.app.push_screen(MeetingEditScreen(date_hint=self.shell.as_of), self._saved)

    def action_edit(self) -> None:
        from accountability_tui.ui.screens.meeting_edit import MeetingEditScreen

        if self.selected:
            self.app.push_screen(MeetingEditScreen(self.selected.meeting), self._saved)

    def action_prepare(self) -> None:
        line = self.selected
        if line is None:
            return
        self.shell.prepare_meeting(line.meeting)

    def action_review(self) -> None:
        from accountability_tui.ui.screens.review import ReviewScreen

        line = self.selected
        if line is not None:
            self.shell.prepare_meeting(line.meeting)
            self.app.push_screen(ReviewScreen(line.meeting.id))

    def action_briefing(self) -> None:
        from accountability_tui.ui.screens.briefing import BriefingScreen

        line = self.selected
        if line is not None:
            self.shell.prepare_meeting(line.meeting)
            self.app.push_screen(BriefingScreen(line.meeting.id))

    def action_after(self) -> None:
        from accountability_tui.ui.screens.questions import QuestionsScreen

        line = self.selected
        if line is not None:  # over the meetings list: Esc comes back to it
            self.app.push_screen(QuestionsScreen(meeting_id=line.meeting.id, meeting_date=line.meeting.date))

    def action_close(self) -> None:
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        line = self.selected
        if line is None or line.meeting.status is not MeetingStatus.PLANNED:
            return

        async def close() -> None:
            moved = await self.shell.db(self.services.meetings.close, line.meeting.id)
            self.app.notify(f"Meeting closed; {moved} unasked question{'s' if moved != 1 else ''} carried over to "
                            "the next meeting" if moved else "Meeting closed; unasked questions will go to the next "
                            "meeting when it is created", markup=False)
            self.shell.data_changed()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.spawn(close())

        self.app.push_screen(ConfirmScreen(
            f"Close the meeting of {line.meeting.date:%-d %B %Y}?",
            "It is marked held. Questions not asked at it carry over to the next meeting. Record which questions "
            "were asked and their answers first (a)."), confirmed)
