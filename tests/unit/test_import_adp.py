"""The Annual Delivery Plan text table, imported by the project's own importer, as the seed does."""

import datetime as dt

from accountability_tui.domain.models import Status
from accountability_tui.importers import import_file, parse_table

from conftest import ADP


def test_seed_adp_imports_as_147_actions_with_its_real_counts(store):
    report = import_file(store, ADP, plan="CSCJ-2022-27")
    assert report.actions == 147
    assert report.by_status == {"complete": 33, "in_progress": 86, "not_started": 27, "unknown": 1, "on_hold": 0,
                                "withdrawn": 0}
    assert report.created == 147
    assert [(w.ref, w.message) for w in report.warnings] == [("46", "action 46 has no status; recorded as unknown")]
    assert store.actions.by_ref(store.plans.get("CSCJ-2022-27").id, "46").status is Status.UNKNOWN


def test_rows_continuing_over_several_lines_are_joined():
    rows = {r.ref: r for r in parse_table(ADP).rows}
    assert rows["35"].text == ("To scope the viability of introducing the drug test on arrest programme to all "
                               "perpetrators arrested for Domestic Abuse where Class A drug use is suspected to be "
                               "contributing to commission of the offence.")
    assert rows["35"].explanation.endswith("in both custody suites in Hertfordshire.")
    assert "Integrated Performance Framework The OPCC and Constabulary held a meeting" in rows["1"].explanation
    assert [r.ref for r in parse_table(ADP).rows] == [str(n) for n in range(1, 148)]


def test_html_fragments_and_placeholder_links_become_clean_text():
    rows = parse_table(ADP).rows
    for row in rows:
        for value in (row.text, row.explanation or ""):
            assert "<p>" not in value and "</p>" not in value and "<ul" not in value and "<li" not in value
            assert "](#)" not in value
    by_ref = {r.ref: r for r in rows}
    assert by_ref["142"].text.startswith("Investigate the viability of Hertfordshire Constabulary")
    assert by_ref["3"].explanation.startswith("The Constabulary has commissioned a detailed theory of change")


def test_statuses_map_by_their_start_and_keep_the_text_as_written():
    by_ref = {r.ref: r for r in parse_table(ADP).rows}
    assert by_ref["24"].status is Status.NOT_STARTED
    assert by_ref["24"].status_text == "Not started yet – phase 2"
    assert by_ref["13"].status is Status.COMPLETE and by_ref["13"].status_text == "Completed"


def test_timeframes_are_kept_as_written_and_give_due_dates():
    by_ref = {r.ref: r for r in parse_table(ADP).rows}
    assert (by_ref["25"].timeframe, by_ref["25"].due) == ("Summer 2023/ Autumn 2023", dt.date(2023, 11, 30))
    assert (by_ref["1"].timeframe, by_ref["1"].due) == ("Ongoing", None)
    assert (by_ref["4"].timeframe, by_ref["4"].due) == ("Spring 2024", dt.date(2024, 5, 31))
    assert (by_ref["21"].timeframe, by_ref["21"].due) == (None, None)
    assert by_ref["9"].plan_page == "51"
    dues = [r for r in by_ref.values() if r.timeframe == "Autumn 2023 for the evaluation"]
    assert len(dues) == 1 and dues[0].due == dt.date(2023, 11, 30)


def test_a_section_heading_row_becomes_the_theme():
    rows = {r.ref: r for r in parse_table(ADP).rows}
    assert rows["9"].theme is None
    assert rows["10"].theme == "Criminal Justice"


def test_second_import_changes_nothing(store):
    import_file(store, ADP, plan="CSCJ-2022-27")
    before = store.query("SELECT * FROM actions ORDER BY id"), store.query("SELECT * FROM action_history ORDER BY id")
    report = import_file(store, ADP)  # no --plan: the plan the file is known to belong to
    after = store.query("SELECT * FROM actions ORDER BY id"), store.query("SELECT * FROM action_history ORDER BY id")
    assert report.plan == "CSCJ-2022-27" and not report.plan_created
    assert (report.created, report.updated, report.unchanged) == (0, 0, 147)
    assert before == after
    assert store.actions.count() == 147


def test_a_changed_file_updates_in_place_and_records_history(store, tmp_path):
    import_file(store, ADP, plan="CSCJ-2022-27")
    text = ADP.read_text(encoding="utf-8")
    changed = text.replace(
        "4\tEncourage local authority partners and the police to work together with the building sector to adopt "
        "higher prevention standards.\tNot started\t\tSpring 2024",
        "4\tEncourage local authority partners and the police to work together with the building sector to adopt "
        "higher prevention standards.\tIn progress\tWork has begun.\tSummer 2024")
    assert changed != text
    edited = tmp_path / ADP.name
    edited.write_text(changed, encoding="utf-8")
    report = import_file(store, edited)  # same file name, new bytes: still the CSCJ plan
    assert (report.plan, report.created, report.updated) == ("CSCJ-2022-27", 0, 1)
    plan_id = store.plans.get("CSCJ-2022-27").id
    action = store.actions.by_ref(plan_id, "4")
    assert action.status is Status.IN_PROGRESS
    assert action.explanation == "Work has begun."
    assert action.timeframe == "Summer 2024"
    assert action.baseline_due == dt.date(2024, 5, 31) and action.due == dt.date(2024, 8, 31)
    assert action.version == 2
    changes = {h.field: (h.old_value, h.new_value) for h in store.actions.history(action.id) if h.version == 2}
    assert changes == {"status": ("not_started", "in_progress"), "explanation": (None, "Work has begun."),
                       "timeframe": ("Spring 2024", "Summer 2024"), "due": ("2024-05-31", "2024-08-31")}
    assert all(h.who and h.at and h.source == f"import: {ADP.name}" for h in store.actions.history(action.id))
    assert store.actions.count() == 147


def test_dry_run_reports_and_changes_nothing(store):
    before = store.dump()
    report = import_file(store, ADP, plan="CSCJ-2022-27", dry_run=True)
    assert report.dry_run and report.actions == 147 and report.created == 147
    assert store.dump() == before
