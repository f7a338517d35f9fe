"""What a question can be linked to, and how its links read: plain Python over the store."""

from __future__ import annotations

Link = tuple[str, int]  # ("priority" | "action" | "finding", id)


def link_choices(store, query: str) -> list[tuple[Link, str]]:
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


def describe_links(store, priority_id: int | None, action_id: int | None, finding_id: int | None) -> str:
    parts = []
    if priority_id:
        code, priority = store.plans.priority(priority_id)
        parts.append(f"priority {code} {priority.number}. {priority.title}")
    if action_id:
        a = store.actions.get(action_id)
        parts.append(f"action {a.plan_code} {a.ref}: {a.text}")
    if finding_id:
        f = store.findings.get(finding_id)
        parts.append(f"finding {f.inspection_code} {f.ref}: {f.text}")
    return " · ".join(parts) or "nothing yet (ctrl+l to link)"
