"""Write or edit a question for the Chief Constable (several lines), with its rationale and links."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, Static, TextArea

from accountability_tui.domain.errors import Conflict
from accountability_tui.domain.models import QuestionRow
from accountability_tui.services.links import Link
from accountability_tui.services.questions import QuestionDraft
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import clean, content


class QuestionEditScreen(FormDialog):
    """Returns the question's id when saved, else None."""

    DEFAULT_CSS = """
    QuestionEditScreen { align: center middle; }
    QuestionEditScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                                          background: $surface; padding: 0 1; }
    /* prose grows with what is typed (issue 15), within the dialog, which scrolls */
    QuestionEditScreen #text { height: auto; min-height: 6; max-height: 16; }
    QuestionEditScreen #rationale { height: auto; min-height: 4; max-height: 12; }
    QuestionEditScreen #error { color: $error; height: auto; }
    QuestionEditScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="question.save"),
        Binding("ctrl+l", "link", "Link", id="question.link"),
        Binding("ctrl+o", "unlink", "Clear links", id="question.unlink"),
        Binding("ctrl+r", "reload", "Reload", id="question.reload"),
        Binding("escape", "cancel", "Cancel", id="question.cancel"),
    ]

    def __init__(self, question: QuestionRow | None = None, *, action_id: int | None = None,
                 finding_id: int | None = None, priority_id: int | None = None, follow_up_of: int | None = None,
                 meeting_id: int | None = None, measure_id: int | None = None, text: str = "") -> None:
        super().__init__()
        self.question = question
        self.measure_id = question.measure_id if question else measure_id  # the performance measure it is about
        self.priority_id = question.priority_id if question else priority_id
        self.action_id = question.action_id if question else action_id
        self.finding_id = question.finding_id if question else finding_id
        self.follow_up_of = question.follow_up_of if question else follow_up_of
        self.meeting_id = question.meeting_id if question else meeting_id
        self.initial_text = question.text if question else text
        self.WHAT = "question"
        self.draft_key = (f"question-edit:{question.id}" if question else
                          f"question-new:{action_id or ''}:{finding_id or ''}:{priority_id or ''}:"
                          f"{follow_up_of or ''}:{meeting_id or ''}" + (f":m{measure_id}" if measure_id else ""))

    def compose(self) -> ComposeResult:
        title = (f"Edit question {self.question.id}" if self.question else
                 f"Follow-up to question {self.follow_up_of}" if self.follow_up_of else "New question for the Chief Constable")
        with VerticalScroll():
            yield Static(content(title, style="bold"))
            yield Label("Question (how / when / what impact)")
            yield TextArea(self.initial_text, id="text", soft_wrap=True)
            yield Label("Rationale (why the PCC should ask it)")
            yield TextArea(self.question.rationale or "" if self.question else "", id="rationale", soft_wrap=True)
            yield Label("Linked to")
            yield Static("…", id="links")
            yield Static("", id="error")
            yield Static(content("ctrl+s save · ctrl+l link to a priority, action or finding · ctrl+o clear links · "
                                 "esc cancel", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()
        self.form_ready()
        self.spawn(self._show_links())

    async def _show_links(self) -> None:
        text = await self.shell.db(self.services.questions.describe_links, self.priority_id, self.action_id,
                                   self.finding_id)
        linked = bool(self.priority_id or self.action_id or self.finding_id)
        if self.measure_id is not None:
            measure = await self.shell.db(self.services.questions.measure_name, self.measure_id)
            text = f"the measure {measure}" + (f"; {text}" if linked else "")
        elif not linked:
            text += " (ctrl+l to link)"
        self.query_one("#links", Static).update(content(clean(text, limit=600)))

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(message))

    def show_error(self, message: str) -> None:
        self._error(f"Not saved: {message}. Your text is kept.")

    def action_link(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        def chosen(link: Link | None) -> None:
            if link is None:
                return
            kind, item_id = link
            setattr(self, f"{kind}_id", item_id)
            self.spawn(self._show_links())

        self.app.push_screen(PickerScreen("Link the question to…", self.services.questions.link_choices,
                                          placeholder="Type words of an action or finding, or a priority"), chosen)

    def action_unlink(self) -> None:
        self.priority_id = self.action_id = self.finding_id = self.measure_id = None
        self.spawn(self._show_links())

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text.strip()
        rationale = self.query_one("#rationale", TextArea).text.strip() or None
        if not text:
            self._error("Write the question first.")
            return
        draft = QuestionDraft(text=text, rationale=rationale, priority_id=self.priority_id, action_id=self.action_id,
                              finding_id=self.finding_id, follow_up_of=self.follow_up_of, meeting_id=self.meeting_id,
                              measure_id=self.measure_id, unlink_measure=self.measure_id is None)
        self.spawn(self._save(draft), group="save", exclusive=True)

    async def _save(self, draft: QuestionDraft) -> None:
        try:
            question_id = await self.shell.db(self.services.questions.save, draft, self.question)
        except Conflict as exc:
            theirs = "; ".join(f"{h['field']}: {clean(h['new_value'] or '—', one_line=True, limit=80)}"
                               for h in exc.changes[-3:])
            self._error(f"Not saved: {exc}. Their change: {theirs or 'see the history'}. Your text is kept: "
                        "ctrl+r loads their version, then ctrl+s saves yours over it.")
            return
        self.saved(question_id)

    def action_reload(self) -> None:
        if self.question is not None:
            self.spawn(self._reload(self.question), group="save", exclusive=True)

    async def _reload(self, base: QuestionRow) -> None:
        """Take the latest version as the base: what you did not touch takes their values, what you typed stays."""
        latest = await self.shell.db(self.services.questions.get, base.id)
        text = self.query_one("#text", TextArea)
        rationale = self.query_one("#rationale", TextArea)
        if text.text.strip() == base.text:
            text.text = latest.text
        if rationale.text.strip() == (base.rationale or ""):
            rationale.text = latest.rationale or ""
        for name in ("priority_id", "action_id", "finding_id", "measure_id"):
            if getattr(self, name) == getattr(base, name):
                setattr(self, name, getattr(latest, name))
        self.question = latest
        await self._show_links()
        self._error(f"Loaded version {latest.version}. Their text: {clean(latest.text, one_line=True, limit=200)} "
                    "— what you typed is kept; ctrl+s saves it.")

