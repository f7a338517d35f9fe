"""The detail of one question: its text, rationale, links, answer, follow-ups and history."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from accountability_tui.services.questions import QuestionDetailData
from accountability_tui.ui.widgets.text import change_line, clean, date_text


class QuestionDetail(VerticalScroll):
    DEFAULT_CSS = """
    QuestionDetail { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """
    can_focus = True

    def compose(self):
        yield Static("", id="question-body")

    def show_empty(self, message: str) -> None:
        self.query_one("#question-body", Static).update(Content(message))

    def show(self, data: QuestionDetailData) -> None:
        q = data.question
        parts = [Content(f"Question {q.id} — {q.status.label}{' (demo)' if q.demo else ''}\n").stylize("bold"),
                 Content(clean(q.text) + "\n"),
                 Content(f"\nRationale: {clean(q.rationale) if q.rationale else '—'}\n"),
                 Content(f"Linked to: {clean(data.links, limit=800)}\n")]
        if data.measure:
            parts.append(Content(f"About the measure: {clean(data.measure, one_line=True, limit=200)}\n"))
        if data.original:
            parts.append(Content(f"Follow-up to question {data.original.id}: "
                                 f"{clean(data.original.text, one_line=True, limit=200)}\n"))
        parts.append(Content("\nAnswer\n").stylize("bold"))
        parts.append(Content(clean(q.answer) + (f"\n(recorded {date_text(q.answered_on)})" if q.answered_on else "")
                             if q.answer else "Not answered yet."))
        if data.follow_ups:
            parts.append(Content(f"\n\nFollow-ups ({len(data.follow_ups)})\n").stylize("bold"))
            parts.append(Content("\n".join(f"• {f.id} [{f.status.label}] {clean(f.text, one_line=True, limit=200)}"
                                           for f in data.follow_ups)))
        parts.append(Content(f"\n\nHistory ({len(data.history)})\n").stylize("bold"))
        parts.append(Content("\n".join(change_line(h) for h in reversed(data.history))))
        self.query_one("#question-body", Static).update(Content("").join(parts))
        self.scroll_home(animate=False)
