"""The mechanism of an imported action (issue 13, item 2): from a mechanism column, else from its wording and lead
by the rules the seed's plans are read with (domain.mechanisms, the one place they are written); counted in the
import report."""

from __future__ import annotations

import json

import pytest

from accountability_tui.cli import main
from accountability_tui.domain.errors import UsageError
from accountability_tui.domain.mechanisms import classify, read_mechanism
from accountability_tui.domain.models import Mechanism
from accountability_tui.importers import import_file, parse_table
from accountability_tui.importers.police_crime_plan import read_plan_document

from conftest import ADP, PLAN_DOC
from tablefiles import write_csv, write_xlsx

ASK, HOLD, OPCC, PARTNERS, LOBBYING = (Mechanism.ASK_CHIEF_CONSTABLE, Mechanism.HOLD_TO_ACCOUNT,
                                       Mechanism.OPCC_DELIVERS, Mechanism.PARTNERS, Mechanism.LOBBYING)


@pytest.mark.parametrize(("text", "lead", "mechanism"), [
    # the lead decides when the wording says nothing
    ("Deliver domestic abuse training to frontline officers", "Constabulary", ASK),
    ("Deliver domestic abuse training to frontline officers", "Hertfordshire Constabulary", ASK),
    ("Review the use of stop and search", "Herts Police", ASK),
    ("Review the use of stop and search", "Chief Constable", ASK),
    ("Review the use of stop and search", "OPCC", OPCC),
    ("Review the use of stop and search", "Office of the Police and Crime Commissioner", OPCC),
    ("Review the use of stop and search", "Hertfordshire County Council", PARTNERS),
    ("Review the use of stop and search", "CPS / Probation", PARTNERS),
    ("Review the use of stop and search", "OPCC and Constabulary", PARTNERS),  # more than one body
    ("Review the use of stop and search", "Constabulary with the CSPs", PARTNERS),
    ("Review the use of stop and search", "J. Smith", OPCC),  # a name tells nothing: the OPCC's own
    ("Review the use of stop and search", "", OPCC),
    ("Review the use of stop and search", None, OPCC),
    # the wording decides when it says the mechanism, whoever leads
    ("Ask the Chief Constable to publish a burglary plan", "OPCC", ASK),
    ("Ask the Chief Constable to publish a burglary plan", None, ASK),
    ("Hold the Chief Constable to account for 999 call handling", "OPCC", HOLD),
    ("Work with councils on night-time safety", "Constabulary", PARTNERS),
    ("Work in partnership with the NHS", None, PARTNERS),
    ("Lobby the Government for court capacity", "Constabulary", LOBBYING),
    ("Fund a youth diversion scheme", "Constabulary", OPCC),
    ("Commission a victims' service review", "Constabulary", OPCC),
    ("Fund/Commission specialist ISVA support", "Probation", OPCC),
    ("  - ask the chief constable to review …", "Councils", ASK),  # bullets and case ignored
])
def test_mechanism_from_wording_then_lead(text, lead, mechanism):
    assert classify(text, lead) is mechanism


@pytest.mark.parametrize(("written", "mechanism"), [
    ("Ask the Chief Constable", ASK), ("ask the chief constable", ASK), ("ASK_CHIEF_CONSTABLE", ASK),
    ("Hold to account", HOLD), ("hold_to_account", HOLD), ("OPCC delivers", OPCC), ("opcc delivers", OPCC),
    ("With partners", PARTNERS), ("partners", PARTNERS), ("Lobbying", LOBBYING), (" LOBBYING. ", LOBBYING),
    ("Fund/Commission", OPCC), ("", None), (None, None), ("Whenever", None),
])
def test_a_mechanism_is_read_by_its_label_case_ignored(written, mechanism):
    assert read_mechanism(written) is mechanism


def test_the_seed_reads_its_plans_by_the_same_rules():
    """One place: the plan document and the ADP get what classify gives their wording (neither has a lead)."""
    document = read_plan_document(PLAN_DOC)
    assert all(c.mechanism is classify(c.text) for c in document.commitments)
    adp = parse_table(ADP)
    assert all(r.mechanism is classify(r.text, r.lead) for r in adp.rows)
    counts = {m: sum(r.mechanism is m for r in adp.rows) for m in Mechanism}
    assert counts == {ASK: 21, HOLD: 13, OPCC: 80, PARTNERS: 31, LOBBYING: 2}  # as before issue 13


HEADER = ["Ref", "Action", "Lead", "Status", "Target date"]
ROWS = [
    ["A1", "Deliver domestic abuse training to frontline officers", "Hertfordshire Constabulary", "In progress",
     "March 2024"],
    ["A2", "Review the out-of-court resolutions panel", "OPCC", "Complete", "2023/24"],
    ["A3", "Set up a retail crime forum", "Herts County Council / BID", "Not started", "Q3 2024/25"],
    ["A4", "Lobby the Government for court capacity", "Constabulary", "Not started", ""],
    ["A5", "Ask the Chief Constable to publish a burglary plan", "OPCC", "In progress", ""],
]


def _mechanisms(store, plan="DP"):
    plan_id = store.plans.get(plan).id
    return {a.ref: a.mechanism for a in store.actions.list() if a.plan_id == plan_id}


def test_imported_rows_get_their_mechanism_from_wording_and_lead(store, tmp_path):
    report = import_file(store, write_csv(tmp_path / "t.csv", HEADER, ROWS), plan="DP")
    assert _mechanisms(store) == {"A1": ASK, "A2": OPCC, "A3": PARTNERS, "A4": LOBBYING, "A5": ASK}
    assert report.by_mechanism == {"ask_chief_constable": 2, "hold_to_account": 0, "opcc_delivers": 1,
                                   "partners": 1, "lobbying": 1}


def test_a_mechanism_column_is_read_by_its_labels(store, tmp_path):
    header = [*HEADER, "Mechanism"]
    rows = [[*ROWS[0], "with partners"], [*ROWS[1], "HOLD TO ACCOUNT"], [*ROWS[2], ""], [*ROWS[3], "Lobbying"],
            [*ROWS[4], "by magic"]]
    report = import_file(store, write_xlsx(tmp_path / "t.xlsx", header, rows), plan="DP")
    # A1, A2 as the column says; A3 blank and A5 unreadable: from wording and lead
    assert _mechanisms(store) == {"A1": PARTNERS, "A2": HOLD, "A3": PARTNERS, "A4": LOBBYING, "A5": ASK}
    assert [(w.ref, w.message) for w in report.warnings] == [
        ("A5", "action A5: mechanism 'by magic' not understood (it is one of: Ask the Chief Constable, Hold to "
               "account, OPCC delivers, With partners, Lobbying); read from its wording and lead as "
               "'Ask the Chief Constable'")]
    assert report.by_mechanism == {"ask_chief_constable": 1, "hold_to_account": 1, "opcc_delivers": 0,
                                   "partners": 2, "lobbying": 1}


def test_column_mechanism_names_the_column(store, tmp_path):
    header = [*HEADER, "How the PCC delivers it"]
    rows = [[*row, "OPCC delivers"] for row in ROWS]
    with pytest.raises(UsageError):  # a field the importer would not know without the column named
        import_file(store, write_csv(tmp_path / "t.csv", header, rows), plan="DP", columns=["mechanism=No such"])
    report = import_file(store, write_csv(tmp_path / "t.csv", header, rows), plan="DP",
                         columns=["mechanism=How the PCC delivers it"])
    assert set(_mechanisms(store).values()) == {OPCC} and report.by_mechanism["opcc_delivers"] == 5


def test_importing_a_changed_mechanism_again_records_the_change(store, tmp_path):
    header = [*HEADER, "Mechanism"]
    path = tmp_path / "t.csv"
    import_file(store, write_csv(path, header, [[*ROWS[0], ""]]), plan="DP")
    assert _mechanisms(store) == {"A1": ASK}
    report = import_file(store, write_csv(path, header, [[*ROWS[0], "Hold to account"]]), plan="DP")
    assert (report.updated, _mechanisms(store)) == (1, {"A1": HOLD})


def test_the_report_says_how_many_rows_got_each_mechanism(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--empty"]) == 0
    capsys.readouterr()
    path = write_csv(tmp_path / "t.csv", HEADER, ROWS)
    assert main(["import", str(path), "--db", str(db), "--plan", "DP", "--dry-run"]) == 0
    out, _ = capsys.readouterr()
    assert "mechanisms: 2 Ask the Chief Constable, 1 OPCC delivers, 1 With partners, 1 Lobbying" in out.splitlines()
    assert main(["import", str(path), "--db", str(db), "--plan", "DP", "--json"]) == 0
    out, _ = capsys.readouterr()
    assert json.loads(out)["by_mechanism"] == {"ask_chief_constable": 2, "hold_to_account": 0, "opcc_delivers": 1,
                                               "partners": 1, "lobbying": 1}
