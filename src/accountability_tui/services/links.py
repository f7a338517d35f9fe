"""What a question can be linked to (a priority, an action, a finding; a measure, from the Performance screen), and
how its links read."""

from __future__ import annotations

from accountability_tui.domain.models import QuestionRow
from accountability_tui.store import Store

Link = tuple[str, int]  # ("priority" | "action" | "finding", id)
NO_LINKS = "nothing yet"  # in lists, exports and the briefing: no key named (the question form adds its own)


def link_choices(store: Store, query: str) -> list[tuple[Link, str]]:
    """What a question can be linked to: priorities of every plan, and actions and findings found by their text."""
    choices: list[tuple[Link, str]] = []
    q = query.strip().lower()
    for plan in store.plans.list():
        for p in store.plans.priorities(plan.id):
            label = f"Priority {plan.code} {p.number}. {p.title}"
            if not q or q in label.lower():
                choices.append((("priority", p.id), label))
    if q:
        for hit in store.search.find(query, limit=60, kinds=("action", "finding")):
            choices.append(((hit.kind, hit.item_id), hit.title))
    else:
        for f in store.findings.list(open_only=True):
            choices.append((("finding", f.id), f"Finding {f.inspection_code} {f.ref}: {f.text}"))
    return choices


def describe_links(store: Store, priority_id: int | None, action_id: int | None, finding_id: int | None) -> str:
    """How one set of links reads."""
    return describe_many(store, [(0, priority_id, action_id, finding_id)])[0]


def describe_questions(store: Store, questions: list[QuestionRow]) -> dict[int, str]:
    """How the links of each question read, for a whole list in four queries (the measure it is about last)."""
    described = describe_many(store, [(q.id, q.priority_id, q.action_id, q.finding_id) for q in questions])
    measure_ids = {q.measure_id for q in questions if q.measure_id}
    if measure_ids:
        names = {m.id: m.name for m in store.measures.list(ids=sorted(measure_ids))}
        for q in questions:
            if q.measure_id in names:
                about = f"measure {names[q.measure_id]}"
                described[q.id] = about if described[q.id] == NO_LINKS else f"{described[q.id]} · {about}"
    return described


def describe_many(store: Store, links: list[tuple[int, int | None, int | None, int | None]]) -> dict[int, str]:
    priorities = store.plans.priorities_of([p for _, p, _, _ in links if p])
    actions = store.actions.get_many([a for _, _, a, _ in links if a])
    findings = store.findings.get_many([f for _, _, _, f in links if f])
    described: dict[int, str] = {}
    for key, priority_id, action_id, finding_id in links:
        parts = []
        if priority_id and priority_id in priorities:
            code, priority = priorities[priority_id]
            parts.append(f"priority {code} {priority.number}. {priority.title}")
        if action_id and action_id in actions:
            a = actions[action_id]
            parts.append(f"action {a.plan_code} {a.ref}: {a.text}")
        if finding_id and finding_id in findings:
            f = findings[finding_id]
            parts.append(f"finding {f.inspection_code} {f.ref}: {f.text}")
        described[key] = " · ".join(parts) or NO_LINKS
    return described
