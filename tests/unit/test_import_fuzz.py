"""Property: whatever table it is given, the importer succeeds or refuses with its own error, and a refusal leaves
the database exactly as it was. Generated tables: odd encodings and delimiters, quotes, huge and empty cells,
numbers beyond 64 bits, duplicate and missing headers."""

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountability_tui.domain.errors import AppError
from accountability_tui.importers import import_file
from accountability_tui.store import Store

HEADERS = ["Ref", "ID", "No.", "Plan priority", "Action", "Actions", "Commitment", "Status", "Progress",
           "Explanation", "Update", "Timeframe", "Due date", "Lead", "Owner", "Page", "RAG", "Theme", "Priority",
           "Notes", "", "ÄÖÜ", "Status "]
CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", " ", "In progress", "Completed", "Not started yet – phase 2", "Autumn 2023", "Q3 2024/25",
                     "31/02/2024", "2023/24", "R", "Amber", '"', '""', "a,b;c\td|e", "line\nbreak", "<p>x</p>",
                     "[bold]x[/]", "\x1b[31m", "\u202eevil", "=1+1", "#hash"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
HUGE = "w" * (101 * 1024)


@st.composite
def tables(draw):
    headers = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(CELL, min_size=0, max_size=len(headers) + 2), max_size=12))
    if draw(st.booleans()) and rows and draw(st.integers(0, 9)) == 0:
        rows[0] = [*rows[0], HUGE]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, escapechar="\\", lineterminator="\r\n")
    try:
        writer.writerow(headers)
        writer.writerows(rows)
    except csv.Error:
        out = io.StringIO(delimiter.join(headers) + "\n")
    text = out.getvalue()
    if draw(st.booleans()) and draw(st.integers(0, 5)) == 0:
        text += '"unterminated'
    data = text.encode(encoding, errors="replace") if encoding != "utf-8-sig" else b"\xef\xbb\xbf" + text.encode()
    if draw(st.integers(0, 15)) == 0:
        data = draw(st.binary(max_size=300))
    return data


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=tables())
def test_the_importer_only_succeeds_or_refuses_and_a_refusal_changes_nothing(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(data)
        with Store.open(Path(folder) / "fuzz.db") as store:
            store.plans.add({"code": "FUZZ", "title": "Fuzz"})
            before = store.dump()
            try:
                report = import_file(store, path, plan="FUZZ")
            except AppError as exc:
                assert str(exc) and "\n" not in str(exc)
                assert store.dump() == before
                return
            again = import_file(store, path, plan="FUZZ")
            assert again.created == 0 and again.updated == 0
            assert store.actions.count() == report.actions
            assert store.check() == []


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
EXTERNAL_ENTITY = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c><c r="B1" t="inlineStr"><is>'
                   '<t>Action</t></is></c></row></sheetData></worksheet>')


def _with_sheet(tmp_path, name, sheet_xml, part="xl/worksheets/sheet1.xml"):
    import zipfile

    from tablefiles import write_xlsx

    good = write_xlsx(tmp_path / f"good-{name}")
    hostile = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(hostile, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, sheet_xml.encode() if item.filename == part else src.read(item.filename))
    return hostile


@pytest.mark.parametrize("name, xml, part", [
    ("bomb.xlsx", BILLION_LAUGHS, "xl/worksheets/sheet1.xml"),
    ("xxe.xlsx", EXTERNAL_ENTITY, "xl/worksheets/sheet1.xml"),
    ("xxe-workbook.xlsx", EXTERNAL_ENTITY.replace("worksheet", "workbook"), "xl/workbook.xml"),
])
def test_a_hostile_workbook_is_refused_in_one_line_and_changes_nothing(tmp_path, store, capsys, name, xml, part):
    """XLSX is read with defusedxml, DTDs forbidden: a 'billion laughs' sheet is not expanded, an external entity
    is not fetched, and the refusal is one line naming the file, from the importer and from the command line."""
    from accountability_tui.cli import main
    from accountability_tui.domain.errors import ImportFailed

    hostile = _with_sheet(tmp_path, name, xml, part)
    before = store.dump()
    with pytest.raises(ImportFailed) as caught:
        import_file(store, hostile, plan="BOMB")
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{name}: was refused"), message
    assert "DTD or entities" in message and "root:" not in message
    assert store.dump() == before
    code = main(["import", str(hostile), "--db", str(store.path)])
    out, err = capsys.readouterr()
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1 and name in err, err
    assert store.dump() == before


CELL_XML = st.one_of(
    st.sampled_from(['<c r="A1"><v>1</v></c>', '<c r="B1" t="s"><v>0</v></c>', '<c t="s"><v>7</v></c>',
                     '<c r="C2" t="inlineStr"><is><t>Action</t></is></c>', '<c r="ZZZZ9"/>', '<c r="GS1"><v>1</v></c>',
                     '<c r="A1" t="b"><v>1</v></c>', '<c r="D4" t="d"><v>2024-13-45</v></c>', '<c s="999"><v>1e999</v></c>',
                     '<c r="E1" s="1"><v>99999999999999</v></c>', '<c r="F1" t="e"><v>#N/A</v></c>', "<c>",
                     "</c>", "<v>", '<c r="A1" t="inlineStr"><is><r><t>Ref</t></r></is></c>', "&amp;", "&bogus;",
                     '<c r="B1" t="inlineStr"><is><t>Ref</t></is></c>', "<x/>", "\x00", "]]>", "<![CDATA[x]]>"]),
    st.text(max_size=12),
)
ROW_XML = st.builds(lambda r, cells: f"<row{r}>" + "".join(cells) + "</row>",
                    st.sampled_from(["", ' r="1"', ' r="2"', ' r="0"', ' r="x"', ' r="1048577"', ' r="99"']),
                    st.lists(CELL_XML, max_size=6))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(ROW_XML, max_size=6), dimension=st.sampled_from(["", '<dimension ref="A1:B2"/>']))
def test_a_generated_sheet_only_imports_or_is_refused_in_one_line(rows, dimension):
    """Whatever a sheet holds (damaged XML, bad references, out-of-range values, a size it does not have), the
    importer succeeds or refuses with its own one-line error, and a refusal changes nothing. (A sheet claiming the
    whole grid is tested in a child process, in test_safety_spreadsheets.py: here a regression would take the
    memory of the process running the tests.)"""
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + dimension
           + "<sheetData>" + "".join(rows) + "</sheetData></worksheet>")
    with tempfile.TemporaryDirectory() as folder:
        path = _with_sheet(Path(folder), "generated.xlsx", xml)
        with Store.open(Path(folder) / "fuzz.db") as store:
            store.plans.add({"code": "FUZZ", "title": "Fuzz"})
            before = store.dump()
            try:
                import_file(store, path, plan="FUZZ")
            except AppError as exc:
                assert str(exc).startswith("generated.xlsx") and "\n" not in str(exc), str(exc)
                assert store.dump() == before
                return
            assert store.check() == []
