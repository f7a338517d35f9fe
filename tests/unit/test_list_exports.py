"""List exports: what a list shows (every matching row, its filters and sort), to CSV with a BOM or to XLSX; a
cell that looks like a formula stays text."""

import datetime as dt

from openpyxl import load_workbook

from accountability_tui.domain.models import FindingKind
from accountability_tui.services import Services
from accountability_tui.services.actions import ActionFilter
from accountability_tui.services.exports import csv_bytes, list_format

AS_OF = dt.date(2026, 12, 10)
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _formula_action(store) -> None:
    plan = next(p for p in store.plans.list() if p.code == "CSCJ-2022-27")
    action = store.actions.by_ref(plan.id, "7")
    store.actions.update(action.id, action.version, text=FORMULA)


def test_every_matching_row_in_the_lists_sort_not_only_the_page(seeded):
    exports = Services(seeded).exports
    sheet = exports.actions(ActionFilter(plan_code="CSCJ-2022-27", overdue=True), AS_OF, "due", True)
    assert len(sheet.rows) == 70  # more than a page (60)
    due = [row[sheet.header.index("Due")] for row in sheet.rows]
    assert due == sorted(due, reverse=True)
    everything = exports.actions(ActionFilter(plan_code=None), AS_OF)
    assert len(everything.rows) == 234
    assert len(exports.findings(FindingKind.AREA_FOR_IMPROVEMENT).rows) == 3
    assert list_format("a.XLSX") == "xlsx" and list_format("a.csv") == "csv" and list_format("a") == "csv"


def test_csv_has_a_bom_whole_texts_and_formulas_kept_as_text(seeded, tmp_path):
    _formula_action(seeded)
    services = Services(seeded)
    sheet = services.exports.actions(ActionFilter(plan_code="CSCJ-2022-27"), AS_OF)
    path = services.exports.write(sheet, tmp_path / "actions.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    text = data.decode("utf-8-sig")
    assert "'" + FORMULA.replace('"', '""') in text  # after an apostrophe: a spreadsheet shows it, never runs it
    assert "\n=" not in text and ",=" not in text
    assert path.stat().st_mode & 0o077 == 0  # lists hold officers' notes: the owner's only


def test_xlsx_cells_are_text_and_a_formula_stays_a_string(seeded, tmp_path):
    _formula_action(seeded)
    services = Services(seeded)
    sheet = services.exports.actions(ActionFilter(plan_code="CSCJ-2022-27"), AS_OF)
    path = services.exports.write(sheet, tmp_path / "actions.xlsx")
    book = load_workbook(path)
    cells = [c for row in book.active.iter_rows() for c in row if c.value == FORMULA]
    assert len(cells) == 1 and cells[0].data_type == "s"
    again = services.exports.write(sheet, tmp_path / "again.xlsx")
    assert again.read_bytes() == path.read_bytes()  # same data, same bytes


def test_questions_list_with_its_links(seeded):
    services = Services(seeded)
    sheet = services.exports.questions()
    assert sheet.header[:3] == ["No.", "Status", "Meeting"]
    assert csv_bytes(sheet).decode("utf-8-sig").splitlines()[0].startswith("No.,Status,Meeting")


def test_command_line_exports_actions_and_questions(seeded_path, tmp_path, capsys):
    from accountability_tui.cli import main

    out = tmp_path / "cscj.xlsx"
    assert main(["actions", "--db", str(seeded_path), "--plan", "CSCJ-2022-27", "--status", "complete",
                 "-o", str(out)]) == 0
    assert "(33 actions)" in capsys.readouterr().err
    sheet = load_workbook(out).active
    assert sheet.max_row == 34 and [c.value for c in sheet[1]][:2] == ["Plan", "Ref"]
    assert main(["actions", "--db", str(seeded_path), "-o", str(out)]) == 1  # exists: not replaced
    assert "already exists" in capsys.readouterr().err
    assert main(["questions", "--db", str(seeded_path), "--format", "csv", "-o", str(tmp_path / "q.txt")]) == 0
    assert (tmp_path / "q.txt").read_bytes().startswith(b"\xef\xbb\xbfNo.,Status")
    assert main(["questions", "--db", str(seeded_path), "--format", "xlsx"]) == 2
    assert "--format needs -o FILE" in capsys.readouterr().err
