"""Actions as the screens and the command line ask for them: filtered pages, counts, details, plan order, edits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from accountability_tui.domain.errors import ValidationFailed
from accountability_tui.domain.models import (
    ActionRow,
    FindingRow,
    HistoryEntry,
    Mechanism,
    PlanRow,
    PriorityRow,
    QuestionRow,
    Rag,
    Status,
)
from accountability_tui.services.history import Change
from accountability_tui.store import Store
from accountability_tui.store.actions import UNSET, Filters

PAGE = 60  # rows a list reads at a time (more than a screen); moving onto the last one reads the next page
COUNT_CAP = 1_000  # counting stops here: "1,000+ actions"
CURRENT = ":current"  # the plan the app shows as current (resolved when the list is read)


def in_plan_order(actions: Iterable[ActionRow]) -> list[ActionRow]:
    """The plan order, the one order of the project for actions read as a plan reads: plan by plan; within a plan,
    priority by priority (or theme by theme, in the order the themes first appear); then the plan's own order
    (position), then id."""
    actions = list(actions)
    first: dict[tuple[str, str], int] = {}
    for a in actions:
        key = (a.plan_code, a.group)
        first[key] = min(first.get(key, a.position or 0), a.position or 0)
    return sorted(actions, key=lambda a: (a.plan_code, a.priority_number or 0, first[(a.plan_code, a.group)],
                                          a.position or 0, a.id))


@dataclass
class ActionFilter:
    """What the officer has narrowed the list to. Every part combines with the others."""

    plan_code: str | None = None
    priority_id: int | None = None
    theme: str | None = None
    no_priority: bool = False
    group_label: str | None = None
    status: str | None = None
    lead: str | None = None
    rag: str | None = None
    overdue: bool = False
    no_deadline: bool = False
    text: str = ""

    def to_filters(self, store: Store, as_of: dt.date) -> Filters:
        plan_id = store.plans.get(self.plan_code).id if self.plan_code else None
        return Filters(plan_id=plan_id, statuses=(Status(self.status),) if self.status else (),
                       priority_id=self.priority_id, theme=self.theme, no_priority=self.no_priority,
                       lead=self.lead or None,
                       rag=Rag(self.rag) if self.rag else None, overdue_as_of=as_of if self.overdue else None,
                       no_deadline=self.no_deadline, text=self.text or None)

    def describe(self, as_of: dt.date) -> str:
        parts = [self.plan_code or "all plans"]
        if self.group_label:
            parts.append(self.group_label)
        if self.status:
            parts.append(Status(self.status).label.lower())
        if self.overdue:
            parts.append(f"overdue at {as_of:%-d %b %Y}")
        if self.no_deadline:
            parts.append("no deadline")
        if self.rag:
            parts.append(f"RAG {self.rag}")
        if self.lead:
            parts.append(f"lead contains {self.lead!r}")
        if self.text:
            parts.append(f"text {self.text!r}")
        return " · ".join(parts)


@dataclass
class ActionsPage:
    rows: list[ActionRow]
    total: int  # -1: not counted yet (count() follows)
    spec: ActionFilter
    kept: int = 0  # actions kept in view after an edit although they no longer match the filters
    offset: int = 0  # 0: a new list; else more rows for the list on screen


@dataclass
class ActionDetailData:
    action: ActionRow
    history: list[HistoryEntry]
    findings: list[FindingRow]
    questions: list[QuestionRow]


@dataclass
class ActionDraft:
    """A new action as the officer writes it (blank ref: the next free one)."""

    plan_code: str
    text: str
    ref: str | None = None
    priority: int | None = None  # its number in the plan
    theme: str | None = None
    lead: str | None = None
    mechanism: Mechanism | None = None
    timeframe: str | None = None
    plan_page: str | None = None
    status: Status = Status.NOT_STARTED


@dataclass
class ActionFormChoices:
    plan: PlanRow
    priorities: list[PriorityRow]
    themes: list[str]
    leads: list[str]
    next_ref: str


@dataclass
class FilterChoices:
    plans: list[tuple[str, str]]  # (code, label)
    groups: list[tuple[str, str]]  # ("p:<priority id>" | "t:<theme>", label)


class ActionsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, action_id: int) -> ActionRow:
        return self._store.actions.get(action_id)

    def page(self, spec: ActionFilter, as_of: dt.date, sort: str = "position", descending: bool = False,
             select_id: int | None = None, keep: frozenset[int] = frozenset(), offset: int = 0) -> ActionsPage:
        """A page of the list: the first (offset 0) or the next one. select_id opens the list on one action (its
        plan, unfiltered); keep holds actions edited in view, which stay although they no longer match."""
        store = self._store
        if select_id is not None:
            chosen = store.actions.get(select_id)  # a withdrawn one is shown among the withdrawn
            spec = ActionFilter(plan_code=chosen.plan_code,
                                status=Status.WITHDRAWN.value if chosen.status is Status.WITHDRAWN else None)
        elif spec.plan_code == CURRENT:
            plan = store.plans.current()
            spec = replace(spec, plan_code=plan.code if plan else None)
        filters = spec.to_filters(store, as_of)
        rows = store.actions.list(filters, sort=sort, descending=descending, limit=PAGE + 1, offset=offset)
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        if offset:
            return ActionsPage(rows=rows, total=-1 if more else offset + len(rows), spec=spec, offset=offset)
        missing = keep - {a.id for a in rows}
        if missing:
            kept = list(store.actions.get_many(sorted(missing)).values())
            rows = in_plan_order([*rows, *kept]) if sort == "position" else [*rows, *kept]
        found = len(rows) - len(missing)
        # the exact count of a long list follows a moment later (count()), so that typing stays quick
        return ActionsPage(rows=rows, total=-1 if more else found, spec=spec, kept=len(missing))

    def count(self, spec: ActionFilter, as_of: dt.date) -> int:
        """How many actions match, up to COUNT_CAP."""
        return self._store.actions.count(spec.to_filters(self._store, as_of), cap=COUNT_CAP)

    def detail(self, action_id: int) -> ActionDetailData:
        store = self._store
        return ActionDetailData(action=store.actions.get(action_id), history=store.actions.history(action_id),
                                findings=store.findings.for_action(action_id),
                                questions=store.questions.list(action_id=action_id))

    def details(self, action_ids: list[int]) -> dict[int, ActionDetailData]:
        """detail() of the rows next to the cursor, read ahead."""
        return {i: self.detail(i) for i in action_ids}

    def overdue(self, as_of: dt.date, plan_code: str | None = None) -> list[ActionRow]:
        """The actions overdue at as_of (of one plan, or every plan), in plan order."""
        plan_id = self._store.plans.get(plan_code).id if plan_code else None
        return in_plan_order(self._store.actions.overdue(as_of, plan_id))

    def listing(self, plan_code: str | None = None, status: Status | None = None) -> list[ActionRow]:
        """Every action (of one plan, of one status), in the plans' own order."""
        plan_id = self._store.plans.get(plan_code).id if plan_code else None
        return self._store.actions.list(Filters(plan_id=plan_id, statuses=(status,) if status else ()))

    def find(self, text: str, limit: int = 200) -> list[ActionRow]:
        """Actions whose text has these words (every action when text is empty), for choosing one."""
        return self._store.actions.list(Filters(text=text or None), limit=limit)

    def filter_choices(self, plan_code: str | None) -> FilterChoices:
        """The plans, and the priorities and themes of one plan, to filter by."""
        store = self._store
        groups: list[tuple[str, str]] = []
        if plan_code:
            plan = store.plans.get(plan_code)
            groups = [(f"p:{p.id}", f"{p.number}. {p.title}") for p in store.plans.priorities(plan.id)]
            groups += [(f"t:{t}", f"Theme: {t}") for t in store.actions.themes(plan.id)]
        return FilterChoices(plans=[(p.code, f"{p.code} — {p.title}") for p in store.plans.list()], groups=groups)

    def update(self, action_id: int, expected_version: int, *, status: Status | None = None, rag: Any = UNSET,
               note: str | None = None, due: Any = UNSET, due_reason: str | None = None,
               source: str = "app", **details: Any) -> ActionRow:
        """An officer's edit (refused with Conflict if someone else saved first). details: any of ref, priority
        (its number in the action's plan, or None), theme, text, lead, mechanism, timeframe, plan_page."""
        if "priority" in details:
            number = details.pop("priority")
            plan_id = self._store.actions.get(action_id).plan_id
            details["priority_id"] = self._priority_id(plan_id, number) if number is not None else None
        return self._store.actions.update(action_id, expected_version, status=status, rag=rag, note=note, due=due,
                                          due_reason=due_reason, source=source, **details)

    def _priority_id(self, plan_id: int, number: int) -> int:
        priority_id = self._store.plans.priority_id(plan_id, number)
        if priority_id is None:
            code = self._store.plans.by_id(plan_id).code
            numbers = ", ".join(str(p.number) for p in self._store.plans.priorities(plan_id)) or "none"
            raise ValidationFailed(f"plan {code} has no priority {number} (its priorities: {numbers})")
        return priority_id

    # --- keeping the tracker: new actions, withdrawals ---------------------------------------------------------

    def form_choices(self, plan_code: str) -> ActionFormChoices:
        """What the form for a new (or edited) action of this plan offers: priorities, themes, leads, a ref."""
        store = self._store
        plan = store.plans.get(plan_code)
        return ActionFormChoices(plan=plan, priorities=store.plans.priorities(plan.id),
                                 themes=store.actions.themes(plan.id), leads=store.actions.leads(),
                                 next_ref=store.actions.next_ref(plan.id))

    def next_ref(self, plan_code: str, priority: int | None = None, theme: str | None = None) -> str:
        """The next free ref of the plan, after the last of the same priority (or theme)."""
        plan = self._store.plans.get(plan_code)
        priority_id = self._store.plans.priority_id(plan.id, priority) if priority is not None else None
        return self._store.actions.next_ref(plan.id, priority_id, theme or None)

    def create(self, draft: ActionDraft, source: str = "app") -> ActionRow:
        """A new action, placed after the last of its priority (or theme); its timeframe read into a due date by
        the usual conventions. Its history starts with its creation."""
        from accountability_tui.domain.records import ActionIn, validated
        from accountability_tui.domain.timeframes import due_date

        store = self._store
        plan = store.plans.get(draft.plan_code)
        if draft.priority is not None:
            self._priority_id(plan.id, draft.priority)  # refused with the plan's priorities named
        ref = (draft.ref or "").strip() or self.next_ref(plan.code, draft.priority, draft.theme)
        action = validated(ActionIn, {
            "ref": ref, "text": draft.text, "priority": draft.priority, "theme": draft.theme, "lead": draft.lead,
            "mechanism": draft.mechanism, "status": draft.status, "timeframe": draft.timeframe,
            "due": due_date(draft.timeframe), "plan_page": draft.plan_page}, "action")
        action_id = store.actions.add(plan.id, action, source=source, in_plan_order=True)
        return store.actions.get(action_id)

    def withdraw(self, action_id: int, expected_version: int, reason: str, source: str = "app") -> ActionRow:
        """Withdraw an action: it keeps its history, is never overdue and is left out of every count; lists show
        it when asked for (the status filter). The reason is its history's note. Conflict if it changed."""
        current = self._store.actions.get(action_id)
        if current.status is Status.WITHDRAWN:
            raise ValidationFailed(f"action {current.plan_code} {current.ref} is already withdrawn")
        if not (reason or "").strip():
            raise ValidationFailed("say why the action is withdrawn (the reason is kept in its history)")
        return self._store.actions.update(action_id, expected_version, status=Status.WITHDRAWN, note=reason,
                                          source=source)

    def add_note(self, action: ActionRow, text: str) -> ActionRow:
        return self._store.actions.update(action.id, action.version, note=text)

    def last_change(self, action_id: int) -> Change | None:
        """The change undo would reverse (status, RAG, due date, lead, a link to a finding)."""
        h = self._store.actions.last_change(action_id)
        return Change(h.field, h.old_value, h.new_value, h.who, h.at, h.note) if h else None

    def undo(self, action: ActionRow) -> Change:
        """Reverse the last change with a new one (the history keeps both); Conflict if it changed meanwhile."""
        h = self._store.actions.undo(action.id, action.version)
        return Change(h.field, h.old_value, h.new_value, h.who, h.at, h.note)
