"""The overdue review: the actions overdue at a meeting's date, one at a time, priority by priority.

Single keys record what the officer decides; what was reviewed is kept per meeting, so the review can be left and
resumed where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from ..errors import AppError
from ..models import ActionRow, MeetingRow
from ..widgets.action_detail import ActionDetail, load_action_detail
from ..widgets.text import content


@dataclass
class ReviewState:
    meeting: MeetingRow
    actions: list[ActionRow]  # in briefing order: plan, priority (or theme), position
    reviewed: set[int]
    discuss: set[int]


def load_review(store, meeting_id: int) -> ReviewState:
    """The actions overdue at the meeting's date, and those reviewed for it that are no longer overdue (their due
    date moved, or they were completed, during the review), in the briefing's order."""
    from ..briefing.build import build_briefing
    from ..store.actions import Filters

    briefing = build_briefing(store, meeting_id)
    overdue = sorted(briefing.section("overdue").items, key=lambda i: i.default_index)
    actions = [i.payload for i in overdue]
    reviewed = store.meetings.reviewed(meeting_id)
    missing = reviewed - {a.id for a in actions}
    if missing:
        actions += store.actions.list(Filters(ids=tuple(sorted(missing))))
        themes: dict[str, int] = {}
        for plan in {a.plan_id for a in actions}:
            for n, theme in enumerate(store.actions.themes(plan)):
                themes.setdefault(theme, n)
        actions.sort(key=lambda a: (a.plan_code, a.priority_number or 0, themes.get(a.theme or "", 0),
                                    a.position or 0, a.id))
    discuss = {d.ref_id for d in store.briefings.decisions(meeting_id).values()
               if d.kind == "action" and d.section == "overdue" and d.discuss}
    return ReviewState(meeting=briefing.meeting, actions=actions, reviewed=reviewed, discuss=discuss)


class ReviewScreen(Screen[None]):
    """Steps through the overdue actions. Esc leaves; the progress is kept."""

    DEFAULT_CSS = """
    ReviewScreen #progress { height: auto; padding: 0 1; background: $boost; }
    ReviewScreen ActionDetail { height: 1fr; border-top: none; }
    """
    BINDINGS = [
        Binding("right,enter", "next", "Reviewed, next", id="review.next"),
        Binding("s", "skip", "Skip", id="review.skip"),
        Binding("left", "back", "Back", id="review.back"),
        Binding("u", "update", "Update", id="review.update"),
        Binding("e", "edit", "Status/RAG", id="review.edit"),
        Binding("d", "due", "New due date", id="review.due"),
        Binding("q", "question", "Question", id="review.question"),
        Binding("b", "briefing", "For discussion", id="review.briefing"),
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
        yield Header()
        yield Static("Loading the overdue actions…", id="progress")
        yield ActionDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        self.load(None)

    @work(exclusive=True, group="review")
    async def load(self, index: int | None) -> None:
        try:
            state = await self.app.db(load_review, self.app.store, self.meeting_id)
        except AppError as exc:
            self.app.report(exc)
            return
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
        done = sum(1 for a in state.actions if a.id in state.reviewed)
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
        all_done = " — all reviewed: Esc to leave, or build the briefing from Meetings (b)" if done == total else ""
        self.query_one("#progress", Static).update(content(
            f"{meeting}: {done} of {total} reviewed{all_done}\n"
            f"{action.plan_code} · {action.group}: {position} of {len(group)} · action {self.index + 1} of {total}"
            f"{' · ' + ', '.join(marks) if marks else ''}"))
        self.load_detail(action.id)

    @work(exclusive=True, group="review-detail")
    async def load_detail(self, action_id: int) -> None:
        try:
            detail = await self.app.db(load_action_detail, self.app.store, action_id)
        except AppError as exc:
            self.app.report(exc)
            return
        if self.current is not None and self.current.id == action_id:
            self.query_one(ActionDetail).show(detail, self.app.as_of)

    # --- moving ----------------------------------------------------------------------------------------------

    async def _mark(self, reviewed: bool = True) -> None:
        action = self.current
        if action is None or self.state is None:
            return
        try:
            await self.app.db(self.app.store.meetings.mark_reviewed, self.meeting_id, action.id, reviewed)
        except AppError as exc:
            self.app.report(exc)
            return
        if reviewed:
            self.state.reviewed.add(action.id)

    async def action_next(self) -> None:
        await self._mark()
        self._step(+1)

    def action_skip(self) -> None:
        self._step(+1)

    def action_back(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if self.state is None or not self.state.actions:
            return
        self.index = max(0, min(len(self.state.actions) - 1, self.index + by))
        self.show()

    def action_leave(self) -> None:
        self.app.data_changed()
        self.app.pop_screen()

    # --- decisions -------------------------------------------------------------------------------------------

    def _after_save(self, saved: object) -> None:
        if saved:
            self.run_worker(self._saved_and_reload())

    async def _saved_and_reload(self) -> None:
        await self._mark()
        self.load(self.index)

    def action_update(self) -> None:
        from .text_prompt import TextPrompt

        action = self.current
        if action is None:
            return

        async def note(text: str | None) -> None:
            if not text:
                return
            try:
                await self.app.db(self.app.store.actions.update, action.id, action.version, note=text)
            except AppError as exc:
                self.app.report(exc)
                return
            self.app.notify(f"Update recorded on action {action.ref}", markup=False)
            await self._saved_and_reload()

        self.app.push_screen(TextPrompt(f"Update on action {action.plan_code} {action.ref}",
                                        hint="What has happened since the last report? It goes into the history."),
                             note)

    def action_edit(self) -> None:
        from .action_edit import ActionEditScreen

        if self.current is not None:
            self.app.push_screen(ActionEditScreen(self.current), self._after_save)

    def action_due(self) -> None:
        from .action_edit import ActionEditScreen

        if self.current is not None:
            self.app.push_screen(ActionEditScreen(self.current, focus="due"), self._after_save)

    def action_question(self) -> None:
        from .question_edit import QuestionEditScreen

        action = self.current
        if action is not None:
            self.app.push_screen(QuestionEditScreen(action_id=action.id, priority_id=action.priority_id,
                                                    meeting_id=self.meeting_id), self._after_save)

    async def action_briefing(self) -> None:
        action = self.current
        if action is None or self.state is None:
            return
        discuss = action.id not in self.state.discuss
        try:
            await self.app.db(self.app.store.briefings.set, self.meeting_id, "overdue", "action", action.id,
                              discuss=discuss)
        except AppError as exc:
            self.app.report(exc)
            return
        (self.state.discuss.add if discuss else self.state.discuss.discard)(action.id)
        self.app.notify(f"Action {action.ref} {'put in' if discuss else 'taken out of'} the briefing for discussion",
                        markup=False)
        await self._mark()
        self.show()
