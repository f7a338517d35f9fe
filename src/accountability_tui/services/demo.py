"""A national-scale demonstration data set: 43 forces' plans, their actions with histories, HMICFRS findings,
questions and meetings. Made from a seed, so the same arguments always make the same data; every record is
flagged demo. Used to measure the app at scale (bench/) and to show what it does with a national picture.

The sentences are put together from the real Hertfordshire plans' wording, so lengths and words are realistic;
the figures mean nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable

from accountability_tui.domain.mechanisms import classify
from accountability_tui.domain.models import (
    Direction,
    FindingKind,
    FindingStatus,
    Grade,
    Rag,
    Status,
    Unit,
    measure_key,
)
from accountability_tui.domain.records import ActionIn, FindingIn, InspectionIn, Plan, Priority
from accountability_tui.domain.resources import seed_dir
from accountability_tui.importers.delivery_plan import parse_table
from accountability_tui.importers.police_crime_plan import read_plan_document
from accountability_tui.store import Store

FORCES = [
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "City of London", "Cleveland", "Cumbria",
    "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Dyfed-Powys", "Essex", "Gloucestershire",
    "Greater Manchester", "Gwent", "Hampshire", "Hertfordshire", "Humberside", "Kent", "Lancashire",
    "Leicestershire", "Lincolnshire", "Merseyside", "Metropolitan", "Norfolk", "North Wales", "North Yorkshire",
    "Northamptonshire", "Northumbria", "Nottinghamshire", "South Wales", "South Yorkshire", "Staffordshire",
    "Suffolk", "Surrey", "Sussex", "Thames Valley", "Warwickshire", "West Mercia", "West Midlands",
    "West Yorkshire", "Wiltshire",
]
PEEL_AREAS = [
    "Recording data about crime", "Police powers and treating the public fairly and respectfully",
    "Preventing and deterring crime and antisocial behaviour, and reducing vulnerability", "Responding to the public",
    "Investigating crime", "Protecting vulnerable people", "Managing offenders and suspects",
    "Building, supporting and protecting the workforce", "Leadership and force management",
]
# The four strategic performance objectives every demonstration plan has, and forty measures spread over them:
# (name, unit, direction, objective, a typical figure, how much it moves in a month). The figures mean nothing.
OBJECTIVES = ["Improve crime recording", "Reduce crime and anti-social behaviour", "Solve more crime",
              "Keep people safe"]
DEMO_MEASURES: list[tuple[str, Unit, Direction, int, float, float]] = [
    ("Crime recording rate: all reported crime", Unit.PERCENT, Direction.HIGHER, 1, 85.0, 0.6),
    ("Crime recording rate: sexual offences", Unit.PERCENT, Direction.HIGHER, 1, 90.0, 0.6),
    ("Crime recording rate: violent offences", Unit.PERCENT, Direction.HIGHER, 1, 80.0, 0.8),
    ("Crime recording rate: domestic abuse", Unit.PERCENT, Direction.HIGHER, 1, 88.0, 0.7),
    ("Crime recording rate: anti-social behaviour", Unit.PERCENT, Direction.HIGHER, 1, 75.0, 1.0),
    ("Crimes recorded within 24 hours", Unit.PERCENT, Direction.HIGHER, 1, 92.0, 0.5),
    ("Incidents closed with the right code", Unit.PERCENT, Direction.HIGHER, 1, 94.0, 0.4),
    ("Audit sample: crimes correctly recorded", Unit.PERCENT, Direction.HIGHER, 1, 87.0, 0.9),
    ("Recorded crime", Unit.COUNT, Direction.LOWER, 2, 8_500, 250),
    ("Anti-social behaviour incidents", Unit.COUNT, Direction.LOWER, 2, 1_800, 120),
    ("Burglary: residential", Unit.COUNT, Direction.LOWER, 2, 320, 25),
    ("Vehicle crime", Unit.COUNT, Direction.LOWER, 2, 640, 40),
    ("Violence with injury", Unit.COUNT, Direction.LOWER, 2, 900, 45),
    ("Knife crime", Unit.COUNT, Direction.LOWER, 2, 70, 8),
    ("Shoplifting", Unit.COUNT, Direction.LOWER, 2, 520, 35),
    ("Criminal damage", Unit.COUNT, Direction.LOWER, 2, 700, 40),
    ("Neighbourhood crime per 1,000 people", Unit.RATE_PER_1000, Direction.LOWER, 2, 6.5, 0.3),
    ("Repeat victims of anti-social behaviour", Unit.COUNT, Direction.LOWER, 2, 140, 12),
    ("Charge/summons rate: victim-based crime", Unit.PERCENT, Direction.HIGHER, 3, 7.0, 0.3),
    ("Charge/summons rate: burglary", Unit.PERCENT, Direction.HIGHER, 3, 5.0, 0.4),
    ("Charge/summons rate: rape", Unit.PERCENT, Direction.HIGHER, 3, 4.0, 0.4),
    ("Charge/summons rate: domestic abuse", Unit.PERCENT, Direction.HIGHER, 3, 9.0, 0.5),
    ("Investigations closed with no suspect identified", Unit.PERCENT, Direction.LOWER, 3, 47.0, 0.7),
    ("Investigations closed: victim does not support action", Unit.PERCENT, Direction.LOWER, 3, 24.0, 0.6),
    ("Positive outcomes", Unit.COUNT, Direction.HIGHER, 3, 900, 45),
    ("Days from offence to charge", Unit.DAYS, Direction.LOWER, 3, 60.0, 3.0),
    ("Outstanding suspects wanted on warrant", Unit.COUNT, Direction.LOWER, 3, 260, 15),
    ("Open investigations per investigator", Unit.COUNT, Direction.LOWER, 3, 14.0, 0.6),
    ("Domestic Violence Protection Orders", Unit.COUNT, Direction.HIGHER, 4, 30, 5),
    ("Clare's Law right-to-know applications", Unit.COUNT, Direction.HIGHER, 4, 110, 12),
    ("Clare's Law right-to-ask applications", Unit.COUNT, Direction.HIGHER, 4, 90, 10),
    ("Stalking Protection Orders", Unit.COUNT, Direction.HIGHER, 4, 6, 2),
    ("999 calls answered within 10 seconds", Unit.PERCENT, Direction.HIGHER, 4, 85.0, 1.5),
    ("Average time to answer a 101 call", Unit.MINUTES, Direction.LOWER, 4, 6.0, 0.8),
    ("Emergency attendance within target time", Unit.PERCENT, Direction.HIGHER, 4, 88.0, 1.0),
    ("Average time to attend an emergency", Unit.MINUTES, Direction.LOWER, 4, 11.0, 0.6),
    ("Missing people found within 24 hours", Unit.PERCENT, Direction.HIGHER, 4, 93.0, 0.6),
    ("Killed or seriously injured on the roads", Unit.COUNT, Direction.LOWER, 4, 45, 6),
    ("Victim satisfaction: whole experience", Unit.PERCENT, Direction.HIGHER, 4, 74.0, 1.2),
    ("Safeguarding referrals made", Unit.COUNT, Direction.HIGHER, 4, 1_200, 60),
]
MONTHS = 120  # ten years of monthly figures: Apr 2016 to Mar 2026

TIMEFRAMES = ["Spring {y}", "Summer {y}", "Autumn {y}", "Winter {y}", "Ongoing", "", "Q{q} {y}/{y2}", "March {y}",
              "{y}/{y2}", "Summer {y}/ Autumn {y}", "during {y}", "31/03/{y}"]
LEADS = ["Constabulary", "OPCC", "County Council", "CPS", "Probation", "Community Safety Partnership", None]


def _corpus() -> tuple[list[str], list[str], list[str]]:
    """Real commitment texts, explanations and themes to build realistic sentences from."""
    sources = seed_dir() / "sources"
    adp = parse_table(sources / "004_8cb72b75a6a85661.txt").rows
    plan = read_plan_document(sources / "000_0c0d51d2b4e25ab8.txt")
    texts = [r.text for r in adp] + [c.text for c in plan.commitments]
    explanations = [r.explanation for r in adp if r.explanation]
    themes = plan.themes
    return texts, explanations, themes


def _sentence(rng: random.Random, texts: list[str]) -> str:
    words = rng.choice(texts).split()
    if rng.random() < 0.5:  # splice two real commitments for variety
        other = rng.choice(texts).split()
        cut = rng.randint(4, max(5, len(words) - 1))
        words = words[:cut] + other[rng.randint(0, max(0, len(other) - 6)):]
    return " ".join(words)[:600]


def _timeframe(rng: random.Random) -> str:
    year = rng.randint(2022, 2028)
    return rng.choice(TIMEFRAMES).format(y=year, y2=str(year + 1)[2:], q=rng.randint(1, 4))


def generate(store: Store, *, actions: int = 100_000, findings: int | None = None, questions: int | None = None,
             meetings: int | None = None, seed: int = 43, progress: Callable[[str], None] | None = None,
             months: int = MONTHS) -> dict[str, int]:
    """Fill the store with demonstration data (all flagged demo) in one transaction. Returns what was made.

    Findings, questions and meetings not given are in the national proportion: for 100,000 actions, 10,000
    findings, 20,000 questions and 500 meetings. Every force has the four performance objectives and forty
    measures (DEMO_MEASURES), each with `months` monthly figures (43 × 40 × 120: 206,400). All of it is written
    in one transaction (the store's writes nest: the inner ones join it), so a run stopped part-way (killed, the
    computer off) leaves no demonstration data at all, and running it again starts afresh. Progress lines say what
    has been made, not what has been saved.
    """
    from accountability_tui.domain.errors import StoreError

    scale = actions / 100_000
    findings = max(len(FORCES), round(10_000 * scale)) if findings is None else findings
    questions = max(1, round(20_000 * scale)) if questions is None else questions
    meetings = max(1, round(500 * scale)) if meetings is None else meetings
    say = progress or (lambda _: None)
    rng = random.Random(seed)
    texts, explanations, themes = _corpus()
    with store.write():
        if any(plan.demo for plan in store.plans.list(counts=False)):
            raise StoreError(f"{store.path} already has demonstration data; use a new file")
        made = _plans_and_actions(store, rng, actions, texts, explanations, themes, say)
        made["findings"] = _findings(store, rng, findings, texts)
        say(f"{made['findings']:,} findings")
        made["meetings"], made["questions"] = _meetings_and_questions(store, rng, meetings, questions, texts)
        say(f"{made['meetings']:,} meetings, {made['questions']:,} questions")
        made["measures"], made["figures"] = _performance(store, rng, months=months)
        say(f"{made['measures']:,} measures, {made['figures']:,} monthly figures; saving")
    store.analyze()
    return made


def _plans_and_actions(store: Store, rng: random.Random, actions: int, texts: list[str], explanations: list[str],
                       themes: list[str], say: Callable[[str], None]) -> dict[str, int]:
    from accountability_tui.domain.timeframes import due_date

    per_force = [actions // len(FORCES) + (1 if i < actions % len(FORCES) else 0) for i in range(len(FORCES))]
    made = {"plans": 0, "actions": 0, "history": 0, "findings": 0, "questions": 0, "meetings": 0}
    for force, count in zip(FORCES, per_force, strict=True):
        code = "DEMO-" + re.sub(r"[^A-Z0-9]+", "-", force.upper()).strip("-")
        with store.write():
            plan_id = store.plans.add(Plan(code=code, title=f"{force} Police & Crime Plan 2024-28 (demonstration)",
                                           force=force, period="2024-2028", demo=True,
                                           source="Generated demonstration data: not a real plan"))
            store.plans.set_priorities(plan_id, [Priority(number=n, title=t, goals=[]) for n, t in enumerate(
                ["Make communities safer", "Strengthen local policing", "Tackle crime and anti-social behaviour",
                 "Protect people from harm", "Support victims and bring offenders to justice"], start=1)])
            rows = []
            for i in range(1, count + 1):
                text = _sentence(rng, texts)
                timeframe = _timeframe(rng)
                status = rng.choices(list(Status)[:4], weights=[25, 50, 22, 3])[0]  # the same data as before
                rows.append(ActionIn(
                    ref=f"{rng.randint(1, 5)}.{i}", text=text, priority=rng.randint(1, 5), theme=rng.choice(themes),
                    lead=rng.choice(LEADS), mechanism=classify(text), status=status,
                    rag=rng.choice([None, Rag.GREEN, Rag.AMBER, Rag.RED]), timeframe=timeframe or None,
                    due=due_date(timeframe), explanation=rng.choice(explanations)[: rng.randint(0, 900)] or None,
                    plan_page=str(rng.randint(5, 60)), position=i))
            store.actions.import_rows(plan_id, rows, fields=None, source="demo data")
            made["history"] += store.actions.add_demo_history(plan_id, rng)
        made["plans"] += 1
        made["actions"] += count
        say(f"{force}: {count} actions")
    return made


def _findings(store: Store, rng: random.Random, total: int, texts: list[str]) -> int:
    per_force = [total // len(FORCES) + (1 if i < total % len(FORCES) else 0) for i in range(len(FORCES))]
    made = 0
    for force, count in zip(FORCES, per_force, strict=True):
        slug = re.sub(r"[^A-Z0-9]+", "-", force.upper()).strip("-")
        plan = store.plans.get(f"DEMO-{slug}")
        with store.write():
            inspection_id = store.findings.add_inspection(InspectionIn(
                code=f"DEMO-PEEL-{slug}", kind="PEEL", title=f"PEEL inspection of {force} (demonstration)",
                force=force, published=dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                grades=[(area, rng.choice(list(Grade)[:5])) for area in PEEL_AREAS], demo=True,
                source="Generated demonstration data"))
            action_ids = store.actions.ids(plan.id, limit=400)
            for n in range(1, count + 1):
                kind = rng.choices(list(FindingKind), weights=[2, 30, 68])[0]
                status = rng.choice(list(FindingStatus))
                finding_id = store.findings.add(inspection_id, FindingIn(
                    ref=f"F{n}", kind=kind, area=rng.choice(PEEL_AREAS), text=_sentence(rng, texts), status=status,
                    closed_on=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
                    if status is FindingStatus.CLOSED else None, demo=True, source="Generated demonstration data"))
                for action_id in rng.sample(action_ids, k=min(len(action_ids), rng.randint(0, 2))):
                    store.findings.link(finding_id, action_id)
                made += 1
    return made


def _meetings_and_questions(store: Store, rng: random.Random, meetings: int, questions: int,
                            texts: list[str]) -> tuple[int, int]:
    from accountability_tui.domain.models import QuestionStatus
    from accountability_tui.domain.records import MeetingIn, QuestionIn

    start = dt.date(2024, 7, 1)
    meeting_ids = []
    with store.write():
        for n in range(meetings):
            meeting_ids.append(store.meetings.add(MeetingIn(
                date=start + dt.timedelta(days=int(n * 1000 / max(1, meetings))),
                title=f"Accountability and Performance Meeting (demonstration, {FORCES[n % len(FORCES)]})",
                demo=True), source="Generated demonstration data"))
    action_ids = store.actions.ids()
    with store.write():
        for _ in range(questions):
            question = QuestionIn(
                text=f"How and when will the Chief Constable {_sentence(rng, texts)[:200].lower()}?",
                rationale=_sentence(rng, texts)[:300] if rng.random() < 0.6 else None,
                action_id=rng.choice(action_ids) if action_ids and rng.random() < 0.7 else None,
                meeting_id=rng.choice(meeting_ids) if rng.random() < 0.8 else None,
                status=rng.choice(list(QuestionStatus)[:4]), demo=True)
            store.questions.add(question)
    return len(meeting_ids), questions


def _performance(store: Store, rng: random.Random, *, months: int) -> tuple[int, int]:
    """Every force's four objectives (on its demonstration plan, unless it has them) and forty measures with `months` monthly figures
    each, ending with March 2026: a drifting random walk around a typical figure. A force's measure of the same
    name as one it has (Hertfordshire's seeded measures) is left out: real measures get no made-up figures."""
    from accountability_tui.domain.periods import Period
    from accountability_tui.domain.records import MeasureIn

    first = 2026 * 12 + 2 - (months - 1)  # the month index (year * 12 + month - 1) of the first figure
    periods = [Period.month(index // 12, index % 12 + 1) for index in range(first, first + months)]
    made = figures = 0
    for force in FORCES:
        slug = re.sub(r"[^A-Z0-9]+", "-", force.upper()).strip("-")
        plan = store.plans.get(f"DEMO-{slug}")
        # a force that has objectives already (Hertfordshire's seeded plan) gets its measures under those: the same
        # four objectives twice over, once per plan, read as two sets of targets
        have: dict[int, int] = {}
        for o in store.measures.objectives(force=force):  # the current plan's first
            have.setdefault(o.number, o.id)
        objective_ids = [have.get(n) or store.measures.add_objective(plan.id, n, title)
                         for n, title in enumerate(OBJECTIVES, 1)]
        taken = {measure_key(m.name) for m in store.measures.list(force=force)}
        measures: list[MeasureIn] = []
        rows: list[list[float]] = []
        for position, (name, unit, direction, objective, typical, step) in enumerate(DEMO_MEASURES, start=1):
            if measure_key(name) in taken:
                continue
            centre = level = typical * rng.uniform(0.85, 1.15)
            drift = rng.uniform(-0.15, 0.25) * step * (1 if direction is Direction.HIGHER else -1)
            row = []
            for _ in periods:
                centre += drift  # a trend, better or worse, with the figures wandering about it
                level += 0.2 * (centre - level) + rng.gauss(0, step)
                if unit is Unit.PERCENT:
                    level = min(99.9, max(0.5, level))
                    row.append(round(level, 1))
                elif unit is Unit.COUNT and typical >= 20:
                    level = max(0.0, level)
                    row.append(float(round(level)))
                else:
                    level = max(0.1, level)
                    row.append(round(level, 1))
            at = max(0, len(row) - 24)  # two years before the last figure, as a plan's baseline
            baseline = row[at] if row else None
            measures.append(MeasureIn(
                name=name, force=force, unit=unit, direction=direction, objective_id=objective_ids[objective - 1],
                baseline_value=baseline, baseline_period=periods[at].label if row else None,
                baseline_source="Generated demonstration data", source_note="Generated demonstration data: the "
                "figures mean nothing", demo=True, position=position))
            rows.append(row)
        figures += store.measures.add_demo(force, measures, periods, rows, source="demo data")
        made += len(measures)
    return made, figures
