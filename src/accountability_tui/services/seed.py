"""Fill a new database with the real Hertfordshire data in seed_data/.

The Police & Crime Plan 2025-29 and the Annual Delivery Plan are read from the documents in seed_data/sources by
the project's own importers; seed_data/hertfordshire.json holds only what the documents do not hold as tables
(plan details, HMICFRS inspections and findings, meetings on the public record, and the plan's performance
measures with the baselines it gives).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from accountability_tui.domain.errors import StoreError
from accountability_tui.domain.records import FindingIn, InspectionIn, MeasureIn, MeetingIn, Plan
from accountability_tui.domain.resources import seed_dir
from accountability_tui.importers.delivery_plan import apply_table, parse_table
from accountability_tui.importers.police_crime_plan import read_plan_document
from accountability_tui.store import Store


def load_facts(folder: Path | None = None) -> dict:
    folder = folder or seed_dir()
    return json.loads((folder / "hertfordshire.json").read_text(encoding="utf-8"))


def _theme_for(ref: str, ranges: list[list]) -> str | None:
    if not ref.isdigit():
        return None
    number = int(ref)
    for first, last, theme in ranges:
        if first <= number <= last:
            return theme
    return None


def _performance(store: Store, plan_id: int, spec: dict) -> None:
    """A plan's strategic performance objectives (read from its document; made from spec when the document has
    none), the priority each serves, and their measures with the baselines the plan gives."""
    plan = store.plans.by_id(plan_id)
    had_objectives = bool(store.measures.objectives(plan_id=plan_id))

    def priority(number: int | None) -> int | None:
        if number is None:
            return None
        priority_id = store.plans.priority_id(plan_id, number)
        if priority_id is None:
            raise StoreError(f"seed data: {plan.code} has no priority {number}")
        return priority_id

    for objective in spec["objectives"]:
        found = store.measures.objective_by_number(plan_id, objective["number"])
        if found is None and not had_objectives:
            found = store.measures.objective(store.measures.add_objective(plan_id, objective["number"],
                                                                          objective["title"]))
        if found is None or found.title != objective["title"]:
            raise StoreError(f"seed data: objective {objective['number']} of {plan.code} is "
                             f"{found.title if found else 'missing'!r} in the plan, not {objective['title']!r}")
        if objective.get("priority") is not None:
            store.measures.set_objective_priority(found.id, priority(objective["priority"]))
        for position, measure in enumerate(objective.get("measures", []), start=1):
            fields = dict(measure)
            priority_id = priority(fields.pop("priority", objective.get("priority")))
            store.measures.add(MeasureIn(**fields, force=plan.force, objective_id=found.id, priority_id=priority_id,
                                         position=position), source="seed: hertfordshire.json")


def build(store: Store, folder: Path | None = None) -> None:
    """Seed an empty store. All of it in one transaction: a failure leaves the database empty."""
    folder = folder or seed_dir()
    facts = load_facts(folder)
    with store.write():
        for spec in facts["plans"]:
            plan_id = store.plans.add(Plan(code=spec["code"], title=spec["title"], pcc=spec.get("pcc"),
                                           period=spec.get("period"), source=spec.get("source"),
                                           is_current=spec.get("is_current", False)))
            if "document" in spec:
                document = read_plan_document(folder / spec["document"])
                store.plans.set_priorities(plan_id, document.priorities)
                store.actions.import_rows(plan_id, document.commitments, fields=None,
                                          source=f"seed: {Path(spec['document']).name}", theme_is_column=True)
                store.plans.set_objectives(plan_id, document.objectives)
                store.plans.set_spr_threats(plan_id, document.spr_threats)
            if "performance" in spec:
                _performance(store, plan_id, spec["performance"])
            if "delivery_plan" in spec:
                parsed = parse_table(folder / spec["delivery_plan"])
                ranges = spec.get("themes", {}).get("ranges", [])
                if ranges:
                    parsed.rows = [row.model_copy(update={"theme": _theme_for(row.ref, ranges) or row.theme})
                                   for row in parsed.rows]
                apply_table(store, parsed, plan=spec["code"], source=f"seed: {parsed.name}")
                if "statuses_as_at" in spec:  # the statuses are as at the report's date, not the seeding's
                    store.actions.set_status_as_at(plan_id, dt.date.fromisoformat(spec["statuses_as_at"]))
        for spec in facts["inspections"]:
            inspection_id = store.findings.add_inspection(InspectionIn(
                code=spec["code"], kind=spec["kind"], title=spec["title"], inspected=spec.get("inspected"),
                published=spec.get("published"), source=spec.get("source"),
                grades=[tuple(g) for g in spec.get("grades", [])]))
            for finding in spec.get("findings", []):
                links = finding.pop("links", [])
                finding_id = store.findings.add(inspection_id, FindingIn(**finding))
                for plan_code, text_start in links:
                    plan = store.plans.get(plan_code)
                    matches = [a for a in store.actions.list()
                               if a.plan_id == plan.id and a.text.startswith(text_start)]
                    if len(matches) != 1:
                        raise StoreError(f"seed data: {len(matches)} actions of {plan_code} start with "
                                         f"{text_start!r}; expected one")
                    store.findings.link(finding_id, matches[0].id, history=False)
        for spec in facts.get("meetings", []):
            source = spec.pop("source", None)
            store.meetings.add(MeetingIn(**spec), source=source)


def add_missing_performance(store: Store, folder: Path | None = None) -> int:
    """For a database made before there were performance measures (migration 0007 adds only their tables): the
    seeded plans' objective priorities and measures, for each plan of the seed data that is in the database and has
    no measures yet. Returns how many measures were added (0: nothing to do, or the database is read-only); all of
    it in one transaction. Meant to be called once a database is open, before its first screen."""
    if store.readonly:
        return 0
    facts = load_facts(folder)
    added = 0
    with store.write():
        for spec in facts["plans"]:
            if "performance" not in spec:
                continue
            code = store.scalar("SELECT id FROM plans WHERE code = ?", (spec["code"],))
            if code is None:
                continue
            plan_id = int(code)
            objective_ids = {o.id for o in store.measures.objectives(plan_id=plan_id)}
            if any(m.objective_id in objective_ids for m in store.measures.list()):
                continue
            _performance(store, plan_id, spec["performance"])
            added += sum(len(o.get("measures", [])) for o in spec["performance"]["objectives"])
    return added
