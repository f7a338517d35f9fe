"""Property: whatever table it is given, the importer succeeds or refuses with its own error, and a refusal leaves
the database exactly as it was. Generated tables: odd encodings and delimiters, quotes, huge and empty cells,
numbers beyond 64 bits, duplicate and missing headers."""

import csv
import io
import tempfile
from pathlib import Path

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


def test_a_hostile_workbook_cannot_expand_entities(tmp_path, store):
    """XLSX is read with defusedxml: a 'billion laughs' sheet is refused, not expanded."""
    import zipfile

    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    from tablefiles import write_xlsx

    good = write_xlsx(tmp_path / "good.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
              '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet1"):
                content = laughs.encode()
            dst.writestr(item, content)
    before = store.dump()
    try:
        import_file(store, bomb, plan="BOMB")
    except AppError as exc:
        assert "bomb.xlsx" in str(exc)
    assert store.dump() == before
