"""CSV and XLSX delivery-plan tables as other offices keep them."""

import datetime as dt

import pytest

from accountability_tui.domain.errors import UsageError
from accountability_tui.domain.models import Rag, Status
from accountability_tui.importers import import_file

from tablefiles import HEADER, ROWS, write_csv, write_xlsx


def _check_rows(store, plan="DP"):
    plan_id = store.plans.get(plan).id
    a1 = store.actions.by_ref(plan_id, "A1")
    assert a1.text == "Ask the Chief Constable to publish a burglary plan"
    assert (a1.lead, a1.status, a1.rag, a1.plan_page) == ("Constabulary", Status.IN_PROGRESS, Rag.AMBER, "12")
    assert (a1.timeframe, a1.due, a1.explanation) == ("March 2024", dt.date(2024, 3, 31), "Draft seen by the OPCC")
    a2 = store.actions.by_ref(plan_id, "A2")
    assert a2.text == "Work with councils on café safety — “late-night” venues"
    assert (a2.status, a2.rag, a2.due) == (Status.COMPLETE, Rag.GREEN, dt.date(2024, 3, 31))
    a3 = store.actions.by_ref(plan_id, "A3")
    assert (a3.status, a3.rag, a3.due) == (Status.NOT_STARTED, Rag.RED, dt.date(2024, 12, 31))
    assert a3.mechanism.value == "lobbying"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_any_common_encoding_and_delimiter(store, tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "plan.csv", delimiter=delimiter, encoding=encoding)
    report = import_file(store, path, plan="DP")
    assert report.actions == 4
    assert report.by_status == {"in_progress": 1, "complete": 1, "not_started": 1, "unknown": 1, "on_hold": 0,
                                "withdrawn": 0}
    _check_rows(store)


def test_unreadable_status_and_timeframe_are_imported_with_warnings_naming_the_ref(store, tmp_path):
    report = import_file(store, write_csv(tmp_path / "plan.csv"), plan="DP")
    messages = {(w.ref, w.message) for w in report.warnings}
    assert ("A4", "action A4: status 'Stalled' not understood; recorded as unknown") in messages
    assert any(ref == "A4" and "when funding allows" in m for ref, m in messages)
    a4 = store.actions.by_ref(store.plans.get("DP").id, "A4")
    assert (a4.status, a4.status_text, a4.due, a4.timeframe) == (Status.UNKNOWN, "Stalled", None,
                                                                   "when funding allows")


def test_xlsx_first_sheet_with_a_title_above_the_header(store, tmp_path):
    path = write_xlsx(tmp_path / "plan.xlsx", preamble=[["Delivery plan 2024"], []])
    report = import_file(store, path, plan="DP")
    assert report.actions == 4
    _check_rows(store)


def test_xlsx_named_sheet_and_real_dates_and_numbers(store, tmp_path):
    rows = [[1, "Ask the Chief Constable to review stop and search", "Constabulary", "In progress", "",
             dt.datetime(2025, 3, 31), "Amber", 7.0],
            [2, "Fund a youth diversion scheme", "OPCC", "Completed", "", None, "", None]]
    path = write_xlsx(tmp_path / "tracker.xlsx", sheets={"2025": [["No.", "Commitment", "Owner", "Progress",
                                                                   "Comments", "Due date", "R/A/G", "Page"], *rows]})
    report = import_file(store, path, plan="TRK", sheet="2025")
    assert report.actions == 2
    plan_id = store.plans.get("TRK").id
    one = store.actions.by_ref(plan_id, "1")
    assert (one.due, one.timeframe, one.plan_page, one.lead) == (dt.date(2025, 3, 31), "2025-03-31", "7",
                                                                  "Constabulary")
    assert store.actions.by_ref(plan_id, "2").status is Status.COMPLETE


def test_header_synonyms(store, tmp_path):
    header = ["ID", "Project", "Lead agency", "Status this reporting period", "Explanation", "Timescale", "RAG",
              "CSCJ Plan page"]
    report = import_file(store, write_csv(tmp_path / "p.csv", header=header), plan="DP")
    assert report.actions == 4
    _check_rows(store)


def test_column_override(store, tmp_path):
    header = ["Ref", "What we will do", "Lead", "State", "Progress update", "Target date", "RAG", "Plan page"]
    path = write_csv(tmp_path / "p.csv", header=header)
    report = import_file(store, path, plan="DP", columns=["text=What we will do", "status=State"])
    assert report.actions == 4
    _check_rows(store)


def test_column_override_naming_a_missing_column_is_a_usage_error(store, tmp_path):
    path = write_csv(tmp_path / "p.csv")
    with pytest.raises(UsageError, match="no such column"):
        import_file(store, path, plan="DP", columns=["text=Nope"])
    with pytest.raises(UsageError, match="unknown field"):
        import_file(store, path, plan="DP", columns=["colour=RAG"])


def test_without_plan_the_plan_is_named_after_the_file(store, tmp_path):
    report = import_file(store, write_csv(tmp_path / "Delivery plan 2024.csv"))
    assert report.plan == "DELIVERY-PLAN-2024" and report.plan_created
    again = import_file(store, tmp_path / "Delivery plan 2024.csv")
    assert again.plan == "DELIVERY-PLAN-2024" and not again.plan_created and again.unchanged == 4


def test_reimport_updates_in_place_and_never_duplicates(store, tmp_path):
    path = write_csv(tmp_path / "plan.csv")
    import_file(store, path, plan="DP")
    rows = [list(r) for r in ROWS]
    rows[0][3] = "Completed"
    rows[0][6] = "Green"
    write_csv(path, HEADER, rows)
    report = import_file(store, path, plan="DP")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert store.actions.count() == 4
    a1 = store.actions.by_ref(store.plans.get("DP").id, "A1")
    assert (a1.status, a1.rag, a1.version) == (Status.COMPLETE, Rag.GREEN, 2)
    fields = [h.field for h in store.actions.history(a1.id)]
    assert fields == ["created", "status", "rag"]


def test_a_file_without_a_status_column_never_overwrites_statuses(store, tmp_path):
    import_file(store, write_csv(tmp_path / "plan.csv"), plan="DP")
    header = ["Ref", "Action"]
    rows = [[r[0], r[1]] for r in ROWS]
    report = import_file(store, write_csv(tmp_path / "texts.csv", header, rows), plan="DP")
    assert report.updated == 0
    assert store.actions.by_ref(store.plans.get("DP").id, "A1").status is Status.IN_PROGRESS
