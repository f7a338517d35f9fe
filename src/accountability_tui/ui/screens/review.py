"""The overdue review: the actions overdue at a meeting's date, one at a time, priority by priority.

Single keys record what the officer decides; what was reviewed is kept per meeting, so the review can be left and
resumed where it stopped.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from accountability_tui.domain.models import ActionRow
from accountability_tui.services.meetings import ReviewState
from accountability_tui.ui.screens.base import Routed
from accountability_tui.ui.widgets.action_detail import ActionDetail
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content
from accountability_tui.ui.widgets.title_bar import TitleBar


class ReviewScreen(Routed, Screen[None]):
    """Steps through the overdue actions. Esc leaves; the progress is kept."""

    DEFAULT_CSS = """
    ReviewScreen #progress { height: auto; padding: 0 1; background: $boost; }
    ReviewScreen ActionDetail { height: 1fr; border-top: none; }
    """
    BINDINGS = [
        # before the focused detail's own left/right (which scroll it sideways): the footer shows → and ←
        # then, as far as the width goes (? lists them all): what preparing a meeting does to most actions first
        Binding("right,enter", "next", "Reviewed, next", id="review.next", priority=True),
        Binding("u", "update", "Update", id="review.update"),
        Binding("b", "briefing", "For discussion", id="review.briefing"),
        Binding("e", "edit", "Status/RAG", id="review.edit"),
        Binding("s", "skip", "Skip", id="review.skip"),
        Binding("d", "due", "New due date", id="review.due"),
        Binding("q", "question", "Question", id="review.question"),
        Binding("left", "previous", "Back", id="review.back", priority=True, show=False),  # the one before: in ?
        Binding("escape", "leave", "Leave", id="review.leave"),
    ]

    class Loaded(Message):
        def __init__(self, state: ReviewState, index: int | None) -> None:
            super().__init__()
            self.state = state
            self.index = index

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.state: ReviewState | None = None
        self.index = 0

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Loading the overdue actions…", id="progress")
        yield ActionDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self.load(None)

    @work(exclusive=True, group="review", exit_on_error=False)
    async def load(self, index: int | None) -> None:
        state = await self.shell.db(self.services.meetings.review, self.meeting_id)
        self.post_message(self.Loaded(state, index))

    def on_review_screen_loaded(self, message: Loaded) -> None:
        self.state = message.state
        if message.index is not None:
            self.index = min(message.index, max(0, len(self.state.actions) - 1))
        else:  # resume at the first action not yet reviewed
            self.index = next((n for n, a in enumerate(self.state.actions) if a.id not in self.state.reviewed), 0)
        self.show()

    @property
    def current(self) -> ActionRow | None:
        if self.state is None or not self.state.actions:
            return None
        return self.state.actions[self.index]

    def show(self) -> None:
        state = self.state
        if state is None:
            return
        total = len(state.actions)
        # one count everywhere (the meetings list, the dashboard): reviewed among those overdue at the meeting's date
        overdue = [a for a in state.actions if a.is_overdue(state.meeting.date)]
        done = sum(1 for a in overdue if a.id in state.reviewed)
        extra = total - len(overdue)
        meeting = f"Overdue review for the meeting of {state.meeting.date:%-d %B %Y}"
        if not total:
            self.query_one("#progress", Static).update(content(f"{meeting}: no action is overdue at its date."))
            self.query_one(ActionDetail).show_empty("Nothing to review.")
            return
        action = state.actions[self.index]
        group = [a for a in state.actions if (a.plan_code, a.group) == (action.plan_code, action.group)]
        position = group.index(action) + 1
        marks = []
        if action.id in state.reviewed:
            marks.append("reviewed")
        if action.id in state.discuss:
            marks.append("in the briefing for discussion")
        all_done = (" — all reviewed: Esc to leave, or build the briefing from Meetings (b)"
                    if done == len(overdue) else "")
        no_longer = f" (and {extra} reviewed, no longer overdue)" if extra else ""
        self.query_one("#progress", Static).update(content(
            f"{meeting}: reviewed {done} of {len(overdue)} overdue{no_longer}{all_done}\n"
            f"{action.plan_code} · {action.group}: {position} of {len(group)} · action {self.index + 1} of {total}"
            f"{' · ' + ', '.join(marks) if marks else ''}"))
        self.load_detail(action.id)

    @work(exclusive=True, group="review-detail", exit_on_error=False)
    async def load_detail(self, action_id: int) -> None:
        detail = await self.shell.db(self.services.actions.detail, action_id)
        if self.current is not None and self.current.id == action_id:
            self.query_one(ActionDetail).show(detail, self.shell.as_of)

    # --- moving ----------------------------------------------------------------------------------------------

    async def _mark(self, action: ActionRow | None = None) -> None:
        """Record that the action (the current one) was reviewed for this meeting."""
        action = action or self.current
        if action is None or self.state is None:
            return
        state = self.state
        try:
            await self.shell.db(self.services.meetings.mark_reviewed, self.meeting_id, action.id, True)
        except BaseException:
            state.reviewed.discard(action.id)  # not saved: not shown as reviewed (the error is reported)
            self.show()
            raise
        state.reviewed.add(action.id)

    def action_next(self) -> None:
        """Reviewed: the next action shows at once, and the mark is saved meanwhile (one database thread keeps the
        saves in the order of the keys)."""
        action = self.current
        if action is None or self.state is None:
            return
        self.state.reviewed.add(action.id)
        self._step(+1)
        self.spawn(self._mark(action), group="review-mark")

    def action_skip(self) -> None:
        self._step(+1)

    def action_previous(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if self.state is None or not self.state.actions:
            return
        self.index = max(0, min(len(self.state.actions) - 1, self.index + by))
        self.show()

    def action_leave(self) -> None:
        self.shell.data_changed()
        self.app.pop_screen()

    # --- decisions -------------------------------------------------------------------------------------------

    def _after_save(self, saved: object) -> None:
        if saved:
            self.spawn(self._saved_and_reload())

    async def _saved_and_reload(self) -> None:
        await self._mark()
        self.load(self.index)

    def action_update(self) -> None:
        from accountability_tui.ui.screens.text_prompt import ProsePrompt

        action = self.current
        if action is None:
            return

        async def save(text: str) -> None:
            await self.shell.db(self.services.actions.add_note, action, text)
            self.app.notify(f"Update recorded on action {action.ref}", markup=False)
            await self._saved_and_reload()

        def note(text: str | None) -> None:
            if text:
                self.spawn(save(text))

        self.app.push_screen(ProsePrompt(f"Update on action {action.plan_code} {action.ref}",
                                         hint="What has happened since the last report? It goes into the history.",
                                         what="update", draft_key=f"review-update:{self.meeting_id}:{action.id}"),
                             note)

    def action_edit(self) -> None:
        from accountability_tui.ui.screens.action_edit import ActionEditScreen

        if self.current is not None:
            self.app.push_screen(ActionEditScreen(self.current), self._after_save)

    def action_due(self) -> None:
        from accountability_tui.ui.screens.action_edit import ActionEditScreen

        if self.current is not None:
            self.app.push_screen(ActionEditScreen(self.current, focus="due"), self._after_save)

    def action_question(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        action = self.current
        if action is not None:
            self.app.push_screen(QuestionEditScreen(action_id=action.id, priority_id=action.priority_id,
                                                    meeting_id=self.meeting_id), self._after_save)

    def action_briefing(self) -> None:
        action = self.current
        if action is not None and self.state is not None:
            self.spawn(self._toggle_discuss(action, self.state))

    async def _toggle_discuss(self, action: ActionRow, state: ReviewState) -> None:
        discuss = action.id not in state.discuss
        await self.shell.db(self.services.briefings.set_discuss, self.meeting_id, action.id, discuss)
        (state.discuss.add if discuss else state.discuss.discard)(action.id)
        self.app.notify(f"Action {action.ref} {'put in' if discuss else 'taken out of'} the briefing for discussion",
                        markup=False)
        await self._mark(action)
        self.show()
