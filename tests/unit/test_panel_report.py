"""The Annual Delivery Plan progress report to the Police and Crime Panel (`report panel`): its summary on the seed
ADP, its table in plan order and in seed 004's columns, Word, Excel and Markdown with the same bytes every time,
text that looks like a formula kept as text, and the Excel report read back by the importer with no change."""

import datetime as dt
import io
import json
import types
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from accountability_tui.briefing.package import ZIP_TIME
from accountability_tui.briefing.panel import COLUMNS, MOVED, render_markdown
from accountability_tui.cli import main
from accountability_tui.domain.models import Status
from accountability_tui.services import Services
from accountability_tui.services.actions import in_plan_order
from accountability_tui.store import Store

PLAN = "CSCJ-2022-27"
REPORTED = dt.date(2023, 2, 2)  # the date of seed 004, the report to the Panel
AS_OF = dt.date(2026, 11, 22)
FORMULAS = ["=HYPERLINK(\"http://example.com\",\"click\")", "+44 1707 806100", "-5 days late", "@SUM(A1:A9)"]


def today() -> dt.date:
    """The day an edit made now is recorded on (the history's dates are UTC)."""
    return dt.datetime.now(dt.UTC).date()


def report(store, as_of=AS_OF, since=None, plan=PLAN):
    return Services(store).reports.panel(plan, as_of, since)


def export(path, out, *extra, as_of=AS_OF, plan=PLAN) -> int:
    return main(["report", "panel", "--db", str(path), "--plan", plan, "--as-of", as_of.isoformat(), "-o", str(out),
                 *extra])


def dry_run(capsys, path, workbook, plan=PLAN) -> dict:
    capsys.readouterr()
    assert main(["import", str(workbook), "--db", str(path), "--plan", plan, "--dry-run", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# --- what it says ------------------------------------------------------------------------------------------------

def test_summary_on_the_seed_adp_at_the_panel_meeting_and_today(seeded):
    services = Services(seeded)
    at_panel = report(seeded, REPORTED)
    assert len(at_panel.counted) == len(at_panel.rows) == 147
    counts = {s.value: n for s, n in at_panel.by_status.items()}
    assert (counts["complete"], counts["in_progress"], counts["not_started"], counts["unknown"]) == (33, 86, 27, 1)
    assert sum(counts.values()) == 147  # every status the app knows is counted, none twice
    assert at_panel.since == dt.date(2022, 2, 2)  # a year earlier by default
    assert at_panel.completed_since == 33  # reported complete on 2 February 2023
    assert at_panel.overdue == len(services.actions.overdue(REPORTED, PLAN))
    assert at_panel.stale == []  # as at the report's own date
    text = render_markdown(at_panel)
    assert "Of the 147 actions of the plan at 2 February 2023:" in text
    for line in ("33 actions are ‘Complete’", "86 actions are ‘In progress’", "27 actions are ‘Not started’",
                 "1 action has no status reported", "33 actions were completed from 2 February 2022 to 2 February 2023"):
        assert f"- {line}\n" in text
    assert text.index("‘Complete’") < text.index("‘In progress’") < text.index("‘Not started’")  # as seed 004

    today = report(seeded, AS_OF)
    assert today.completed_since == 0
    assert today.overdue == len(services.actions.overdue(AS_OF, PLAN)) == 70
    assert len(today.stale) == 146  # every status but the blank one, as at 2 February 2023
    assert "- 70 actions are overdue at 22 November 2026 (not complete nor withdrawn, and due before that date)" in \
        render_markdown(today)
    assert ("146 statuses were last updated more than 90 days before 22 November 2026 (113 of them not complete); "
            "last updated 2 Feb 2023 (146)") in render_markdown(today)
    assert report(seeded, AS_OF, since=dt.date(2023, 1, 1)).completed_since == 33


def test_statuses_changed_after_the_as_of_date_are_shown_as_they_were(seeded):
    plan = seeded.plans.get(PLAN)
    action = seeded.actions.by_ref(plan.id, "2")
    seeded.actions.update(action.id, action.version, status=Status.COMPLETE, note="Delivered: evaluation published")
    day = today()
    now = {r.ref: r for r in report(seeded, day).rows}["2"]
    assert now.status is Status.COMPLETE and now.status_written == "Complete"
    assert now.explanation == "Delivered: evaluation published" and now.completed_on == day
    assert report(seeded, day).completed_since == 1
    before = {r.ref: r for r in report(seeded, day - dt.timedelta(days=1)).rows}["2"]
    assert before.status is Status.IN_PROGRESS and before.status_written == "In progress"
    assert before.explanation.startswith("The PCC and Chief Constable held a special meeting")


def test_an_undone_status_change_leaves_no_explanation_behind(seeded):
    plan = seeded.plans.get(PLAN)
    action = seeded.actions.by_ref(plan.id, "2")
    seeded.actions.update(action.id, action.version, status=Status.COMPLETE, note="Complete (entered by mistake)")
    seeded.actions.undo(action.id, seeded.actions.get(action.id).version)
    row = {r.ref: r for r in report(seeded, today()).rows}["2"]
    assert row.status is Status.IN_PROGRESS and row.status_written == "In progress" and row.completed_on is None
    assert row.explanation.startswith("The PCC and Chief Constable held a special meeting")


def test_table_in_plan_order_grouped_by_theme_in_seed_004_columns(seeded):
    services = Services(seeded)
    rows = report(seeded).rows
    assert [r.ref for r in rows] == [a.ref for a in in_plan_order(services.actions.listing(PLAN))]
    assert [r.ref for r in rows][:3] == ["1", "2", "3"]
    by_ref = {r.ref: r for r in rows}
    assert by_ref["46"].status_written == "No status reported"
    assert sum(r.status_written == "Not started yet – phase 2" for r in rows) == 1  # the words as recorded
    assert by_ref["1"].timeframe_text == "Ongoing" and by_ref["1"].page == "9-10"
    assert by_ref["2"].explanation.startswith("The PCC and Chief Constable held a special meeting on 27 January 2023")
    text = render_markdown(report(seeded))
    header = "| " + " | ".join(COLUMNS) + " |"
    assert header == ("| Plan priority | Action | Status this reporting period | Explanation | Timeframe for delivery "
                      "| Plan page |")
    themes = [t for t in dict.fromkeys(r.group for r in rows)]
    assert len(themes) == 5 and text.count(header) == 5
    positions = [text.index(f"\n### {theme}\n") for theme in themes]
    assert positions == sorted(positions)
    assert text.index("| 9 | ") < positions[1] < text.index("| 10 | ")  # each action under its own theme


def test_a_moved_due_date_is_shown_beside_the_timeframe_as_written(seeded):
    plan = seeded.plans.get(PLAN)
    action = seeded.actions.by_ref(plan.id, "2")  # Autumn 2023
    seeded.actions.update(action.id, action.version, due=dt.date(2024, 5, 31), due_reason="Waiting for HMICFRS")
    row = {r.ref: r for r in report(seeded, today()).rows}["2"]
    assert row.timeframe == "Autumn 2023" and row.moved_due == dt.date(2024, 5, 31)
    assert row.timeframe_text == "Autumn 2023; now due 31 May 2024"
    assert "| Autumn 2023; now due 31 May 2024 |" in render_markdown(report(seeded, today()))
    earlier = {r.ref: r for r in report(seeded, today() - dt.timedelta(days=1)).rows}["2"]
    assert earlier.moved_due is None  # the date moved after that day


# --- the three formats --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".docx", ".xlsx", ".md"])
def test_each_format_gives_the_same_bytes_twice(seeded_path, tmp_path, suffix, capsys):
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert export(seeded_path, first) == 0
    assert capsys.readouterr().err.startswith(f"wrote {first} ")
    assert export(seeded_path, second) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_mode & 0o777 == 0o600  # officers' notes may be in it
    assert export(seeded_path, first) == 1  # never over a file by accident
    assert "already exists; add --force" in capsys.readouterr().err
    assert export(seeded_path, first, "--force") == 0
    if suffix != ".md":
        with zipfile.ZipFile(first) as z:
            assert {i.date_time for i in z.infolist()} == {ZIP_TIME}
            assert z.infolist()[0].filename == "[Content_Types].xml"


def test_markdown_is_the_blocks_written_by_the_briefings_writer(seeded_path, tmp_path):
    out = tmp_path / "report.md"
    assert export(seeded_path, out) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Annual Delivery Plan progress report: Everybody's Business")
    assert "\n## Summary\n" in text and "\n## Progress by action\n" in text
    assert text.count("\n| ") > 147


def test_word_report_reads_back_with_headings_and_repeating_table_headers(seeded_path, tmp_path):
    out = tmp_path / "report.docx"
    assert export(seeded_path, out) == 0
    document = docx.Document(str(out))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings[0][0] == "Title" and headings[0][1].startswith("Annual Delivery Plan progress report")
    assert ("Heading 1", "Summary") in headings and ("Heading 1", "Progress by action") in headings
    assert ("Heading 2", "Prevention First & Evidence Based Policing") in headings
    tables = document.tables
    assert len(tables) == 1 + 5  # the counts by theme, then one table a theme
    assert [c.text for c in tables[0].rows[0].cells][:2] == ["Theme", "Actions"]
    assert tables[0].rows[-1].cells[0].text == "All" and tables[0].rows[-1].cells[1].text == "147"
    for table in tables[1:]:
        assert [c.text for c in table.rows[0].cells] == COLUMNS
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on every page
    assert sum(len(t.rows) - 1 for t in tables[1:]) == 147
    assert [c.text for c in tables[1].rows[1].cells][::2] == ["1", "In progress", "Ongoing"]
    props = document.core_properties
    assert props.author == "accountability-tui" and props.created.date() == AS_OF


def test_excel_report_has_a_frozen_header_widths_text_cells_and_fixed_properties(seeded_path, tmp_path):
    out = tmp_path / "report.xlsx"
    assert export(seeded_path, out) == 0
    workbook = openpyxl.load_workbook(out)
    sheet = workbook.worksheets[0]
    assert sheet.title == "Delivery plan"
    header = [c.value for c in sheet[1]]
    assert header == ["Theme", *COLUMNS[:5], MOVED, COLUMNS[5], "Lead", "Mechanism"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:J148"
    assert sheet.column_dimensions["C"].width == 60 and sheet.column_dimensions["E"].width == 80
    assert sheet.max_row == 148
    first = [c.value for c in sheet[2]]
    assert first[:2] == ["Prevention First & Evidence Based Policing", "1"] and first[3] == "In progress"
    assert first[8:] == [None, "Ask the Chief Constable"]  # the ADP names no leads
    assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row if c.value is not None)
    assert [ws.title for ws in workbook.worksheets] == ["Delivery plan", "Summary", "By theme"]
    assert workbook.worksheets[2]["B7"].value == 147  # the counts are numbers
    props = workbook.properties
    assert props.creator == props.lastModifiedBy == "accountability-tui"
    assert props.created == props.modified == dt.datetime(2026, 11, 22)


def test_text_that_looks_like_a_formula_stays_text_in_excel(seeded_path, tmp_path, capsys):
    tracker = tmp_path / "tracker.csv"
    rows = ["Ref,Action,Status,Update,Timeframe"] + [
        f'{n},"{text.replace(chr(34), chr(34) * 2)}",In progress,"{text.replace(chr(34), chr(34) * 2)}",March 2027'
        for n, text in enumerate(FORMULAS, start=1)]
    tracker.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["import", str(tracker), "--db", str(seeded_path), "--plan", "FORMULA-1"]) == 0
    out = tmp_path / "formulas.xlsx"
    assert export(seeded_path, out, plan="FORMULA-1") == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    for number, text in enumerate(FORMULAS, start=2):
        for cell in (sheet.cell(number, 3), sheet.cell(number, 5)):  # the action, the explanation
            assert cell.value == text and cell.data_type == "s"
            assert cell.quotePrefix  # and stays text when edited in Excel or LibreOffice
    with zipfile.ZipFile(out) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")  # no formula anywhere
    report = dry_run(capsys, seeded_path, out, plan="FORMULA-1")
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 4)


# --- the round trip -----------------------------------------------------------------------------------------------

def test_excel_report_of_the_seed_adp_imports_back_with_no_change(seeded_path, tmp_path, capsys):
    out = tmp_path / "report.xlsx"
    assert export(seeded_path, out) == 0
    result = dry_run(capsys, seeded_path, out)
    assert (result["actions"], result["created"], result["updated"], result["unchanged"]) == (147, 0, 0, 147)
    statuses = result["by_status"]
    assert (statuses["complete"], statuses["in_progress"], statuses["not_started"], statuses["unknown"]) == \
        (33, 86, 27, 1)
    assert sum(statuses.values()) == 147
    # imported for real, nothing changes, and the report is the same file again
    capsys.readouterr()
    assert main(["import", str(out), "--db", str(seeded_path), "--plan", PLAN, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 0
    again = tmp_path / "again.xlsx"
    assert export(seeded_path, again) == 0
    assert again.read_bytes() == out.read_bytes()


def test_plan_by_priority_round_trips_with_its_leads_and_mechanisms(seeded_path, tmp_path, capsys):
    """The plan 2025-29 is grouped by priority (the workbook's first column says it), its actions have themes
    too; a lead set by an officer, and the mechanism, are given in the workbook, not inferred again."""
    with Store.open(seeded_path) as store:
        plan = store.plans.get("PCP-2025-29")
        action = store.actions.by_ref(plan.id, "4.8")
        store.actions.update(action.id, action.version, lead="Hertfordshire County Council")
    out = tmp_path / "plan.xlsx"
    assert export(seeded_path, out, plan="PCP-2025-29", as_of=today()) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet["A1"].value == "Priority" and sheet["A2"].value == "1. Make Hertfordshire safer"
    result = dry_run(capsys, seeded_path, out, plan="PCP-2025-29")
    assert (result["actions"], result["created"], result["updated"], result["unchanged"]) == (87, 0, 0, 87)
    assert not [w for w in result["warnings"] if "priority" in w["message"]]


def test_round_trip_after_officers_edits(seeded_path, tmp_path, capsys):
    """A moved due date and a status changed in the app read back unchanged; an officer's note newer than the
    explanation is the report's explanation, and importing the report makes it the tracker's (then no change)."""
    with Store.open(seeded_path) as store:
        plan = store.plans.get(PLAN)
        a = store.actions.by_ref(plan.id, "2")
        store.actions.update(a.id, a.version, due=dt.date(2024, 5, 31), due_reason="Waiting for HMICFRS")
        b = store.actions.by_ref(plan.id, "3")
        store.actions.update(b.id, b.version, status=Status.COMPLETE, note="=1+1 the tool is in use")
    out = tmp_path / "report.xlsx"
    assert export(seeded_path, out, as_of=today()) == 0
    result = dry_run(capsys, seeded_path, out)
    assert (result["created"], result["updated"]) == (0, 1)  # action 3: its explanation becomes the note
    assert main(["import", str(out), "--db", str(seeded_path), "--plan", PLAN]) == 0
    with Store.open(seeded_path) as store:
        plan = store.plans.get(PLAN)
        three = store.actions.by_ref(plan.id, "3")
        assert three.status is Status.COMPLETE and three.explanation == "=1+1 the tool is in use"
        assert store.actions.by_ref(plan.id, "2").due == dt.date(2024, 5, 31)
    again = tmp_path / "again.xlsx"
    assert export(seeded_path, again, as_of=today()) == 0
    assert dry_run(capsys, seeded_path, again)["updated"] == 0


# --- errors -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "code", "message"), [
    (["--plan", "NOPE", "-o", "{tmp}/r.docx"], 1, "no plan 'NOPE' (plans: "),
    (["--plan", PLAN, "-o", "{tmp}/r.pdf"], 2, "r.pdf: name the report .docx (Word), .xlsx (Excel) or .md"),
    (["--plan", PLAN, "-o", "{tmp}/missing/r.xlsx"], 1, "the folder {tmp}/missing does not exist"),
    (["--plan", PLAN, "--since", "2027-01-01", "-o", "{tmp}/r.md"], 2, "--since 2027-01-01 is after the as-of date"),
    (["-o", "{tmp}/r.md"], 2, "the following arguments are required: --plan"),
])
def test_errors_are_one_line_and_a_non_zero_exit(seeded_path, tmp_path, capsys, args, code, message):
    capsys.readouterr()
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["report", "panel", "--db", str(seeded_path), "--as-of", "2026-11-22", *args]) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message.replace("{tmp}", str(tmp_path)) in err
    assert not any(p.name.startswith("r.") for p in tmp_path.rglob("*"))


def test_any_status_is_counted_and_named(seeded):
    """Whatever statuses the app knows (on hold, withdrawn...), each is counted under its own name."""
    r = report(seeded)
    assert set(r.by_status) == set(Status)
    text = render_markdown(r)
    header = next(line for line in text.splitlines() if line.startswith("| Theme | Actions |"))
    assert header.split(" | ")[2:6] == ["Complete", "In progress", "Not started", "Unknown"]


def test_report_bytes_do_not_depend_on_the_clock(seeded, monkeypatch):
    """openpyxl dates a workbook with the clock as it saves it: the report writes its own date instead."""
    services = Services(seeded)
    first = services.reports.panel_bytes(PLAN, ".xlsx", AS_OF)
    import openpyxl.writer.excel as writer

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 1, 1, tzinfo=tz)

    monkeypatch.setattr(writer, "datetime", types.SimpleNamespace(datetime=Later, timezone=dt.timezone))
    assert services.reports.panel_bytes(PLAN, ".xlsx", AS_OF) == first
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert b"2026-11-22T00:00:00Z" in z.read("docProps/core.xml")
