"""A new database holds the Police & Crime Plan 2025-29's four strategic performance objectives and measures for
what the plan names, with only the figures the plan gives: the three 2024 PEEL crime-recording rates. Every other
baseline is pending, in the plan's own words. The sample files of made-up figures say so, and fit the seed."""

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accountability_tui.domain.models import Direction, Unit
from accountability_tui.domain.periods import parse_period
from accountability_tui.domain.values import read_figure
from accountability_tui.services import Services

from conftest import PLAN_DOC

DOCS = Path(__file__).resolve().parents[2] / "docs"
TALL = DOCS / "sample-performance-figures-MADE-UP.csv"
WIDE_CSV = DOCS / "sample-performance-figures-MADE-UP-wide.csv"
WIDE_XLSX = DOCS / "sample-performance-figures-MADE-UP-wide.xlsx"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


def test_the_four_strategic_performance_objectives(seeded):
    plan = seeded.plans.get("PCP-2025-29")
    objectives = seeded.measures.objectives(force="Hertfordshire")
    assert [(o.number, o.title, o.priority_number, o.plan_id) for o in objectives] == [
        (1, "Improve crime recording", None, plan.id), (2, "Reduce crime and anti-social behaviour", 3, plan.id),
        (3, "Solve more crime", 5, plan.id), (4, "Keep people safe", 4, plan.id)]
    assert objectives[0].baseline.startswith("The starting point is that the 2024 PEEL inspection found")


def test_measures_for_what_the_plan_names(seeded):
    measures = seeded.measures.list(force="Hertfordshire")
    assert [(m.objective_number, m.name, m.unit, m.direction) for m in measures] == [
        (1, "Crime recording rate: all reported crime", Unit.PERCENT, Direction.HIGHER),
        (1, "Crime recording rate: sexual offences", Unit.PERCENT, Direction.HIGHER),
        (1, "Crime recording rate: violent offences", Unit.PERCENT, Direction.HIGHER),
        (2, "Recorded crime", Unit.COUNT, Direction.LOWER),
        (2, "Anti-social behaviour incidents", Unit.COUNT, Direction.LOWER),
        (3, "Charge/summons rate: victim-based crime", Unit.PERCENT, Direction.HIGHER),
        (3, "Investigations closed with no suspect identified", Unit.PERCENT, Direction.LOWER),
        (4, "Domestic Violence Protection Orders", Unit.COUNT, Direction.HIGHER),
        (4, "Clare's Law right-to-know applications", Unit.COUNT, Direction.HIGHER)]
    assert not any(m.demo or m.restricted for m in measures)
    history = seeded.query("SELECT DISTINCT field, source FROM measure_history")
    assert history == [{"field": "created", "source": "seed: hertfordshire.json"}]


def test_the_three_2024_peel_recording_rates_are_the_only_figures(seeded):
    baselines = {m.name: (m.baseline_value, m.baseline_period, m.baseline_source)
                 for m in seeded.measures.list() if m.baseline_value is not None}
    assert baselines == {
        "Crime recording rate: all reported crime": (82.5, "2024 PEEL inspection", "Police & Crime Plan 2025-29, p.22"),
        "Crime recording rate: sexual offences": (89.8, "2024 PEEL inspection", "Police & Crime Plan 2025-29, p.22"),
        "Crime recording rate: violent offences": (75.7, "2024 PEEL inspection", "Police & Crime Plan 2025-29, p.22"),
    }
    plan = _words(PLAN_DOC.read_text(encoding="utf-8"))
    assert "recording 82.5% of all reported crime, 89.8% of sexual offences and 75.7% of violent offences" in plan
    assert seeded.scalar("SELECT count(*) FROM measure_values") == 0  # no figure the documents do not give
    assert not any(m.target_value is not None for m in seeded.measures.list())


def test_every_other_baseline_is_pending_in_the_plans_own_words(seeded):
    plan = _words(PLAN_DOC.read_text(encoding="utf-8"))
    pending = [m for m in seeded.measures.list() if m.baseline_value is None]
    assert len(pending) == 6 and all(m.baseline_pending for m in pending)
    for measure in pending:
        assert _words(measure.baseline_note) in plan, measure.name  # quoted, never paraphrased
    crime = seeded.measures.find("Recorded crime")
    assert crime.baseline_note == ("The starting point will be known once improved crime recording practices have "
                                   "been seen in recorded crime data in 2025.")
    clare = seeded.measures.find("clare's law right-to-know applications")
    assert "lowest use of Domestic Violence Disclosure Scheme (Clare's Law)" in clare.baseline_note
    assert clare.baseline_period == "year to September 2023"
    assert parse_period(clare.baseline_period).end == dt.date(2023, 9, 30)


def test_the_dashboard_and_the_screen_can_show_the_baselines(seeded):
    groups = Services(seeded).measures.by_objective(dt.date(2026, 11, 22), force="Hertfordshire")
    assert [len(g.summaries) for g in groups] == [3, 2, 2, 2]
    first = groups[0].summaries[0]
    assert first.latest is None and first.measure.baseline_value == 82.5 and first.versus_baseline is None


# --- the sample files of made-up figures ------------------------------------------------------------------------

def _tall() -> dict[tuple[str, str], float]:
    with TALL.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows[0]) == 1 and rows[0][0].startswith("MADE-UP FIGURES, NOT REAL DATA")  # a note row: one cell
    assert rows[1] == ["Measure", "Period", "Value", "Source"]
    out = {}
    for name, period, value, source in rows[2:]:
        assert "MADE-UP" in source
        out[(name, parse_period(period).label)] = read_figure(value).value
    return out


def test_the_sample_files_say_they_are_made_up_and_fit_the_seeded_measures(seeded):
    figures = _tall()
    assert {name for name, _ in figures} == {m.name for m in seeded.measures.list()}
    for measure in seeded.measures.list():
        assert len([1 for name, _ in figures if name == measure.name]) >= 8  # at least 8 quarters each
    periods = {parse_period(p) for _, p in figures}
    assert all(p.months == 3 for p in periods)


def test_the_wide_samples_hold_the_same_figures():
    tall = _tall()
    with WIDE_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows[0]) == 1 and rows[0][0].startswith("MADE-UP FIGURES, NOT REAL DATA")
    header = rows[1]
    wide = {(r[0], parse_period(p).label): read_figure(v).value for r in rows[2:] for p, v in zip(header[1:], r[1:],
                                                                                                  strict=True)}
    assert wide == tall
    book = load_workbook(WIDE_XLSX)
    sheet = book["Performance"]
    assert str(sheet["A1"].value).startswith("MADE-UP FIGURES, NOT REAL DATA")
    cells = [row for row in sheet.iter_rows(min_row=3) if row[0].value]
    periods = [parse_period(c.value).label for c in cells[0][1:]]
    in_book = {}
    for row in cells[1:]:
        for period, cell in zip(periods, row[1:], strict=True):
            in_book[(row[0].value, period)] = read_figure(cell.value, percent_format="%" in cell.number_format).value
    assert in_book == pytest.approx(tall)


def test_a_database_made_before_measures_gets_the_plans_measures_once(tmp_path):
    import json
    import shutil

    from accountability_tui.domain.resources import seed_dir
    from accountability_tui.services import seed
    from accountability_tui.store import Store

    older = tmp_path / "seed_data"
    shutil.copytree(seed_dir(), older)
    facts = json.loads((older / "hertfordshire.json").read_text(encoding="utf-8"))
    for plan in facts["plans"]:
        plan.pop("performance", None)  # the seed data as it was before performance measures
    (older / "hertfordshire.json").write_text(json.dumps(facts), encoding="utf-8")
    with Store.open(tmp_path / "old.db") as store:
        seed.build(store, older)
        assert store.measures.list() == [] and len(store.measures.objectives()) == 4
        assert seed.add_missing_performance(store) == 9
        assert [m.name for m in store.measures.list()][:3] == [
            "Crime recording rate: all reported crime", "Crime recording rate: sexual offences",
            "Crime recording rate: violent offences"]
        assert [o.priority_number for o in store.measures.objectives()] == [None, 3, 5, 4]
        before = store.dump()
        assert seed.add_missing_performance(store) == 0  # once
        assert store.dump() == before
