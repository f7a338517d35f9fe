"""Writing tables as an Excel workbook (.xlsx), with openpyxl: one sheet a table, the same data the same bytes.

Every cell is text (a string cell, data_type 's'), as written: a value that begins with =, +, - or @ is stored as a
string, which a spreadsheet shows as it is and never runs as a formula, and it carries Excel's quote prefix, so that
editing the cell in Excel or LibreOffice keeps it text. Only what XML cannot hold is left out (control characters
other than tab and line break, lone surrogates, U+FFFE/U+FFFF); tabs and line breaks stay, so that the importer
reads back exactly what was written.

Each sheet has a bold header row, frozen and repeated on every printed page, a filter on its columns, the widths
given, its cells wrapped and aligned to the top and its rows as high as their wrapped text needs (estimated: a
spreadsheet does not do it when it opens the file); printed landscape, one page wide. The workbook's properties are
fixed (created and modified on the date given, by "accountability-tui", never the clock or the login) and the zip's
entries are dated and ordered as briefing/docx.py writes a Word file's, so that the same tables give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from accountability_tui.briefing.package import AUTHOR, UNDATED, fixed_zip

FORMULA_START = ("=", "+", "-", "@")  # what a spreadsheet would read as the start of a formula
MAX_WIDTH = 100  # characters: the widest a column is made
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # as openpyxl refuses, and more
_CORE = "docProps/core.xml"
LINE_HEIGHT = 15  # points: a line of 11-point text
MAX_HEIGHT = 409  # points: the highest row a spreadsheet allows


@dataclass
class Sheet:
    """A table for one sheet: a header row, then rows of text."""

    name: str  # at most 31 characters, none of []:*?/\
    header: list[str]
    rows: list[list[str | int]]  # a whole number is a number cell (a count); everything else is text
    widths: list[int]  # characters, one a column


def _lines(value: str | int, width: int) -> int:
    """How many lines a wrapped cell of this width (in characters) shows its text on, about."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 1, 1)
    return sum(max(1, -(-len(line) // usable)) for line in value.split("\n"))


def cell_text(value: object) -> str:
    """A value as a cell holds it: its text, less what XML cannot hold."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def write_xlsx(sheets: list[Sheet], *, title: str = "", dated: dt.date | None = None) -> bytes:
    """The sheets as an .xlsx file's bytes. dated: the workbook's created and modified date (a report's as-of
    date), else a fixed one."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet.name)[:31] or "Sheet")
        rows: list[list[str | int]] = [list(sheet.header), *sheet.rows]
        for number, values in enumerate(rows, start=1):
            for column, value in enumerate(values, start=1):
                if isinstance(value, int) and not isinstance(value, bool):
                    ws.cell(row=number, column=column).value = value
                    continue
                text = cell_text(value)
                if not text:
                    continue
                cell = ws.cell(row=number, column=column)
                cell.value = text
                cell.data_type = "s"  # a string whatever it begins with: never a formula
                cell.alignment = wrapped
                if number == 1:
                    cell.font = bold
                elif text.startswith(FORMULA_START):
                    cell.quotePrefix = True  # and kept as text when someone edits it
        widths = [min(max(width, 4), MAX_WIDTH) for width in sheet.widths]
        for column, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(column)].width = width
        for number, values in enumerate(rows, start=1):
            lines = max((_lines(value, widths[n] if n < len(widths) else 10) for n, value in enumerate(values)),
                        default=1)
            if lines > 1:  # a spreadsheet does not grow a row for its wrapped text by itself: say how high
                ws.row_dimensions[number].height = min(LINE_HEIGHT * lines, MAX_HEIGHT)
        last = get_column_letter(max(len(sheet.header), 1))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if not sheets:
        workbook.create_sheet("Sheet")
    when = dt.datetime.combine(dated or UNDATED, dt.time())
    props = workbook.properties
    props.title = title[:255] or None
    props.creator = props.lastModifiedBy = AUTHOR
    props.created = props.modified = when
    out = io.BytesIO()
    workbook.save(out)
    props.modified = when  # openpyxl dates the file with the clock as it saves it: write its properties again
    return fixed_zip(_replaced(out.getvalue(), _CORE, _core_xml(props)))


def _core_xml(props: object) -> bytes:
    from openpyxl.xml.functions import tostring

    return bytes(tostring(props.to_tree()))  # type: ignore[attr-defined]


def _replaced(data: bytes, name: str, content: bytes) -> bytes:
    """The zip again with one entry's content replaced (its order and dates are fixed by fixed_zip after)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry, value in entries.items():
            target.writestr(entry, value)
    return out.getvalue()
