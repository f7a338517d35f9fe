"""Questions for the Chief Constable as the screens ask for them: pages, details, drafts, the lifecycle, answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from accountability_tui.domain.errors import NotFound, ValidationFailed
from accountability_tui.domain.models import ActionRow, FindingRow, MeetingRow, QuestionRow, QuestionStatus
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
    measure: str | None = None  # the name of the performance measure it is about


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
    status: QuestionStatus = QuestionStatus.DRAFT  # a new question's: draft, or ready (approved) at once
    measure_id: int | None = None  # the performance measure it is about (an edit keeps the question's when None,
    unlink_measure: bool = False  # unless this says to unlink it)


@dataclass(frozen=True)
class QuestionLine:
    """A question as a list gives it: with its meeting, and its links named as an officer names them."""

    question: QuestionRow
    meeting: MeetingRow | None
    priority: str | None  # PLAN:N
    action: str | None  # PLAN:REF
    finding: str | None  # INSPECTION:REF

    @property
    def link(self) -> str:
        """The action and the finding it is about ("action CSCJ-2022-27:5 · finding PEEL-2023-25:CoC-1")."""
        return " · ".join(f"{kind} {ref}" for kind, ref in (("action", self.action), ("finding", self.finding))
                          if ref)


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
                                  follow_ups=questions.list(follow_up_of=q.id), history=questions.history(question_id),
                                  measure=self.measure_name(q.measure_id))

    def details(self, question_ids: list[int]) -> dict[int, QuestionDetailData]:
        return {i: self.detail(i) for i in question_ids}

    def describe_links(self, priority_id: int | None, action_id: int | None, finding_id: int | None) -> str:
        return describe_links(self._store, priority_id, action_id, finding_id)

    def measure_name(self, measure_id: int | None) -> str | None:
        """The name of the measure a question is about (None: about none)."""
        return self._store.measures.get(measure_id).name if measure_id is not None else None

    def link_choices(self, query: str) -> list[tuple[Link, str]]:
        return link_choices(self._store, query)

    def save(self, draft: QuestionDraft, question: QuestionRow | None = None) -> int:
        """Save a new question (question None) or an edit of one; returns its id. Conflict if someone else saved
        the question since it was read."""
        from accountability_tui.domain.records import QuestionIn, validated

        validated(QuestionIn, {"text": draft.text, "rationale": draft.rationale}, "question")
        if question is None:
            if draft.status not in (QuestionStatus.DRAFT, QuestionStatus.READY):
                raise ValidationFailed(f"a new question is a draft or ready, not {draft.status.label.lower()}")
            with self._store.write():  # the question and its link to a measure, both or neither
                question_id = self._store.questions.add(QuestionIn(
                    text=draft.text, rationale=draft.rationale, priority_id=draft.priority_id,
                    action_id=draft.action_id, finding_id=draft.finding_id, follow_up_of=draft.follow_up_of,
                    meeting_id=draft.meeting_id, status=draft.status))
                if draft.measure_id is not None:
                    self._store.measures.link_question(question_id, draft.measure_id)
            return question_id
        with self._store.write():
            self._store.questions.update(question.id, question.version, text=draft.text, rationale=draft.rationale,
                                         priority_id=draft.priority_id, action_id=draft.action_id,
                                         finding_id=draft.finding_id)
            measure_id = None if draft.unlink_measure else draft.measure_id or question.measure_id
            if measure_id != question.measure_id:
                self._store.measures.link_question(question.id, measure_id)
        return question.id

    # --- lists and references, as the command line gives and takes them -----------------------------------

    def listing(self, status: QuestionStatus | None = None, meeting_id: int | None = None) -> list[QuestionLine]:
        """Every question (of one status, planned for one meeting), in the order the questions screen lists them."""
        return self._lines(self._store.questions.list(status=status, meeting_id=meeting_id))

    def line(self, question_id: int) -> QuestionLine:
        return self._lines([self._store.questions.get(question_id)])[0]

    def _lines(self, rows: list[QuestionRow]) -> list[QuestionLine]:
        store = self._store
        meetings = {m.id: m for m in store.meetings.list()} if any(q.meeting_id for q in rows) else {}
        priorities = store.plans.priorities_of([q.priority_id for q in rows if q.priority_id])
        actions = store.actions.get_many([q.action_id for q in rows if q.action_id])
        findings = store.findings.get_many([q.finding_id for q in rows if q.finding_id])
        lines = []
        for q in rows:
            priority = priorities.get(q.priority_id) if q.priority_id else None
            action = actions.get(q.action_id) if q.action_id else None
            finding = findings.get(q.finding_id) if q.finding_id else None
            lines.append(QuestionLine(
                question=q, meeting=meetings.get(q.meeting_id) if q.meeting_id else None,
                priority=f"{priority[0]}:{priority[1].number}" if priority else None,
                action=f"{action.plan_code}:{action.ref}" if action else None,
                finding=f"{finding.inspection_code}:{finding.ref}" if finding else None))
        return lines

    def action_named(self, name: str) -> ActionRow:
        """An action by its plan's code and its ref: PLAN:REF (CSCJ-2022-27:5)."""
        code, colon, ref = name.strip().partition(":")
        code, ref = code.strip(), ref.strip()
        if not colon or not code or not ref:
            raise NotFound(f"no action {name!r}: name it as PLAN:REF, the plan's code and the action's ref "
                           "(see: accountability-tui actions)")
        plan = self._store.plans.get(code)
        try:
            return self._store.actions.by_ref(plan.id, ref)
        except NotFound:
            raise NotFound(f"no action {ref} in plan {plan.code} (see: accountability-tui actions --plan "
                           f"{plan.code})") from None

    def finding_named(self, name: str) -> FindingRow:
        """A finding by its ref (CoC-1), or, when two inspections share the ref, INSPECTION:REF."""
        findings = self._store.findings
        name = name.strip()
        matches = [f for f in findings.list() if f.ref == name]
        if not matches and ":" in name:
            code, _, ref = (part.strip() for part in name.partition(":"))
            matches = [f for f in findings.list(inspection_id=findings.inspection_id(code)) if f.ref == ref]
            if not matches:
                raise NotFound(f"no finding {ref} in inspection {code}")
        if not matches:
            raise NotFound(f"no finding {name!r}: name it by its ref, or as INSPECTION:REF")
        if len(matches) > 1:
            codes = ", ".join(f.inspection_code for f in matches)
            raise ValidationFailed(f"finding {name} is in {len(matches)} inspections ({codes}): name it as "
                                   f"INSPECTION:REF, e.g. {matches[0].inspection_code}:{name}")
        return matches[0]

    def priority_named(self, name: str) -> int:
        """A priority's id, from its number in the current plan (2), or in another plan as PLAN:N."""
        plans = self._store.plans
        code, colon, number = (part.strip() for part in name.strip().rpartition(":"))
        plan = plans.get(code) if colon else plans.current()
        if plan is None:
            raise NotFound("there is no plan yet, so no priority to link to")
        if not (number.isascii() and number.isdigit()):
            raise NotFound(f"no priority {name!r}: give its number in the current plan ({plan.code}), or PLAN:N")
        priority_id = plans.priority_id(plan.id, int(number)) if int(number) <= 99 else None  # they are 1 to 99
        if priority_id is None:
            numbers = [p.number for p in plans.priorities(plan.id)]
            has = f"its priorities are {', '.join(map(str, numbers))}" if numbers else "it has no priorities"
            raise NotFound(f"no priority {int(number)} in plan {plan.code} ({has})")
        return priority_id

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
