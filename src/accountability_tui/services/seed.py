"""Fill a new database with the real Hertfordshire data in seed_data/.

The Police & Crime Plan 2025-29 and the Annual Delivery Plan are read from the documents in seed_data/sources by
the project's own importers; seed_data/hertfordshire.json holds only what the documents do not hold as tables
(plan details, HMICFRS inspections and findings, meetings on the public record).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from accountability_tui.domain.errors import StoreError
from accountability_tui.domain.records import FindingIn, InspectionIn, MeetingIn, Plan
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
