"""Record the Chief Constable's answer to a question (the question becomes answered)."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from accountability_tui.domain.dates import parse_date
from accountability_tui.domain.models import QuestionRow
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import clean, content


class AnswerScreen(FormDialog):
    """Returns the question's id when saved, else None."""

    DEFAULT_CSS = """
    AnswerScreen { align: center middle; }
    AnswerScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                                    background: $surface; padding: 0 1; }
    AnswerScreen TextArea { height: auto; min-height: 6; max-height: 20; }  /* grows with the answer */
    AnswerScreen #error { color: $error; height: auto; }
    AnswerScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="answer.save"),
        Binding("escape", "cancel", "Cancel", id="answer.cancel"),
    ]

    WHAT = "answer"

    def __init__(self, question: QuestionRow) -> None:
        super().__init__()
        self.question = question
        self.draft_key = f"answer:{question.id}"

    def compose(self) -> ComposeResult:
        q = self.question
        with VerticalScroll():
            yield Static(content(f"Answer to question {q.id}", style="bold"))
            yield Static(content(clean(q.text, limit=2000)))
            yield Label("The Chief Constable's answer")
            yield TextArea(q.answer or "", id="answer", soft_wrap=True)
            yield Label("Answered on")
            yield Input(self.shell.as_of.isoformat(), id="date", max_length=40)
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#answer", TextArea).focus()
        self.form_ready()

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(f"Not saved: {message}. Your answer is kept."))

    def action_save(self) -> None:

        answer = self.query_one("#answer", TextArea).text.strip()
        error = self.query_one("#error", Static)
        if not answer:
            error.update(content("Write the answer, or press esc."))
            return
        try:
            on = parse_date(self.query_one("#date", Input).value)
        except ValueError as exc:
            error.update(content(f"Answered on: {exc}"))
            return
        self.spawn(self._save(answer, on), group="save", exclusive=True)

    async def _save(self, answer: str, on: dt.date) -> None:
        await self.shell.db(self.services.questions.record_answer, self.question, answer, on)
        self.saved(self.question.id)

