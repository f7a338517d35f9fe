"""Overdue: status not complete and due date before the as-of date."""

import datetime as dt

import pytest

from accountability_tui.domain.models import Status
from accountability_tui.store.actions import Filters

# Counted by hand from the ADP's timeframes and statuses (see the test's comments)
EXPECTED = [
    (dt.date(2023, 2, 2), 0),    # the report's date: nothing due yet (the earliest is Spring 2023)
    (dt.date(2023, 5, 31), 0),   # due today is not overdue
    (dt.date(2023, 6, 1), 3),    # Spring 2023: 3 in progress
    (dt.date(2023, 9, 1), 18),   # + Summer 2023 (12), "Spring/ Summer 2023", two "Summer 2023 ..." in progress
    (dt.date(2023, 12, 1), 51),  # + Autumn 2023 (19 in progress, 11 not started) and three worded forms
    (dt.date(2024, 6, 1), 64),   # + Spring 2024 (12), "Autumn 2023/ Spring 2024"
    (dt.date(2026, 11, 22), 70),  # + Summer 2024 (2), Autumn 2024 (3), Spring 2025 (1)
]


@pytest.mark.parametrize(("as_of", "count"), EXPECTED)
def test_overdue_counts_of_the_seeded_adp(seeded, as_of, count):
    plan = seeded.plans.get("CSCJ-2022-27")
    overdue = seeded.actions.overdue(as_of, plan.id)
    assert len(overdue) == count
    assert seeded.actions.count(Filters(plan_id=plan.id, overdue_as_of=as_of)) == count
    assert sum(g.overdue for g in seeded.actions.counts(plan.id, as_of)) == count
    assert all(a.status is not Status.COMPLETE and a.due < as_of for a in overdue)
    assert all(a.days_overdue(as_of) == (as_of - a.due).days for a in overdue)


def test_the_current_plan_has_nothing_overdue_because_it_sets_no_deadlines(seeded):
    plan = seeded.plans.get("PCP-2025-29")
    assert seeded.actions.overdue(dt.date(2030, 1, 1), plan.id) == []


def test_completing_an_action_takes_it_off_the_overdue_list(seeded):
    as_of = dt.date(2023, 6, 1)
    first = seeded.actions.overdue(as_of)[0]
    seeded.actions.update(first.id, first.version, status=Status.COMPLETE, note="Delivered")
    assert first.id not in {a.id for a in seeded.actions.overdue(as_of)}
