"""The seeded database holds the real Hertfordshire data, read from the documents."""

import datetime as dt
from collections import Counter

import pytest

from accountability_tui.domain.models import FindingKind, FindingStatus, Grade, Mechanism, Status


def test_police_and_crime_plan_2025_29(seeded):
    plan = seeded.plans.get("PCP-2025-29")
    assert plan.is_current and plan.pcc == "Jonathan Ash-Edwards" and not plan.demo
    priorities = seeded.plans.priorities(plan.id)
    assert [(p.number, p.title) for p in priorities] == [
        (1, "Make Hertfordshire safer"), (2, "Strengthen local policing and build public confidence"),
        (3, "Tackle crime and anti-social behaviour"), (4, "Protect people from violence, abuse and exploitation"),
        (5, "Bring offenders to justice and support victims")]
    assert [len(p.goals) for p in priorities] == [3, 3, 3, 3, 3]
    assert priorities[0].goals[0].startswith("Prevent crime and harm through effective crime prevention")
    from accountability_tui.store.actions import Filters

    commitments = seeded.actions.list(Filters(plan_id=plan.id))
    assert len(commitments) == 87
    assert len({c.theme for c in commitments}) == 27
    assert Counter(c.priority_number for c in commitments) == {1: 14, 2: 17, 3: 22, 4: 20, 5: 14}
    by_text = {c.text: c for c in commitments}
    assert by_text["Lobby the Government to reduce the delays and backlogs in the Court system."].mechanism is \
        Mechanism.LOBBYING
    ask = next(c for c in commitments if c.text.startswith("Ask the Chief Constable to use the Clear, Hold, Build"))
    assert (ask.mechanism, ask.theme, ask.ref) == (Mechanism.ASK_CHIEF_CONSTABLE, "Safer neighbourhoods", "1.3")
    hold = next(c for c in commitments if c.text.startswith("Hold the Chief Constable to account for the timeliness"))
    assert hold.mechanism is Mechanism.HOLD_TO_ACCOUNT
    assert {c.status for c in commitments} == {Status.UNKNOWN}  # the plan reports no progress yet
    assert {c.lead for c in commitments} == {None}  # no lead is guessed


def test_performance_objectives_and_spr_threats(seeded):
    plan = seeded.plans.get("PCP-2025-29")
    objectives = seeded.plans.objectives(plan.id)
    assert [o["title"] for o in objectives] == ["Improve crime recording", "Reduce crime and anti-social behaviour",
                                                "Solve more crime", "Keep people safe"]
    assert "82.5% of all reported crime, 89.8% of sexual offences and 75.7% of violent offences" in \
        objectives[0]["baseline"]
    assert "lowest use of Domestic Violence Disclosure Scheme (Clare's Law)" in objectives[3]["baseline"]
    assert seeded.plans.spr_threats(plan.id) == [
        "Violence Against Women and Girls", "Terrorism", "Serious and Organised Crime", "National Cyber Incident",
        "Child Sexual Abuse", "Public Disorder", "Civil Emergencies"]


def test_cscj_plan_with_all_147_adp_actions(seeded):
    plan = seeded.plans.get("CSCJ-2022-27")
    assert plan.actions == 147 and not plan.is_current
    assert seeded.actions.status_counts(plan.id) == {"complete": 33, "in_progress": 86, "not_started": 27,
                                                     "unknown": 1, "on_hold": 0, "withdrawn": 0}
    themes = seeded.actions.themes(plan.id)
    assert themes == ["Prevention First & Evidence Based Policing", "Criminal Justice",
                      "Strategic Policing Requirement and National Policing Measures",
                      "Fairness, Equality, and Confidence in Policing", "Representing the Public"]
    history = seeded.query("SELECT DISTINCT source FROM action_history a JOIN actions x ON x.id = a.action_id "
                           "WHERE x.plan_id = ?", (plan.id,))
    assert history == [{"source": "seed: 004_8cb72b75a6a85661.txt"}]
    imports = seeded.query("SELECT file_name, rows FROM imports WHERE plan_id = ?", (plan.id,))
    assert imports == [{"file_name": "004_8cb72b75a6a85661.txt", "rows": 147}]


def test_peel_inspection_grades_and_findings(seeded):
    peel = next(i for i in seeded.findings.inspections() if i["code"] == "PEEL-2023-25")
    assert peel["published"] == dt.date(2024, 10, 16)
    grades = dict(peel["grades"])
    assert len([g for g in grades.values() if g != Grade.NOT_GRADED.value]) == 9
    assert grades["Recording data about crime"] == "inadequate"
    assert grades["Preventing and deterring crime and antisocial behaviour, and reducing vulnerability"] == "good"
    assert grades["Victim service"] == "not_graded"
    findings = seeded.findings.list(inspection_id=peel["id"])
    coc = next(f for f in findings if f.kind is FindingKind.CAUSE_OF_CONCERN)
    assert coc.text.startswith("The constabulary is failing to record reports of crime correctly")
    assert (coc.status, coc.closed_on) == (FindingStatus.CLOSED, dt.date(2025, 7, 11))
    assert "11 July 2025" in coc.closed_how
    afis = [f for f in findings if f.kind is FindingKind.AREA_FOR_IMPROVEMENT]
    assert len(afis) == 3
    linked = seeded.findings.linked_action_ids(coc.id)
    assert [seeded.actions.get(i).text[:40] for i in linked] == ["Monitor the Constabulary's response to t"]


def test_jtai_finding_linked_to_the_commitment_that_answers_it(seeded):
    jtai = next(i for i in seeded.findings.inspections() if i["kind"] == "JTAI")
    (finding,) = seeded.findings.list(inspection_id=jtai["id"])
    assert "safeguarding referrals" in finding.text
    (action_id,) = seeded.findings.linked_action_ids(finding.id)
    assert "Joint Area Targeted Inspection" in seeded.actions.get(action_id).text


def test_meetings_on_the_public_record_and_nothing_made_up(seeded):
    meetings = seeded.meetings.list()
    assert [m.date for m in meetings] == [dt.date(2024, 7, 18), dt.date(2024, 11, 14), dt.date(2025, 4, 1)]
    assert all(m.source and not m.demo for m in meetings)
    for table in ("plans", "inspections", "findings", "meetings", "questions"):
        assert seeded.scalar(f"SELECT count(*) FROM {table} WHERE demo = 1") == 0, table


@pytest.mark.parametrize("name", ["000_0c0d51d2b4e25ab8.txt", "001_594dc78550bb02c1.txt",
                                  "002_23e060ff699da373.txt", "003_ada6689284e74b3e.txt",
                                  "004_8cb72b75a6a85661.txt"])
def test_the_source_documents_travel_with_the_project(name):
    from accountability_tui.domain.resources import seed_dir

    assert (seed_dir() / "sources" / name).stat().st_size > 1000
