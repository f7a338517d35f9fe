"""The bank of questions for the Chief Constable: write, link, move through the lifecycle, answer, follow up."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static

from ..errors import AppError
from ..models import QuestionRow, QuestionStatus
from ..store.questions import TRANSITIONS
from ..widgets.question_detail import QuestionDetail, load_question_detail
from ..widgets.text import cell, content
from .base import ListScreen

STATUSES: list[QuestionStatus | None] = [None, *QuestionStatus]


@dataclass
class QuestionsPage:
    rows: list[QuestionRow]
    links: dict[int, str]


def load_questions(store, status: QuestionStatus | None, meeting_id: int | None = None) -> QuestionsPage:
    from ..links import describe_links

    rows = store.questions.list(status=status, meeting_id=meeting_id)
    return QuestionsPage(rows=rows, links={q.id: describe_links(store, q.priority_id, q.action_id, q.finding_id)
                                           for q in rows})


class QuestionsScreen(ListScreen):
    screen_name = "questions"
    DEFAULT_CSS = """
    QuestionsScreen #questions-list { height: 1fr; }
    QuestionsScreen #questions-summary { height: auto; padding: 0 1; }
    QuestionsScreen DataTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "New", id="questions.new"),
        Binding("e", "edit", "Edit", id="questions.edit"),
        Binding("m", "move", "Move on", id="questions.move"),
        Binding("a", "answer", "Answer", id="questions.answer"),
        Binding("f", "follow_up", "Follow-up", id="questions.follow_up"),
        Binding("k", "status_filter", "Show", id="questions.filter"),
    ]

    class Loaded(Message):
        def __init__(self, page: QuestionsPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, select_id: int | None = None, status: QuestionStatus | None = None,
                 meeting_id: int | None = None) -> None:
        super().__init__()
        self.select_id = select_id
        self.status = status
        self.meeting_id = meeting_id  # only this meeting's questions (after the meeting: asked, answers)
        self.rows: list[QuestionRow] = []
        self.detail_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="questions-list"):
            yield Static("", id="questions-summary")
            yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield QuestionDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#table", DataTable)
        for label, key in (("No.", "id"), ("Status", "status"), ("Question", "text"), ("Linked to", "links")):
            table.add_column(label, key=key)
        table.focus()
        self.reload()

    def reload(self) -> None:
        self.load(self.status, self.meeting_id)

    @work(exclusive=True, group="questions")
    async def load(self, status: QuestionStatus | None, meeting_id: int | None) -> None:
        try:
            page = await self.app.db(load_questions, self.app.store, status, meeting_id)
        except AppError as exc:
            self.app.report(exc)
            return
        self.post_message(self.Loaded(page))

    def on_questions_screen_loaded(self, message: Loaded) -> None:
        page = message.page
        table = self.query_one("#table", DataTable)
        current = self.select_id or (self.rows[table.cursor_row].id if self.rows and table.row_count else None)
        self.select_id = None
        self.rows = page.rows
        table.clear()
        for q in page.rows:
            table.add_row(cell(q.id, justify="right"), cell(q.status.label), cell(q.text, limit=140),
                          cell(page.links.get(q.id, ""), limit=80), key=str(q.id))
        shown = self.status.label.lower() if self.status else "all"
        meeting = f" for meeting {self.meeting_id}" if self.meeting_id else ""
        self.query_one("#questions-summary", Static).update(content(
            f"{len(page.rows)} questions{meeting} ({shown}) — n new · e edit · m move on (draft → ready → asked → "
            "answered) · a answer · f follow-up"))
        self.place_cursor(current)

    def load_detail_data(self, store, item_id: int):
        return load_question_detail(store, item_id)

    def show_detail_data(self, data) -> None:
        self.query_one(QuestionDetail).show(data)

    def show_empty(self) -> None:
        self.query_one(QuestionDetail).show_empty("No questions yet. Press n to write one.")

    def _saved(self, question_id: int | None) -> None:
        if question_id:
            self.select_id = question_id
            self.app.notify(f"Saved question {question_id}", markup=False)
            self.app.data_changed()

    def action_new(self) -> None:
        from .question_edit import QuestionEditScreen

        self.app.push_screen(QuestionEditScreen(meeting_id=self.meeting_id), self._saved)

    def action_edit(self) -> None:
        from .question_edit import QuestionEditScreen

        if self.selected is not None:
            self.app.push_screen(QuestionEditScreen(self.selected), self._saved)

    def action_follow_up(self) -> None:
        from .question_edit import QuestionEditScreen

        q = self.selected
        if q is None:
            return

        self.app.push_screen(QuestionEditScreen(action_id=q.action_id, finding_id=q.finding_id,
                                                priority_id=q.priority_id, follow_up_of=q.id,
                                                meeting_id=self.meeting_id), self._follow_up_saved)

    def _follow_up_saved(self, question_id: int | None) -> None:
        self._saved(question_id)

    def action_move(self) -> None:
        from .picker import PickerScreen

        q = self.selected
        if q is None:
            return
        allowed = [s for s in QuestionStatus if s in TRANSITIONS[q.status]]

        async def chosen(status: QuestionStatus | None) -> None:
            if status is None:
                return
            if status is QuestionStatus.ANSWERED and not q.answer:
                self.action_answer()
                return
            try:
                await self.app.db(self.app.store.questions.update, q.id, q.version, status=status)
            except AppError as exc:
                self.app.report(exc)
                return
            self._saved(q.id)

        self.app.push_screen(PickerScreen(f"Question {q.id} is {q.status.label.lower()}; move it to…",
                                          lambda _: [(s, s.label) for s in allowed]), chosen)

    def action_answer(self) -> None:
        from .answer import AnswerScreen

        q = self.selected
        if q is None:
            return
        self.app.push_screen(AnswerScreen(q), self._saved)

    def action_status_filter(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()
