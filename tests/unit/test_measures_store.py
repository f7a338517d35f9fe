"""Performance measures in the store: the schema, measures and their history, the upsert of figures (all or nothing,
a second identical upsert changing nothing), summaries at an as-of date in few queries, force scoping, and the link
from a question to a measure. Real temporary databases, made through the store."""

import datetime as dt
import sqlite3

import pytest

from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import Direction, Movement, Unit
from accountability_tui.domain.periods import PeriodKind, parse_period
from accountability_tui.domain.records import MeasureValueIn, Plan, Priority
from accountability_tui.services import Services

AS_OF = dt.date(2025, 11, 1)


def fig(measure, period, value, **extra):
    return MeasureValueIn.of(measure, parse_period(period), value, **extra)


@pytest.fixture
def plan(store):
    """Two forces' plans: Hertfordshire's (current) with two objectives, Kent's with one."""
    herts = store.plans.add(Plan(code="PCP", title="Plan", is_current=True))
    store.plans.set_priorities(herts, [Priority(number=1, title="Safer"), Priority(number=2, title="Justice")])
    kent = store.plans.add(Plan(code="KENT", title="Kent plan", force="Kent"))
    return {
        "herts": herts, "kent": kent,
        "recording": store.measures.add_objective(herts, 1, "Improve crime recording"),
        "solve": store.measures.add_objective(herts, 2, "Solve more crime",
                                              priority_id=store.plans.priority_id(herts, 2)),
        "kent_objective": store.measures.add_objective(kent, 1, "Cut crime"),
    }


@pytest.fixture
def rate(store, plan):
    return store.measures.add({"name": "Crime recording rate", "unit": "%", "direction": "higher",
                               "objective_id": plan["recording"], "baseline_value": 82.5,
                               "baseline_period": "2024 PEEL inspection", "baseline_source": "plan p.22",
                               "position": 1})


def quarters(measure, first_year, values, **extra):
    periods = [f"Q{q} {y}/{(y + 1) % 100:02d}" for y in range(first_year, first_year + 10) for q in (1, 2, 3, 4)]
    return [fig(measure, p, v, **extra) for p, v in zip(periods, values, strict=False)]


# --- the schema -------------------------------------------------------------------------------------------------

def test_the_migration_makes_the_tables_and_the_indexes(store):
    tables = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"measures", "measure_values", "measure_history"} <= tables
    columns = {r["name"] for r in store.query("SELECT name FROM pragma_table_info('questions')")}
    assert "measure_id" in columns
    assert "priority_id" in {r["name"] for r in store.query("SELECT name FROM pragma_table_info('performance_objectives')")}
    indexes = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"measures_objective", "measure_values_imported", "measure_history_measure", "questions_measure"} <= indexes


def test_measure_history_is_append_only(store, rate):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with store.write() as db:
            db.conn.execute("UPDATE measure_history SET who = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with store.write() as db:
            db.conn.execute("DELETE FROM measure_history")


def test_reads_seek_the_index_and_never_scan_the_values(store, rate):
    latest = store.query(
        "EXPLAIN QUERY PLAN SELECT x.id FROM measure_values x WHERE x.measure_id = ? AND x.period_end <= ? "
        "ORDER BY x.period_end DESC, x.period_start DESC LIMIT 1", (rate, "2025-01-01"))
    details = " ".join(r["detail"] for r in latest)
    assert "USING COVERING INDEX sqlite_autoindex_measure_values_1" in details and "TEMP B-TREE" not in details
    ordered = store.query("EXPLAIN QUERY PLAN SELECT * FROM measure_values WHERE measure_id IN (1, 2) "
                          "ORDER BY measure_id, period_end, period_start")
    details = " ".join(r["detail"] for r in ordered)
    assert "USING INDEX sqlite_autoindex_measure_values_1" in details and "TEMP B-TREE" not in details


# --- measures ---------------------------------------------------------------------------------------------------

def test_a_measure_is_made_found_by_name_and_its_history_starts(store, rate):
    measure = store.measures.get(rate)
    assert (measure.name, measure.unit, measure.direction, measure.objective_number, measure.baseline_value) == (
        "Crime recording rate", Unit.PERCENT, Direction.HIGHER, 1, 82.5)
    assert measure.force == "Hertfordshire" and measure.version == 1 and not measure.baseline_pending
    assert store.measures.find("  crime   RECORDING rate") == measure
    assert store.measures.find("Crime recording rate", "Kent") is None
    assert [(h.field, h.new_value) for h in store.measures.history(rate)] == [("created", "Crime recording rate")]
    with pytest.raises(ValidationFailed, match="has a measure 'Crime recording rate' already"):
        store.measures.add({"name": "CRIME recording  rate"})
    with pytest.raises(NotFound):
        store.measures.get(999)


def test_a_measure_belongs_to_one_force(store, plan, rate):
    kent = store.measures.add({"name": "Crime recording rate", "force": "Kent", "objective_id": plan["kent_objective"]})
    assert kent != rate and store.measures.find("crime recording rate", "Kent").id == kent
    assert [m.id for m in store.measures.list(force="Kent")] == [kent]
    assert store.measures.forces() == ["Hertfordshire", "Kent"]
    with pytest.raises(ValidationFailed, match="is Kent's, not Hertfordshire's"):
        store.measures.add({"name": "Other", "objective_id": plan["kent_objective"]})
    assert [o.title for o in store.measures.objectives(force="Kent")] == ["Cut crime"]
    assert [o.number for o in store.measures.objectives(force="Hertfordshire")] == [1, 2]


def test_measures_are_listed_by_objective_then_position(store, plan, rate):
    solve = store.measures.add({"name": "Charge rate", "objective_id": plan["solve"], "position": 1})
    loose = store.measures.add({"name": "Made by an import"})
    second = store.measures.add({"name": "Recording: sexual offences", "objective_id": plan["recording"],
                                 "position": 2})
    assert [m.id for m in store.measures.list()] == [rate, second, solve, loose]
    assert [m.id for m in store.measures.list(objective_id=plan["recording"])] == [rate, second]
    assert [m.id for m in store.measures.list(no_objective=True)] == [loose]
    assert [m.id for m in store.measures.list(ids=[loose, rate])] == [rate, loose]


def test_a_change_of_a_measure_is_kept_in_its_history_and_a_stale_edit_refused(store, rate):
    measure = store.measures.get(rate)
    changed = store.measures.update(rate, measure.version, target_value=90.0, direction=Direction.HIGHER,
                                    note="target agreed")
    assert changed.target_value == 90.0 and changed.version == 2
    last = store.measures.history(rate)[-1]
    assert (last.field, last.old_value, last.new_value, last.note, last.version) == (
        "target_value", None, "90", "target agreed", 2)
    assert store.measures.update(rate, 2, target_value=90.0) == changed  # nothing changed: no new version
    with pytest.raises(Conflict, match="was changed by"):
        store.measures.update(rate, measure.version, unit="count")
    renamed = store.measures.update(rate, 2, name="Crime recorded (all)", restricted=True)
    assert store.measures.find("crime recorded (all)") == renamed and renamed.restricted
    other = store.measures.add({"name": "Other"})
    with pytest.raises(ValidationFailed, match="already"):
        store.measures.update(other, 1, name="CRIME RECORDED (ALL)")
    with pytest.raises(ValidationFailed, match="baseline value"):
        store.measures.update(other, 1, baseline_value=float("nan"))
    with pytest.raises(TypeError):
        store.measures.update(other, 1, version=7)


# --- the upsert of figures --------------------------------------------------------------------------------------

def test_an_upsert_adds_figures_and_a_second_identical_one_changes_nothing(store, rate):
    values = quarters("Crime recording rate", 2023, [83.0, 84.2, 85.1, 86.0, 87.4, 88.9, 90.2, 91.0])
    first = store.measures.upsert_values(values, source="import: pack.csv")
    assert (first.measures, first.values, first.new, first.changed, first.unchanged, first.new_measures) == (
        1, 8, 8, 0, 0, [])
    assert store.measures.get(rate).version == 2
    added = store.measures.history(rate)[-1]
    assert (added.field, added.new_value, added.note, added.source) == (
        "values_added", "8", "Q1 2023/24 to Q4 2024/25", "import: pack.csv")
    before = store.dump()
    again = store.measures.upsert_values(values, source="import: pack.csv")
    assert (again.new, again.changed, again.unchanged, again.changes) == (0, 0, 8, [])
    assert store.dump() == before  # nothing written: no version, no history, no time


def test_a_changed_figure_is_updated_in_place_and_recorded(store, rate):
    store.measures.upsert_values(quarters("Crime recording rate", 2023, [83.0, 84.2, 85.1]), source="import: a.csv")
    # the same period written another way, a new figure, another source
    result = store.measures.upsert_values([fig("crime recording RATE", "2023/24 Q2", 84.6, source="pack B")],
                                          source="import: b.csv")
    assert (result.new, result.changed, result.unchanged) == (0, 1, 0)
    assert [(c.measure, c.period, c.old, c.new) for c in result.changes] == [
        ("Crime recording rate", "Q2 2023/24", 84.2, 84.6)]
    values = store.measures.values(rate)
    assert [(v.period, v.value) for v in values] == [("Q1 2023/24", 83.0), ("Q2 2023/24", 84.6),
                                                     ("Q3 2023/24", 85.1)]  # kept as first written
    assert values[1].source == "pack B" and values[0].source == "import: a.csv"
    change = store.measures.history(rate)[-1]
    assert (change.field, change.period, change.period_start, change.period_end, change.old_value,
            change.new_value, change.source, change.version) == (
        "value", "Q2 2023/24", dt.date(2023, 7, 1), dt.date(2023, 9, 30), "84.2", "84.6", "import: b.csv", 3)
    assert store.measures.get(rate).version == 3


def test_a_new_target_or_restriction_is_a_change_too(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", "Apr 2025", 90.0)], source="s")
    result = store.measures.upsert_values([fig("Crime recording rate", "Apr 2025", 90.0, target=92.0,
                                               restricted=True)], source="s")
    assert result.changed == 1 and result.changes == []  # no figure changed
    assert [h.field for h in store.measures.history(rate)[-2:]] == ["target", "restricted"]
    value = store.measures.values(rate)[0]
    assert value.target == 92.0 and value.restricted


def test_a_name_the_force_has_no_measure_for_makes_a_new_measure(store, rate):
    result = store.measures.upsert_values(
        [fig("Crime recording rate", "Apr 2025", 90.0), fig("Calls answered in 10 seconds", "Apr 2025", 87.0,
                                                            unit=Unit.PERCENT),
         fig("calls ANSWERED in 10 seconds", "May 2025", 88.0), fig("999 calls", "Apr 2025", 40_000)],
        source="import: pack.csv")
    assert result.new_measures == ["Calls answered in 10 seconds", "999 calls"]
    assert (result.measures, result.new) == (3, 4)
    calls = store.measures.find("Calls answered in 10 seconds")
    assert (calls.unit, calls.direction, calls.objective_id, calls.version) == (Unit.PERCENT, None, None, 1)
    assert store.measures.find("999 calls").unit is None  # nothing showed its unit: not guessed
    assert [h.field for h in store.measures.history(calls.id)] == ["created", "values_added"]
    assert [v.value for v in store.measures.values(calls.id)] == [87.0, 88.0]
    kent = store.measures.upsert_values([fig("Crime recording rate", "Apr 2025", 70.0)], source="s", force="Kent")
    assert kent.new_measures == ["Crime recording rate"]  # Kent's own measure, not Hertfordshire's
    assert store.measures.values(rate)[0].value == 90.0


def test_the_same_period_twice_is_one_figure_or_refused(store, rate):
    same = store.measures.upsert_values([fig("Crime recording rate", "Q1 2024/25", 90.0),
                                         fig("crime recording rate", "Apr-Jun 2024", 90.0)], source="s")
    assert (same.values, same.new) == (1, 1)
    before = store.dump()
    with pytest.raises(ValidationFailed, match="two figures for Q1 2024/25: 91 and 92 .2024/25 Q1.; keep one"):
        store.measures.upsert_values([fig("Crime recording rate", "Q1 2024/25", 91.0),
                                      fig("Crime recording rate", "2024/25 Q1", 92.0)], source="s")
    assert store.dump() == before


def test_an_upsert_is_all_or_nothing(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", "Apr 2025", 90.0)], source="s")
    before = store.dump()
    good = fig("Crime recording rate", "Apr 2025", 95.0)
    new = fig("A new measure", "May 2025", 1.0)
    broken = MeasureValueIn.model_construct(**{**fig("Crime recording rate", "May 2025", 1.0).__dict__,
                                               "kind": PeriodKind.MONTH, "start": dt.date(2025, 6, 1),
                                               "end": dt.date(2025, 5, 31)})  # fails the table's check
    with pytest.raises(sqlite3.IntegrityError):
        store.measures.upsert_values([good, new, broken], source="s")
    assert store.dump() == before  # the new measure, the changed figure, the history: none of it kept


def test_a_dry_run_says_what_would_change_and_writes_nothing(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", "Apr 2025", 90.0)], source="s")
    before = store.dump()
    values = [fig("Crime recording rate", "Apr 2025", 91.0), fig("Crime recording rate", "May 2025", 92.0),
              fig("New one", "May 2025", 3.0)]
    dry = store.measures.upsert_values(values, source="s", dry_run=True)
    assert store.dump() == before
    real = store.measures.upsert_values(values, source="s")
    assert dry.dry_run and not real.dry_run
    assert (dry.new, dry.changed, dry.unchanged, dry.new_measures, dry.changes) == (
        real.new, real.changed, real.unchanged, real.new_measures, real.changes) == (
        2, 1, 0, ["New one"], dry.changes)


def test_a_figure_that_is_not_finite_never_enters(store, rate):
    with pytest.raises(ValidationFailed, match="finite"):
        store.measures.upsert_values([{"measure": "Crime recording rate", "period": "Apr 2025", "kind": "month",
                                       "start": "2025-04-01", "end": "2025-04-30", "value": float("inf")}],
                                     source="s")
    with pytest.raises(ValidationFailed, match="ends before it starts"):
        fig_dict = {"measure": "x", "period": "Apr 2025", "kind": "month", "start": "2025-04-30",
                    "end": "2025-04-01", "value": 1.0}
        store.measures.upsert_values([fig_dict], source="s")


# --- reading figures --------------------------------------------------------------------------------------------

def test_values_come_in_period_order(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", p, v) for p, v in
                                  [("Q3 2024/25", 3.0), ("Q1 2024/25", 1.0), ("2023/24", 0.0), ("Q2 2024/25", 2.0)]],
                                 source="s")
    values = store.measures.values(rate)
    assert [v.label for v in values] == ["2023/24", "Q1 2024/25", "Q2 2024/25", "Q3 2024/25"]
    assert [v.end for v in values] == sorted(v.end for v in values)
    assert [v.value for v in store.measures.values(rate, until=dt.date(2024, 9, 30))] == [0.0, 1.0, 2.0]
    assert store.measures.values_of([rate, 999]) == {rate: values}
    assert values[0].as_period == parse_period("2023/24") and values[0].kind is PeriodKind.FINANCIAL_YEAR


def test_summaries_at_an_as_of_date(store, plan, rate):
    store.measures.upsert_values(quarters("Crime recording rate", 2023, [83.0, 84.2, 85.1, 86.0, 87.4, 88.9, 90.2,
                                                                         91.0, 91.8, 92.5]), source="s")
    crime = store.measures.add({"name": "Recorded crime", "unit": "count", "direction": "lower",
                                "objective_id": plan["solve"], "baseline_note": "will be known in 2025"})
    store.measures.upsert_values([fig("Recorded crime", "Q2 2024/25", 27_280), fig("Recorded crime", "Q2 2025/26",
                                                                                  25_480)], source="s")
    empty = store.measures.add({"name": "No figures yet", "direction": "higher"})
    summaries = {s.measure.id: s for s in store.measures.summaries(AS_OF)}
    s = summaries[rate]
    assert (s.latest.period, s.latest.value, s.year_earlier.period, s.year_earlier.value) == (
        "Q2 2025/26", 92.5, "Q2 2024/25", 88.9)
    assert (s.change_year, s.versus_year, s.change_baseline, s.versus_baseline) == (3.6, Movement.BETTER, 10.0,
                                                                                   Movement.BETTER)
    c = summaries[crime]
    assert (c.change_year, c.versus_year, c.versus_baseline, c.measure.baseline_pending) == (
        -1800, Movement.BETTER, None, True)
    assert summaries[empty].latest is None and summaries[empty].versus_year is None
    # the latest value ends on or before the as-of date
    earlier = {s.measure.id: s for s in store.measures.summaries(dt.date(2025, 6, 29))}[rate]
    assert (earlier.latest.period, earlier.year_earlier.period) == ("Q4 2024/25", "Q4 2023/24")
    assert {s.measure.id: s for s in store.measures.summaries(dt.date(2025, 6, 30))}[rate].latest.period == \
        "Q1 2025/26"
    assert {s.measure.id: s for s in store.measures.summaries(dt.date(2023, 6, 29))}[rate].latest is None
    assert [s.measure.id for s in store.measures.summaries(AS_OF, objective_id=plan["solve"])] == [crime]


def test_of_two_figures_ending_the_same_day_the_latest_is_the_shorter_period(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", p, v) for p, v in [
        ("2024/25", 88.0), ("Q4 2024/25", 90.0), ("Mar 2025", 91.0), ("Mar 2024", 85.0), ("2023/24", 84.0)]],
        source="s")
    s = store.measures.summaries(dt.date(2025, 4, 15))[0]
    assert (s.latest.period, s.year_earlier.period) == ("Mar 2025", "Mar 2024")


def test_a_public_summary_leaves_out_what_is_restricted(store, rate):
    secret = store.measures.add({"name": "Restricted measure", "restricted": True})
    store.measures.upsert_values([fig("Crime recording rate", "Q1 2025/26", 90.0),
                                  fig("Crime recording rate", "Q2 2025/26", 91.0, restricted=True),
                                  fig("Restricted measure", "Q2 2025/26", 5.0)], source="s")
    full = store.measures.summaries(AS_OF)
    public = store.measures.summaries(AS_OF, public=True)
    assert [s.measure.id for s in full] == [rate, secret] and [s.measure.id for s in public] == [rate]
    assert full[0].latest.value == 91.0 and public[0].latest.value == 90.0
    assert [v.value for v in store.measures.values(rate, public=True)] == [90.0]


def test_summaries_of_many_measures_are_two_queries(store, plan):
    values = [fig(f"Measure {i}", p, float(i)) for i in range(60) for p in ("Q1 2024/25", "Q1 2025/26")]
    store.measures.upsert_values(values, source="s")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        summaries = store.measures.summaries(AS_OF, force="Hertfordshire")
    finally:
        store.conn.set_trace_callback(None)
    assert len(summaries) == 60 and all(s.year_earlier is not None for s in summaries)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_what_came_in_since_the_last_meeting(store, rate):
    store.measures.upsert_values([fig("Crime recording rate", "Q1 2025/26", 90.0)], source="s")
    store.measures.upsert_values([fig("Crime recording rate", "Q1 2025/26", 90.5)], source="s")
    today, tomorrow = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
    assert [(m.id, v.value) for m, v in store.measures.values_set_between(today, tomorrow)] == [(rate, 90.5)]
    assert store.measures.values_set_between(today, tomorrow, force="Kent") == []
    changes = store.measures.changes_between(today, tomorrow)
    assert [(m.id, h.old_value, h.new_value) for m, h in changes] == [(rate, "90", "90.5")]
    assert store.measures.values_set_between(tomorrow, tomorrow + dt.timedelta(days=1)) == []


# --- objectives and questions -----------------------------------------------------------------------------------

def test_an_objective_serves_a_priority_of_its_own_plan(store, plan):
    objective = store.measures.objective(plan["solve"])
    assert (objective.number, objective.title, objective.priority_number, objective.plan_code, objective.force) == (
        2, "Solve more crime", 2, "PCP", "Hertfordshire")
    assert objective.label == "2. Solve more crime"
    store.measures.set_objective_priority(plan["recording"], store.plans.priority_id(plan["herts"], 1))
    assert store.measures.objective(plan["recording"]).priority_number == 1
    with pytest.raises(ValidationFailed, match="not a priority of KENT"):
        store.measures.set_objective_priority(plan["kent_objective"], store.plans.priority_id(plan["herts"], 1))
    assert store.measures.objective_by_number(plan["herts"], 9) is None


def test_a_question_can_be_about_a_measure(store, rate):
    question_id = store.questions.add({"text": "How will recording reach 95%?"})
    version = store.questions.get(question_id).version
    assert store.measures.link_question(question_id, rate, expected_version=version)
    assert not store.measures.link_question(question_id, rate)  # linked so already
    assert store.measures.question_ids(rate) == [question_id]
    assert store.measures.measures_of_questions([question_id, 999]) == {question_id: rate}
    assert store.questions.get(question_id).version == version + 1
    entry = store.query("SELECT * FROM question_history WHERE question_id = ? ORDER BY id DESC", (question_id,))[0]
    assert (entry["field"], entry["old_value"], entry["new_value"], entry["note"]) == (
        "measure_id", None, str(rate), "Crime recording rate")
    with pytest.raises(Conflict):
        store.measures.link_question(question_id, None, expected_version=version)
    assert store.measures.link_question(question_id, None)
    assert store.measures.question_ids(rate) == []
    with pytest.raises(NotFound):
        store.measures.link_question(question_id, 999)
    with pytest.raises(NotFound):
        store.measures.link_question(999, rate)


# --- the service ------------------------------------------------------------------------------------------------

def test_the_service_over_the_store(store, plan, rate):
    services = Services(store)
    m = services.measures
    assert m.own_force() == "Hertfordshire"
    assert m.objective(2).title == "Solve more crime" and m.objective(1, force="Kent").title == "Cut crime"
    with pytest.raises(NotFound, match="no performance objective 7 for Hertfordshire .objectives: 1, 2."):
        m.objective(7)
    made = m.create({"name": "Charge/summons rate", "unit": "%", "direction": "higher",
                     "objective_id": plan["solve"]})
    assert made.force == "Hertfordshire" and m.find("charge / summons RATE") == made
    assert [x.id for x in m.measures(objective_number=2)] == [made.id]
    result = m.upsert_values([fig("Charge/summons rate", "Q1 2025/26", 7.6)], source="cli")
    assert result.new == 1 and m.values(made.id)[0].value == 7.6
    with pytest.raises(Conflict):
        m.update(made, target_value=8.0)  # as read before the figures came in: they made a new version
    made = m.get(made.id)
    groups = m.by_objective(AS_OF, force="Hertfordshire")
    assert [(g.title, [s.measure.name for s in g.summaries]) for g in groups] == [
        ("1. Improve crime recording", ["Crime recording rate"]), ("2. Solve more crime", ["Charge/summons rate"])]
    updated = m.update(made, note="agreed", target_value=8.0)
    assert updated.target_value == 8.0 and m.history(made.id)[-1].note == "agreed"
    with pytest.raises(Conflict):
        m.update(made, target_value=9.0)  # as read before the change
    loose = m.upsert_values([fig("Something new", "Q1 2025/26", 1.0)], source="cli")
    assert loose.new_measures == ["Something new"]
    assert m.by_objective(AS_OF)[-1].title == "Other measures"
