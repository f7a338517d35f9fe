"""A workbook cannot make the importer use all the memory or all the time: nothing is sized from what the file
says, cells are read as they come, and reading stops at its limits with one line (issue 10, item 7).

The hostile files are built here, by hand, as a hostile program would write them. The memory-hungry cases run the
real command in a child process, measured there (its own peak RSS, from wait4) and capped there (RLIMIT_AS), so
that a regression fails this test instead of taking the machine's memory."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from accountability_tui.domain.errors import ImportFailed
from accountability_tui.importers import import_file
from accountability_tui.importers.xlsx import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_DIRECTORY_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
)

from tablefiles import write_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EVERYTHING = "A1:XFD1048576"  # what the hostile sheet claims to fill: 16,384 columns by 1,048,576 rows
TIME_LIMIT_S = 5.0
MEMORY_LIMIT_MB = 300
CHILD_ADDRESS_SPACE = 2 * 1024**3  # a runaway child gets MemoryError at 2 GB, long before the machine runs out


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def table_rows() -> str:
    """A small real table in rows 1-3: header and two actions."""
    return ('<row r="1">' + inline("A1", "Ref") + inline("B1", "Action") + inline("C1", "Status") + "</row>"
            '<row r="2">' + inline("A2", "1.1") + inline("B2", "Ask the Chief Constable to publish a plan")
            + inline("C2", "In progress") + "</row>"
            '<row r="3">' + inline("A3", "1.2") + inline("B3", "Work with councils on safer streets")
            + inline("C3", "Complete") + "</row>")


def workbook(path: Path, sheet_data: str, *, dimension: str | None = None, after: str = "") -> Path:
    """A real workbook (openpyxl's parts: styles, theme, relationships) whose first sheet is replaced by ours.

    Only the tests that run the importer in a child process give the hostile dimension: a regression must not take
    the memory of the process running the tests."""
    good = write_xlsx(path.with_name(f"good-{path.name}"))
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
             + (f'<dimension ref="{dimension}"/>' if dimension else "")
             + f"<sheetData>{sheet_data}</sheetData>{after}</worksheet>")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, content)
    good.unlink()
    return path


def run_measured(folder: Path, *args: str, timeout: float = 60.0) -> tuple[int, str, str, float, float]:
    """Run the command line in a child process: (exit code, stdout, stderr, seconds, the child's peak RSS in MB)."""

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_ADDRESS_SPACE, CHILD_ADDRESS_SPACE))

    out_path, err_path = folder / "child.out", folder / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        began = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "accountability_tui", *args], stdout=out, stderr=err,
                                 preexec_fn=limit)
        watchdog = threading.Timer(timeout, os.kill, (child.pid, signal.SIGKILL))
        watchdog.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not every child's so far
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    return (child.returncode, out_path.read_text(encoding="utf-8"), err_path.read_text(encoding="utf-8"), seconds,
            usage.ru_maxrss / 1024)


def dump(path: Path) -> str:
    from accountability_tui.store import Store

    with Store.open(path) as store:
        return store.dump()


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="measures the child with wait4 (Unix)")
def test_a_5_kb_workbook_claiming_the_whole_grid_is_refused_in_seconds_with_little_memory(seeded_path, tmp_path):
    """The file of the issue: `<dimension ref="A1:XFD1048576"/>` and one cell, in XFD1048576. Padding every row to
    the stated 16,384 columns took 24 GB before the kernel killed the program."""
    bomb = workbook(tmp_path / "claims-everything.xlsx", '<row r="1048576">' + inline("XFD1048576", "x") + "</row>",
                    dimension=EVERYTHING)
    assert bomb.stat().st_size < 6 * 1024
    before = dump(seeded_path)
    code, out, err, seconds, peak_mb = run_measured(tmp_path, "import", str(bomb), "--db", str(seeded_path))
    assert code == 1, (code, out, err[-2000:])
    assert seconds < TIME_LIMIT_S, f"took {seconds:.1f} s"
    assert peak_mb < MEMORY_LIMIT_MB, f"peak RSS {peak_mb:,.0f} MB"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for words in ("claims-everything.xlsx", "row 1048576", "column XFD", f"at most {MAX_COLUMNS} columns"):
        assert words in lines[0], lines[0]
    assert dump(seeded_path) == before


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="measures the child with wait4 (Unix)")
def test_a_table_whose_sheet_claims_the_whole_grid_imports_its_real_rows_in_seconds(seeded_path, tmp_path):
    """The same lie about the size, over a real table with a stray mark in the last row: the table is imported
    (the mark, a ref with nothing beside it, is a section heading), quickly and in little memory."""
    path = workbook(tmp_path / "plan.xlsx", table_rows() + '<row r="1048576">' + inline("A1048576", "x") + "</row>",
                    dimension=EVERYTHING)
    code, out, err, seconds, peak_mb = run_measured(tmp_path, "import", str(path), "--db", str(seeded_path), "--plan", "LIAR")
    assert code == 0, (code, out, err[-2000:])
    assert "imported 2 actions into LIAR" in out
    assert seconds < TIME_LIMIT_S, f"took {seconds:.1f} s"
    assert peak_mb < MEMORY_LIMIT_MB, f"peak RSS {peak_mb:,.0f} MB"


def test_rows_beyond_the_stated_size_are_read_not_dropped(store, tmp_path):
    """The stated size is not trusted the other way either: a sheet claiming A1:C2 still gives its third row
    (openpyxl's read-only mode stopped at the stated last row and lost it)."""
    path = workbook(tmp_path / "small-claim.xlsx", table_rows(), dimension="A1:C2")
    report = import_file(store, path, plan="SMALL")
    assert report.actions == 2
    assert {a.ref for a in store.actions.list()} == {"1.1", "1.2"}


def _refused(store, path: Path, *words: str) -> str:
    before = store.dump()
    began = time.perf_counter()
    with pytest.raises(ImportFailed) as caught:
        import_file(store, path, plan="LIMITS")
    message = str(caught.value)
    assert time.perf_counter() - began < TIME_LIMIT_S
    assert "\n" not in message and message.startswith(f"{path.name}:"), message
    for word in words:
        assert word in message, message
    assert store.dump() == before
    return message


def test_a_filled_cell_beyond_the_column_limit_is_refused_naming_it(store, tmp_path):
    path = workbook(tmp_path / "wide.xlsx", table_rows() + '<row r="7">' + inline("GS7", "note far right") + "</row>")
    _refused(store, path, "row 7, column GS", f"at most {MAX_COLUMNS} columns (up to GR)")


def test_empty_and_blank_cells_far_right_are_skipped(store, tmp_path):
    """Styled empty cells and cells of spaces beyond the limit hold nothing: the table imports."""
    stray = '<row r="4"><c r="XFC4" s="1"/>' + inline("XFD4", "   ") + "</row>"
    path = workbook(tmp_path / "styled.xlsx", table_rows() + stray)
    assert import_file(store, path, plan="STYLED").actions == 2


def test_more_rows_than_the_limit_are_refused_at_the_first_row_over(store, tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n}</v></c></row>'
                   for n in range(2, MAX_ROWS + 3))
    path = workbook(tmp_path / "long.xlsx", '<row r="1">' + inline("A1", "Ref") + inline("B1", "Action") + "</row>"
                    + rows)
    _refused(store, path, f"row {MAX_ROWS + 1}:", f"over {MAX_ROWS:,} rows", "split it")


def test_more_cells_than_the_limit_are_refused(store, tmp_path):
    """Every row with a mark in the last column allowed: rows are kept from column A, so their cells are counted."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="GR{n}"><v>1</v></c></row>'
                   for n in range(1, MAX_CELLS // MAX_COLUMNS + 2))
    path = workbook(tmp_path / "sparse.xlsx", rows)
    _refused(store, path, f"row {MAX_CELLS // MAX_COLUMNS + 1}:", f"over {MAX_CELLS:,} cells", "column GR")


def test_a_sheet_over_the_unpacked_limit_is_refused_before_it_is_read(store, tmp_path):
    """51 MB of spaces packs into a few kB: the size in the zip's directory is checked first, so nothing is parsed
    (and zipfile never unpacks more than the size checked)."""
    padding = " " * (MAX_UNPACKED_BYTES + 1024 * 1024)
    path = workbook(tmp_path / "padded.xlsx", table_rows() + padding)
    assert path.stat().st_size < 200 * 1024
    began = time.perf_counter()
    _refused(store, path, "too big to read safely", "50 MB", "xl/worksheets/sheet1.xml", "save it as CSV")
    assert time.perf_counter() - began < 1.0


def test_a_zip_listing_too_many_parts_is_refused_before_the_list_is_read(store, tmp_path):
    """zipfile reads a zip's whole list of parts into memory, about 13 times its size: a long list is refused from
    the size the zip gives it, before zipfile reads it."""
    path = workbook(tmp_path / "many-parts.xlsx", table_rows())
    with zipfile.ZipFile(path, "a") as archive:
        for n in range(MAX_DIRECTORY_BYTES // 40):
            archive.writestr(f"xl/media/padding-{n:08d}.bin", b"")
    _refused(store, path, "too big to read safely", "list of parts", "at most 1 MB")


def test_a_damaged_sheet_is_refused_in_one_line(store, tmp_path):
    cases = [
        (workbook(tmp_path / "unclosed.xlsx", '<row r="1"><c r="A1">'), ["is a damaged XLSX workbook"]),
        (workbook(tmp_path / "bad-ref.xlsx", '<row r="1"><c r="1A"><v>1</v></c></row>'), ["a cell is named '1A'"]),
        (workbook(tmp_path / "bad-row.xlsx", '<row r="2000000"><c><v>1</v></c></row>'), ["beyond Excel's last row"]),
        (workbook(tmp_path / "bad-string.xlsx", '<row r="4"><c r="B4" t="s"><v>99</v></c></row>'),
         ["row 4, column B", "refers to text '99'"]),
        (workbook(tmp_path / "entity.xlsx", '<row r="1">' + inline("A1", "&undefined;") + "</row>"),
         ["is a damaged XLSX workbook", "undefined entity"]),
    ]
    for path, words in cases:
        _refused(store, path, *words)


def test_an_excel_workbook_reads_as_excel_shows_it(store, tmp_path):
    """What Excel writes and openpyxl does not: shared strings (with rich text and phonetic guides), styles that
    make a number a date, the 1904 calendar, cells and rows without references."""
    path = tmp_path / "excel.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/strings.xml" '
                               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
                               'sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{rel}"><workbookPr date1904="1"/><sheets>'
                           '<sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}">'
                                      f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/s1.xml"/>'
                                      f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="/xl/strings.xml"/>'
                                      f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
                                      "</Relationships>",
        "xl/strings.xml": f'<sst xmlns="{MAIN}"><si><t>Ref</t></si><si><t xml:space="preserve">Action </t></si>'
                          "<si><r><t>Ask the </t></r><r><rPr><b/></rPr><t>Chief Constable</t></r></si>"
                          '<si><t>Target date</t></si><si><t>Lead</t></si><si><t>東京</t><rPh sb="0" eb="2">'
                          "<t>トウキョウ</t></rPh></si></sst>",
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/>'
                         '</numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="165"/></cellXfs></styleSheet>',
        "xl/worksheets/s1.xml": f'<worksheet xmlns="{MAIN}"><dimension ref="A1:D2"/><sheetData>'
                                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                                '<c r="C1" t="s"><v>3</v></c><c r="D1" t="s"><v>4</v></c></row>'
                                '<row><c><v>7</v></c><c t="s"><v>2</v></c><c s="1"><v>43921</v></c>'
                                '<c t="s"><v>5</v></c></row></sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    import_file(store, path, plan="EXCEL")
    (action,) = store.actions.list()
    assert (action.ref, action.text, action.lead) == ("7", "Ask the Chief Constable", "東京")
    assert action.timeframe == "01/04/2024"  # 43,921 days from 1 January 1904, shown as its dd/mm/yyyy shows it
    assert action.due == dt.date(2024, 4, 30)  # the column's one date is on the 1st: read as the month (issue 13)
