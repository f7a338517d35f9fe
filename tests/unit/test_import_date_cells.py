"""Date cells in a delivery-plan tracker, read as the person meant them (issue 13, item 0).

A month-and-year format is that month; dates all on the 1st are months (one warning; --dates-as-days to read them
as days); any other date is that day; the timeframe kept is what the cell showed, through its own number format.
Trackers written by openpyxl here, and saved by LibreOffice (tests/fixtures/make_tracker_fixtures.py).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from accountability_tui.cli import main
from accountability_tui.importers import import_file, parse_table
from accountability_tui.importers.number_formats import render_date
from accountability_tui.importers.xlsx import read_sheet_rows

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
HEADER = ["Ref", "Action", "Lead", "Status", "Timescale"]
MARCH_1, MARCH_15 = dt.datetime(2016, 3, 1), dt.datetime(2016, 3, 15)


def tracker(path: Path, timescales: list[tuple[object, str | None]]) -> Path:
    """A tracker with one action a timescale: (cell value, its number format or None for openpyxl's own)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n, (value, code) in enumerate(timescales, start=1):
        sheet.append([f"1.{n}", f"Deliver action {n}", "OPCC", "In progress", value])
        if code is not None:
            sheet.cell(row=sheet.max_row, column=5).number_format = code
    book.save(path)
    return path


# --- the formatter --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "value", "shown"), [
    ("mmm-yy", MARCH_1, "Mar-16"),
    ("mmm\\-yy", MARCH_1, "Mar-16"),  # as LibreOffice writes it
    ("MMM-YY", MARCH_1, "Mar-16"),
    ("mmm yyyy", MARCH_1, "Mar 2016"),
    ("mmmm yyyy", MARCH_1, "March 2016"),
    ("mmmm\\ yyyy", MARCH_1, "March 2016"),
    ("mmmmm", MARCH_1, "M"),
    ("dd/mm/yyyy", MARCH_15, "15/03/2016"),
    ("dd/mm/yyyy", MARCH_1, "01/03/2016"),
    ("m/d/yy", MARCH_15, "3/15/16"),
    ("m/d/yy", MARCH_1, "3/1/16"),
    ("MM/DD/YY", MARCH_1, "03/01/16"),  # LibreOffice's en-US date
    ("mm-dd-yy", MARCH_15, "03-15-16"),
    ("d-mmm-yy", MARCH_15, "15-Mar-16"),
    ("d\\-mmm\\-yy", MARCH_1, "1-Mar-16"),
    ("d-mmm", MARCH_15, "15-Mar"),
    ("yyyy-mm-dd", MARCH_15, "2016-03-15"),
    ("yyyy\\-mm\\-dd", MARCH_15, "2016-03-15"),
    ("dd mmmm yyyy", MARCH_15, "15 March 2016"),
    ("dddd, d mmmm yyyy", MARCH_15, "Tuesday, 15 March 2016"),
    ("ddd d mmm yy", MARCH_15, "Tue 15 Mar 16"),
    ("[$-809]dd mmmm yyyy;@", MARCH_15, "15 March 2016"),
    ("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", MARCH_15, "Tuesday, March 15, 2016"),
    ('"Due "mmm yy', MARCH_1, "Due Mar 16"),
    ("[Red]dd/mm/yy;[Blue]@", MARCH_15, "15/03/16"),
    ("yyyy-mm-dd h:mm:ss", MARCH_15, "2016-03-15"),  # openpyxl's date-time format on a plain date: no time
    ("yyyy-mm-dd h:mm:ss", dt.datetime(2016, 3, 15, 14, 5, 9), "2016-03-15 14:05:09"),
    ("dd/mm/yyyy hh:mm", dt.datetime(2016, 3, 15, 9, 30), "15/03/2016 09:30"),
    ("d/m/yy h:mm AM/PM", dt.datetime(2016, 3, 15, 14, 5), "15/3/16 2:05 PM"),
    ("h:mm", dt.datetime(2016, 3, 15, 14, 5), "14:05"),
])
def test_a_date_is_rendered_through_its_number_format(code, value, shown):
    assert render_date(value, code) == shown


def test_the_reader_keeps_each_date_cell_as_the_sheet_shows_it(tmp_path):
    path = tracker(tmp_path / "t.xlsx", [(MARCH_1, "mmm-yy"), (MARCH_15, "dd/mm/yyyy"), ("Spring 2016", None)])
    rows = read_sheet_rows(path, path.name, None)
    assert [r.cells[4] for r in rows[1:]] == ["2016-03-01", "2016-03-15", "Spring 2016"]  # what it is
    assert [r.shown for r in rows[1:]] == [{4: "Mar-16"}, {4: "15/03/2016"}, None]  # what it showed
    assert [r.formats for r in rows[1:]] == [{4: "month"}, {4: "date"}, None]


# --- each format, through the importer (openpyxl) ---------------------------------------------------------------

@pytest.mark.parametrize(("value", "code", "timeframe", "due"), [
    (MARCH_1, "mmm-yy", "Mar-16", dt.date(2016, 3, 31)),
    (MARCH_1, "mmm yyyy", "Mar 2016", dt.date(2016, 3, 31)),
    (MARCH_1, "mmmm yyyy", "March 2016", dt.date(2016, 3, 31)),
    (MARCH_15, "mmm-yy", "Mar-16", dt.date(2016, 3, 31)),  # month and year shown: the month, whatever the day
    (dt.datetime(2016, 2, 1), "mmmm yyyy", "February 2016", dt.date(2016, 2, 29)),
    (MARCH_15, "dd/mm/yyyy", "15/03/2016", dt.date(2016, 3, 15)),
    (MARCH_15, "m/d/yy", "3/15/16", dt.date(2016, 3, 15)),
    (MARCH_15, "d-mmm-yy", "15-Mar-16", dt.date(2016, 3, 15)),
    (MARCH_15, "yyyy-mm-dd", "2016-03-15", dt.date(2016, 3, 15)),
    (MARCH_15, "dd mmmm yyyy", "15 March 2016", dt.date(2016, 3, 15)),
    (MARCH_15, "mm-dd-yy", "15/03/2016", dt.date(2016, 3, 15)),  # Excel's built-in short date, as the UK shows it
    (MARCH_15, None, "2016-03-15", dt.date(2016, 3, 15)),  # openpyxl's own yyyy-mm-dd h:mm:ss
    (dt.date(2016, 3, 15), None, "2016-03-15", dt.date(2016, 3, 15)),
])
def test_each_date_format_gives_the_timeframe_shown_and_its_due_date(tmp_path, value, code, timeframe, due):
    parsed = parse_table(tracker(tmp_path / "t.xlsx", [(value, code)]))
    (row,) = parsed.rows
    assert (row.timeframe, row.due) == (timeframe, due)
    assert not [w for w in parsed.warnings if "1st" in w.message]


# --- the dates all on the 1st -----------------------------------------------------------------------------------

def test_dates_all_on_the_1st_are_read_as_months_with_one_warning(tmp_path):
    path = tracker(tmp_path / "t.xlsx", [(dt.datetime(2016, m, 1), "dd/mm/yyyy") for m in (1, 2, 3)]
                   + [("Spring 2016", None), ("Ongoing", None)])
    parsed = parse_table(path)
    assert [(r.timeframe, r.due) for r in parsed.rows] == [
        ("01/01/2016", dt.date(2016, 1, 31)), ("01/02/2016", dt.date(2016, 2, 29)),
        ("01/03/2016", dt.date(2016, 3, 31)), ("Spring 2016", dt.date(2016, 5, 31)), ("Ongoing", None)]
    notes = [(w.ref, w.row, w.message) for w in parsed.warnings]
    assert notes == [(None, 1, "3 dates in 'Timescale' are all on the 1st: read as whole months; --dates-as-days to "
                               "read them as days")]


def test_dates_as_days_reads_them_as_days_and_says_nothing(tmp_path):
    path = tracker(tmp_path / "t.xlsx", [(dt.datetime(2016, m, 1), "dd/mm/yyyy") for m in (1, 2, 3)])
    parsed = parse_table(path, dates_as_days=True)
    assert [r.due for r in parsed.rows] == [dt.date(2016, 1, 1), dt.date(2016, 2, 1), dt.date(2016, 3, 1)]
    assert [r.timeframe for r in parsed.rows] == ["01/01/2016", "01/02/2016", "01/03/2016"]
    assert parsed.warnings == []


def test_dates_as_days_leaves_a_month_format_a_month(tmp_path):
    parsed = parse_table(tracker(tmp_path / "t.xlsx", [(MARCH_1, "mmm-yy")]), dates_as_days=True)
    assert parsed.rows[0].due == dt.date(2016, 3, 31)


def test_one_date_not_on_the_1st_makes_them_all_days(tmp_path):
    path = tracker(tmp_path / "t.xlsx", [(MARCH_1, "dd/mm/yyyy"), (dt.datetime(2016, 4, 30), "dd/mm/yyyy")])
    parsed = parse_table(path)
    assert [r.due for r in parsed.rows] == [dt.date(2016, 3, 1), dt.date(2016, 4, 30)]
    assert parsed.warnings == []


def test_month_formatted_cells_are_not_counted_in_the_warning(tmp_path):
    path = tracker(tmp_path / "t.xlsx", [(MARCH_1, "mmm-yy"), (dt.datetime(2016, 4, 1), "dd/mm/yyyy"),
                                         (dt.datetime(2016, 5, 17), "mmmm yyyy")])
    parsed = parse_table(path)
    assert [r.due for r in parsed.rows] == [dt.date(2016, 3, 31), dt.date(2016, 4, 30), dt.date(2016, 5, 31)]
    assert [w.message for w in parsed.warnings] == [
        "1 date in 'Timescale' is on the 1st: read as a whole month; --dates-as-days to read it as a day"]


def test_only_month_formats_need_no_warning(tmp_path):
    parsed = parse_table(tracker(tmp_path / "t.xlsx", [(MARCH_1, "mmm-yy"), (dt.datetime(2016, 4, 1), "mmm-yy")]))
    assert [r.due for r in parsed.rows] == [dt.date(2016, 3, 31), dt.date(2016, 4, 30)]
    assert parsed.warnings == []


def test_text_that_looks_like_a_date_is_read_as_text(tmp_path):
    """A text cell is read by the timeframe conventions (day-first), whatever the date cells around it."""
    parsed = parse_table(tracker(tmp_path / "t.xlsx", [("01/03/2016", "@"), (MARCH_1, "dd/mm/yyyy")]))
    assert [(r.timeframe, r.due) for r in parsed.rows] == [("01/03/2016", dt.date(2016, 3, 1)),
                                                           ("01/03/2016", dt.date(2016, 3, 31))]


# --- trackers saved by LibreOffice ------------------------------------------------------------------------------

def test_a_tracker_typed_into_libreoffice_gives_the_due_dates_of_the_same_tracker_as_csv(store):
    """The issue's case: "March 2016" typed into LibreOffice is a date cell on 1 March 2016 shown "03/01/16"."""
    xlsx = import_file(store, FIXTURES / "lo-tracker-typed.xlsx", plan="LO")
    csv = import_file(store, FIXTURES / "tracker-typed.csv", plan="CSV")
    assert [w.message for w in xlsx.warnings] == [
        "4 dates in 'Timescale' are all on the 1st: read as whole months; --dates-as-days to read them as days"]
    assert csv.warnings == []

    def actions(plan):
        plan_id = store.plans.get(plan).id
        return {a.ref: a for a in store.actions.list() if a.plan_id == plan_id}

    lo, text = actions("LO"), actions("CSV")
    assert {ref: a.due for ref, a in lo.items()} == {ref: a.due for ref, a in text.items()} == {
        "1.1": dt.date(2016, 2, 29), "1.2": dt.date(2016, 3, 31), "1.3": dt.date(2016, 1, 31),
        "1.4": dt.date(2016, 6, 30), "1.5": None, "1.6": dt.date(2016, 5, 31)}
    # the timeframe as each showed it: LibreOffice's MM/DD/YY, the CSV's text
    assert {ref: a.timeframe for ref, a in lo.items()} == {
        "1.1": "02/01/16", "1.2": "03/01/16", "1.3": "01/01/16", "1.4": "06/01/16", "1.5": "Ongoing",
        "1.6": "Spring 2016"}
    assert text["1.2"].timeframe == "March 2016"
    as_of = dt.date(2016, 3, 15)
    for plan in ("LO", "CSV"):
        overdue = [a.ref for a in store.actions.overdue(as_of, plan_id=store.plans.get(plan).id)]
        assert overdue == ["1.1"], plan  # 1.2 is due by the end of March: not overdue on 15 March


def test_the_libreoffice_tracker_read_as_days_makes_1_2_overdue(store):
    report = import_file(store, FIXTURES / "lo-tracker-typed.xlsx", plan="LO", dates_as_days=True)
    assert report.warnings == []
    plan_id = store.plans.get("LO").id
    assert store.actions.by_ref(plan_id, "1.2").due == dt.date(2016, 3, 1)
    assert [a.ref for a in store.actions.overdue(dt.date(2016, 3, 15), plan_id=plan_id)] == ["1.1", "1.2"]


def test_a_tracker_saved_by_libreoffice_keeps_each_format_as_shown():
    parsed = parse_table(FIXTURES / "lo-tracker-formats.xlsx")
    assert {r.ref: (r.timeframe, r.due) for r in parsed.rows} == {
        "2.1": ("Mar-16", dt.date(2016, 3, 31)),  # mmm-yy: a month
        "2.2": ("April 2016", dt.date(2016, 4, 30)),  # mmmm yyyy
        "2.3": ("May 2016", dt.date(2016, 5, 31)),  # mmm yyyy
        "2.4": ("31/03/2016", dt.date(2016, 3, 31)),  # dd/mm/yyyy: that day
        "2.5": ("15-Jun-16", dt.date(2016, 6, 15)),  # d-mmm-yy
        "2.6": ("2016-07-20", dt.date(2016, 7, 20)),  # yyyy-mm-dd
        "2.7": ("8/5/16", dt.date(2016, 8, 5)),  # m/d/yy
        "2.8": ("30 September 2016", dt.date(2016, 9, 30)),  # dd mmmm yyyy
    }
    assert parsed.warnings == []


# --- the command line -------------------------------------------------------------------------------------------

def test_import_dates_as_days_on_the_command_line(tmp_path, capsys):
    db = tmp_path / "x.db"
    assert main(["init", "--db", str(db), "--empty"]) == 0
    capsys.readouterr()
    code = main(["import", str(FIXTURES / "lo-tracker-typed.xlsx"), "--db", str(db), "--plan", "LO", "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 0 and out.startswith("would import 6 actions")
    assert ("warning: row 1: 4 dates in 'Timescale' are all on the 1st: read as whole months; --dates-as-days to "
            "read them as days") in err
    code = main(["import", str(FIXTURES / "lo-tracker-typed.xlsx"), "--db", str(db), "--plan", "LO",
                 "--dates-as-days", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and json.loads(out)["warnings"] == []
