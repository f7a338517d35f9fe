"""Questions for the Chief Constable as the screens ask for them: pages, details, drafts, the lifecycle, answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accountability_tui.domain.models import QuestionRow, QuestionStatus
from accountability_tui.services.actions import PAGE
from accountability_tui.services.history import Change
from accountability_tui.services.links import Link, describe_links, describe_questions, link_choices
from accountability_tui.store import Store
from accountability_tui.store.questions import TRANSITIONS


@dataclass
class QuestionsPage:
    rows: list[QuestionRow]
    total: int
    links: dict[int, str]  # how each question's links read
    offset: int = 0


@dataclass
class QuestionDetailData:
    question: QuestionRow
    links: str
    original: QuestionRow | None
    follow_ups: list[QuestionRow]
    history: list[dict]


@dataclass
class QuestionDraft:
    """A question as the officer writes it (new, or edited)."""

    text: str
    rationale: str | None = None
    priority_id: int | None = None
    action_id: int | None = None
    finding_id: int | None = None
    follow_up_of: int | None = None
    meeting_id: int | None = None


def next_statuses(status: QuestionStatus) -> list[QuestionStatus]:
    """The statuses a question may move to: onwards in the lifecycle first (ready → asked before ready → draft)."""
    order = list(QuestionStatus)
    return sorted((s for s in QuestionStatus if s in TRANSITIONS[status]),
                  key=lambda s: (order.index(s) < order.index(status), order.index(s)))


class QuestionsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, question_id: int) -> QuestionRow:
        return self._store.questions.get(question_id)

    def page(self, status: QuestionStatus | None, meeting_id: int | None = None, offset: int = 0) -> QuestionsPage:
        questions = self._store.questions
        rows = questions.list(status=status, meeting_id=meeting_id, limit=PAGE, offset=offset)
        total = -1 if offset else questions.count(status=status, meeting_id=meeting_id)
        return QuestionsPage(rows=rows, total=total, offset=offset, links=describe_questions(self._store, rows))

    def detail(self, question_id: int) -> QuestionDetailData:
        questions = self._store.questions
        q = questions.get(question_id)
        return QuestionDetailData(question=q, links=self.describe_links(q.priority_id, q.action_id, q.finding_id),
                                  original=questions.get(q.follow_up_of) if q.follow_up_of else None,
                                  follow_ups=questions.list(follow_up_of=q.id), history=questions.history(question_id))

    def details(self, question_ids: list[int]) -> dict[int, QuestionDetailData]:
        return {i: self.detail(i) for i in question_ids}

    def describe_links(self, priority_id: int | None, action_id: int | None, finding_id: int | None) -> str:
        return describe_links(self._store, priority_id, action_id, finding_id)

    def link_choices(self, query: str) -> list[tuple[Link, str]]:
        return link_choices(self._store, query)

    def save(self, draft: QuestionDraft, question: QuestionRow | None = None) -> int:
        """Save a new question (question None) or an edit of one; returns its id. Conflict if someone else saved
        the question since it was read."""
        from accountability_tui.domain.records import QuestionIn, validated

        validated(QuestionIn, {"text": draft.text, "rationale": draft.rationale}, "question")
        if question is None:
            return self._store.questions.add(QuestionIn(
                text=draft.text, rationale=draft.rationale, priority_id=draft.priority_id, action_id=draft.action_id,
                finding_id=draft.finding_id, follow_up_of=draft.follow_up_of, meeting_id=draft.meeting_id))
        self._store.questions.update(question.id, question.version, text=draft.text, rationale=draft.rationale,
                                     priority_id=draft.priority_id, action_id=draft.action_id,
                                     finding_id=draft.finding_id)
        return question.id

    def move(self, question: QuestionRow, status: QuestionStatus, **changes: Any) -> QuestionRow:
        return self._store.questions.update(question.id, question.version, status=status, **changes)

    def plan_for(self, question: QuestionRow, meeting_id: int | None) -> QuestionRow:
        """Plan the question for a meeting, or for none (then a ready question goes to the next meeting)."""
        return self._store.questions.update(question.id, question.version, meeting_id=meeting_id)

    def record_answer(self, question: QuestionRow, answer: str, on: dt.date) -> QuestionRow:
        return self._store.questions.record_answer(question.id, question.version, answer, on)

    def last_change(self, record_id: int) -> Change | None:
        """The change undo would reverse (its words, links, meeting, answer or status)."""
        h = self._store.questions.last_change(record_id)
        return _change(h) if h else None

    def undo(self, record: QuestionRow) -> Change:
        """Reverse the last change with a new one (the history keeps both); Conflict if it changed meanwhile."""
        return _change(self._store.questions.undo(record.id, record.version))


def _change(h: dict[str, Any]) -> Change:
    return Change(h["field"], h["old_value"], h["new_value"], h["who"], h["at"], h["note"])
