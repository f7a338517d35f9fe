"""The bank of questions for the Chief Constable: write, link, move through the lifecycle, answer, follow up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from accountability_tui.domain.models import QuestionRow, QuestionStatus
from accountability_tui.services.questions import QuestionDetailData, QuestionsPage, next_statuses
from accountability_tui.ui.screens.base import ListScreen
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.question_detail import QuestionDetail
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, content, count, date_text
from accountability_tui.ui.widgets.title_bar import TitleBar

STATUSES: list[QuestionStatus | None] = [None, *QuestionStatus]


class QuestionsScreen(ListScreen):
    screen_name = "questions"
    DEFAULT_CSS = """
    QuestionsScreen #questions-list { height: 1fr; }
    QuestionsScreen #questions-summary { height: auto; padding: 0 1; }
    QuestionsScreen RowTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "New", id="questions.new"),
        Binding("e", "edit", "Edit", id="questions.edit"),
        Binding("m", "move", "Move on", id="questions.move"),
        Binding("a", "answer", "Answer", id="questions.answer"),
        Binding("f", "follow_up", "Follow-up", id="questions.follow_up"),
        Binding("g", "plan", "Meeting", id="questions.meeting"),
        Binding("k", "status_filter", "Show", id="questions.filter"),
        Binding("ctrl+z", "undo", "Undo", id="questions.undo", key_display="^z"),
        Binding("E", "export_list", "Export list", id="questions.export"),
    ]

    class Loaded(Message):
        def __init__(self, page: QuestionsPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, select_id: int | None = None, status: QuestionStatus | None = None,
                 meeting_id: int | None = None, meeting_date: dt.date | None = None) -> None:
        """meeting_id: only that meeting's questions; meeting_date: its date, to say so ("for the meeting of …")."""
        super().__init__()
        self.meeting_date = meeting_date
        self.remembers = select_id is None and status is None and meeting_id is None
        self.select_id = select_id
        self.status = status
        self.meeting_id = meeting_id  # only this meeting's questions (after the meeting: asked, answers)
        self.rows: list[QuestionRow] = []
        self.links: dict[int, str] = {}
        self.detail_id: int | None = None

    def export_sheet(self) -> tuple[str, Any]:
        status, meeting_id = self.status, self.meeting_id
        return "questions", lambda services: services.exports.questions(status, meeting_id)

    def undo_service(self) -> Any:
        return self.services.questions

    def record_name(self, record: Any) -> str:
        return f"question {record.id}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="questions-list"):
            yield Static("", id="questions-summary")
            yield RowTable(id="table")
        yield QuestionDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#table", RowTable)
        table.add_column("No.", key="id")
        table.add_column("Status", key="status")
        table.add_column("Question", key="text", fill=True, least=30)
        table.add_column("Linked to", key="links", cap=40, drop=1)  # the detail says them too
        table.focus()
        self.reload()

    def on_unmount(self) -> None:
        if self.meeting_id is None:
            self.shell.memory["questions"] = self.status

    def reload(self) -> None:
        if self.remembers and "questions" in self.shell.memory:  # opened plainly: as it was left
            self.status = self.shell.memory["questions"]
            self.remembers = False
        self.load(self.status, self.meeting_id)

    @work(exclusive=True, group="questions", exit_on_error=False)
    async def load(self, status: QuestionStatus | None, meeting_id: int | None, offset: int = 0) -> None:
        page = await self.shell.db(self.services.questions.page, status, meeting_id, offset)
        self.post_message(self.Loaded(page))

    def load_more(self, offset: int) -> None:
        self.load(self.status, self.meeting_id, offset)

    def on_questions_screen_loaded(self, message: Loaded) -> None:
        page = message.page
        if not page.offset:
            self.total = page.total
            self.links = {}
        self.links.update(page.links)
        self.show_page(page.rows, page.offset)
        shown = self.status.label.lower() if self.status else "all"
        meeting = ("" if not self.meeting_id else f" for the meeting of {date_text(self.meeting_date)}"
                   if self.meeting_date else f" for meeting {self.meeting_id}")
        more = f", {len(self.rows):,} shown (↓ on the last shows more)" if self.has_more else ""
        self.query_one("#questions-summary", Static).update(content(
            f"{count(self.total, 'question')}{meeting} ({shown}){more} — n new · e edit · m move on (draft → ready → "
            "asked → answered) · a answer · f follow-up"))

    def cells(self, q: QuestionRow) -> tuple:
        return (cell(q.id, justify="right"), cell(q.status.label), cell(q.text, limit=140),
                cell(self.links.get(q.id, ""), limit=80))

    def load_detail_data(self, item_id: int) -> QuestionDetailData:
        return self.services.questions.detail(item_id)

    def load_details(self, item_ids: list[int]) -> dict[int, QuestionDetailData]:
        return self.services.questions.details(item_ids)

    def show_detail_data(self, data: QuestionDetailData) -> None:
        self.query_one(QuestionDetail).show(data)

    def show_empty(self) -> None:
        self.query_one(QuestionDetail).show_empty("No questions yet. Press n to write one.")

    def _saved(self, question_id: int | None) -> None:
        if question_id:
            self.select_id = question_id
            self.app.notify(f"Saved question {question_id}", markup=False)
            self.shell.data_changed()

    def action_new(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        self.app.push_screen(QuestionEditScreen(meeting_id=self.meeting_id), self._saved)

    def action_edit(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        if self.selected is not None:
            self.app.push_screen(QuestionEditScreen(self.selected), self._saved)

    def action_follow_up(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        q = self.selected
        if q is None:
            return

        self.app.push_screen(QuestionEditScreen(action_id=q.action_id, finding_id=q.finding_id,
                                                priority_id=q.priority_id, follow_up_of=q.id,
                                                meeting_id=self.meeting_id), self._follow_up_saved)

    def _follow_up_saved(self, question_id: int | None) -> None:
        self._saved(question_id)

    def action_move(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        q = self.selected
        if q is None:
            return
        allowed = next_statuses(q.status)

        async def move(status: QuestionStatus) -> None:
            await self.shell.db(self.services.questions.move, q, status)
            self._saved(q.id)

        def chosen(status: QuestionStatus | None) -> None:
            if status is None:
                return
            if status is QuestionStatus.ANSWERED and not q.answer:
                self.action_answer()
                return
            self.spawn(move(status))

        self.app.push_screen(PickerScreen(f"Question {q.id} is {q.status.label.lower()}; move it to…",
                                          lambda _: [(s, s.label) for s in allowed]), chosen)

    def action_answer(self) -> None:
        from accountability_tui.ui.screens.answer import AnswerScreen

        q = self.selected
        if q is None:
            return
        self.app.push_screen(AnswerScreen(q), self._saved)

    def action_plan(self) -> None:
        """Plan the question for a meeting (or for none: then, once ready, it goes to the next meeting)."""
        from accountability_tui.ui.screens.picker import PickerScreen

        q = self.selected
        if q is None:
            return

        def load(query: str) -> list[tuple[int, str]]:
            choices = [(0, "Not planned for a meeting (when ready, it goes to the next one)")]
            choices += [(m.id, f"{m.date:%a %-d %b %Y} — {m.title or m.kind}") for m in self.services.meetings.planned()]
            return [c for c in choices if query.lower() in c[1].lower()]

        async def plan(meeting_id: int) -> None:
            await self.shell.db(self.services.questions.plan_for, q, meeting_id or None)
            self._saved(q.id)

        def chosen(meeting_id: int | None) -> None:
            if meeting_id is not None:
                self.spawn(plan(meeting_id))

        self.app.push_screen(PickerScreen(f"Plan question {q.id} for which meeting?", load), chosen)

    def action_status_filter(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()
