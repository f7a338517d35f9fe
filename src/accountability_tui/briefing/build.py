"""What goes into a briefing: its sections and their items, worked out from the data and the officer's decisions.

Plain Python over the store; briefing/markdown.py writes it. A briefing is built for a meeting (its date is the
as-of date) or, without one, ad hoc at an as-of date: then it has every overdue action, the open findings and the
questions ready to ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..models import (
    ActionRow,
    FindingRow,
    MeetingRow,
    QuestionRow,
    QuestionStatus,
    section55_deadline,
)
from ..store.briefings import Decision

SECTIONS: list[tuple[str, str]] = [
    ("details", "Meeting details"),
    ("since", "Since the last meeting"),
    ("overdue", "Overdue actions"),
    ("hmicfrs", "HMICFRS update"),
    ("questions", "Questions for the Chief Constable"),
    ("notes", "Officer's notes"),
]
SECTION_TITLES = dict(SECTIONS)


@dataclass
class Item:
    section: str
    kind: str  # action | finding | question | note
    ref_id: int
    payload: Any  # ActionRow, FindingRow, QuestionRow, or the note's text
    tags: list[str] = field(default_factory=list)  # why it is here, e.g. "status changed", "newly overdue"
    facts: dict[str, Any] = field(default_factory=dict)  # what the section knows about it (changes, links, ...)
    included: bool = True
    restricted: bool = False
    comment: str | None = None
    discuss: bool = False
    position: int = 0  # the officer's order (0: the standard order)
    default_index: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.ref_id)


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class Briefing:
    meeting: MeetingRow | None
    as_of: dt.date
    previous: MeetingRow | None
    sections: list[Section]
    force: str | None = None

    @property
    def title(self) -> str:
        if self.meeting is None:
            return f"Briefing at {self.as_of:%-d %B %Y}"
        return f"Briefing: {self.meeting.title or self.meeting.kind}, {self.meeting.date:%A %-d %B %Y}"

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)


def _apply(items: list[Item], decisions: dict[tuple[str, str, int], Decision]) -> list[Item]:
    for index, item in enumerate(items):
        item.default_index = index
        decision = decisions.get((item.section, item.kind, item.ref_id))
        if decision is not None:
            item.included = decision.included
            item.restricted = decision.restricted
            item.comment = decision.comment
            item.discuss = decision.discuss
            item.position = decision.position
    return sorted(items, key=lambda i: (i.position if i.position > 0 else 1_000_000_000, i.default_index))


def _since(store, meeting: MeetingRow | None, previous: MeetingRow | None, as_of: dt.date,
           force: str | None) -> tuple[list[Item], dict]:
    if previous is None:
        return [], {"start": None, "end": as_of}
    start, end = previous.date, as_of
    items: dict[tuple[str, int], Item] = {}

    def item(kind: str, ref_id: int, payload: Any) -> Item:
        return items.setdefault((kind, ref_id), Item("since", kind, ref_id, payload))

    for action, change in store.actions.changes_between(start, end, ("status", "due"), force=force):
        entry = item("action", action.id, action)
        entry.facts.setdefault("changes", []).append(change)
        tag = "status changed" if change.field == "status" else "due date moved"
        if tag not in entry.tags:
            entry.tags.append(tag)
    for action in store.actions.newly_overdue(start, end, force=force):
        item("action", action.id, action).tags.append("newly overdue")
    for finding in store.findings.closed_between(start, end, force=force):
        item("finding", finding.id, finding).tags.append("closed")
    for question in store.questions.answered_between(start, end):
        item("question", question.id, question).tags.append("answered")
    carried = set(store.meetings.carried_over_into(meeting.id)) if meeting else set()
    for question in store.questions.list(meeting_id=previous.id):
        if question.status in (QuestionStatus.ASKED,) or question.id in carried:
            item("question", question.id, question).tags.append("carried over unanswered")
    for question_id in carried:
        if ("question", question_id) not in items:
            item("question", question_id, store.questions.get(question_id)).tags.append("carried over unanswered")
    order = {"action": 0, "finding": 1, "question": 2}
    ordered = sorted(items.values(), key=lambda i: (order[i.kind], _sort_key(i.payload)))
    return ordered, {"start": start, "end": end}


def _sort_key(payload: Any) -> tuple:
    if isinstance(payload, ActionRow):
        return (payload.plan_code, payload.position or 0, payload.id)
    if isinstance(payload, FindingRow):
        return (payload.inspection_code, payload.ref)
    if isinstance(payload, QuestionRow):
        return (payload.asking_order or 0, payload.id)
    return (0,)


def _overdue(store, as_of: dt.date, force: str | None) -> tuple[list[Item], dict]:
    actions = store.actions.overdue(as_of, force=force)
    plans = {p.id: p for p in store.plans.list()}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    first: dict[tuple[str, str], int] = {}
    for a in actions:
        key = (a.plan_code, a.group)
        first[key] = min(first.get(key, a.position or 0), a.position or 0)
    actions.sort(key=lambda a: (a.plan_code, a.priority_number or 0, first[(a.plan_code, a.group)],
                                a.position or 0, a.id))
    items = []
    for a in actions:
        group = groups.setdefault((a.plan_code, a.group), {"plan": a.plan_code, "group": a.group, "count": 0})
        group["count"] += 1
        items.append(Item("overdue", "action", a.id, a, facts={"days_overdue": a.days_overdue(as_of),
                                                                 "due_changes": store.actions.due_changes(a.id)}))
    summary = {"groups": list(groups.values()), "total": len(actions),
               "plans": {p.code: p.title for p in plans.values() if any(a.plan_id == p.id for a in actions)}}
    return items, summary


def _discussion_facts(store, item: Item) -> None:
    """What the briefing says about an overdue action put forward for discussion."""
    a: ActionRow = item.payload
    item.facts["findings"] = store.findings.for_action(a.id)
    item.facts["questions"] = [q for q in store.questions.list(action_id=a.id)]
    item.facts["history"] = [h for h in store.actions.history(a.id) if h.field in ("status", "due", "note", "rag")]


def _hmicfrs(store, as_of: dt.date, force: str | None) -> tuple[list[Item], dict]:
    findings = store.findings.list(open_only=True, force=force)
    items = [Item("hmicfrs", "finding", f.id, f, facts={"actions": [store.actions.get(i) for i in
                                                                     store.findings.linked_action_ids(f.id)]})
             for f in findings]
    inspections = []
    for i in store.findings.inspections(force=force):
        deadline = section55_deadline(i["published"])
        inspections.append({**i, "s55": deadline, "s55_days": (deadline - as_of).days if deadline else None})
    return items, {"inspections": inspections}


def _questions(store, meeting: MeetingRow | None) -> list[Item]:
    if meeting is None:
        questions = store.questions.list(status=QuestionStatus.READY)
    else:
        questions = store.questions.list(meeting_id=meeting.id)
    items = []
    for q in questions:
        from ..links import describe_links

        items.append(Item("questions", "question", q.id, q,
                          facts={"links": describe_links(store, q.priority_id, q.action_id, q.finding_id)}))
    return items


def build_briefing(store, meeting_id: int | None = None, as_of: dt.date | None = None) -> Briefing:
    """The briefing of a meeting (at its date), or an ad-hoc briefing at as_of."""
    meeting = store.meetings.get(meeting_id) if meeting_id is not None else None
    as_of = meeting.date if meeting is not None else (as_of or dt.date.today())
    if meeting is not None:
        previous = store.meetings.previous(meeting)
    else:
        earlier = [m for m in store.meetings.list() if m.date < as_of and m.status.value != "cancelled"]
        previous = earlier[-1] if earlier else None
    decisions = store.briefings.decisions(meeting.id) if meeting is not None else {}
    current = store.plans.current()
    force = current.force if current is not None else None  # an office's briefing is about its own force

    since_items, since_summary = _since(store, meeting, previous, as_of, force)
    overdue_items, overdue_summary = _overdue(store, as_of, force)
    hmicfrs_items, hmicfrs_summary = _hmicfrs(store, as_of, force)
    question_items = _questions(store, meeting)
    note_items = [Item("notes", "note", d.id, d.text) for d in decisions.values() if d.kind == "note"]
    note_items.sort(key=lambda i: i.ref_id)

    built = {
        "details": Section("details", SECTION_TITLES["details"]),
        "since": Section("since", SECTION_TITLES["since"], _apply(since_items, decisions), since_summary),
        "overdue": Section("overdue", SECTION_TITLES["overdue"], _apply(overdue_items, decisions), overdue_summary),
        "hmicfrs": Section("hmicfrs", SECTION_TITLES["hmicfrs"], _apply(hmicfrs_items, decisions), hmicfrs_summary),
        "questions": Section("questions", SECTION_TITLES["questions"], _apply(question_items, decisions)),
        "notes": Section("notes", SECTION_TITLES["notes"], _apply(note_items, decisions)),
    }
    for item in built["overdue"].items:
        if item.discuss:
            _discussion_facts(store, item)
    order = [k for k in (meeting.sections if meeting else ()) if k in built]
    order += [k for k, _ in SECTIONS if k not in order]
    return Briefing(meeting=meeting, as_of=as_of, previous=previous, sections=[built[k] for k in order],
                    force=force)
