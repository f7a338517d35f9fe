"""Reading a file into a grid of text cells: ADP text tables, CSV/TSV in any common encoding, XLSX.

Nothing here knows what the columns mean; columns.py finds the header row. Every failure is an ImportFailed
naming the file, the row and (where there is one) the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from accountability_tui.domain.errors import ImportFailed

MAX_CELL_BYTES = 100 * 1024
DELIMITERS = ("\t", ",", ";", "|")
HEADER_SEARCH_ROWS = 500

csv.field_size_limit(64 * 1024 * 1024)  # the importer enforces its own (smaller) limit with a clear message


@dataclass(frozen=True)
class Row:
    number: int  # the row as a person finds it: line number in a text file, row number in a sheet
    cells: list[str]
    # A spreadsheet's number formats that change what a cell means (xlsx.FORMAT_TAGS): column index (from 0) ->
    # "percent" (0.841 shown as 84.1%), "month" (a date shown as month and year only) or "date"; None if none.
    formats: dict[int, str] | None = None
    # A spreadsheet's date cells as the sheet shows them, rendered through their number formats: column index (from
    # 0) -> "Mar-16", "03/01/16", "31 March 2024" (the cell's text in `cells` is its ISO date); None if none.
    shown: dict[int, str] | None = None


@dataclass
class Grid:
    name: str
    kind: str  # "text" | "xlsx"
    header: Row
    rows: list[Row]
    delimiter: str | None = None


def fail(name: str, message: str, row: int | None = None, column: str | None = None) -> ImportFailed:
    where = ""
    if row is not None:
        where += f" row {row}"
        if column:
            where += f", column {column}"
        where += ":"
    return ImportFailed(f"{name}:{where} {message}")


def column_label(index: int, header: str | None = None) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters} ({header!r})" if header else letters


# --- text files --------------------------------------------------------------------------------------------------

def _position(data: bytes, offset: int) -> tuple[int, str]:
    """Where a bad byte is, as a person finds it: the row, and the column with the character in the line."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[start:offset].decode("utf-8", errors="replace")
    first_line = data[: data.find(b"\n") if b"\n" in data else len(data)].decode("utf-8", errors="replace")
    delimiter = max(DELIMITERS, key=first_line.count)
    column = column_label(prefix.count(delimiter)) if first_line.count(delimiter) else "A"
    return line, f"{column} (character {len(prefix) + 1})"


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252 as Excel saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise fail(name, f"the file claims UTF-16 but byte {exc.start} cannot be read; save it again as CSV UTF-8") \
                from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise fail(name, "is not a table: it looks like a binary file (save it as CSV or XLSX)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # A file that already used UTF-8 for some characters is broken UTF-8, not Windows-1252.
    if any(b >= 0x80 for b in data[: utf8_error.start]):
        line, where = _position(data, utf8_error.start)
        raise fail(name, f"byte 0x{data[utf8_error.start]:02x} is not valid UTF-8 (the rest of the file is UTF-8); "
                         "save the file as CSV UTF-8 and import again", line, where)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line, where = _position(data, exc.start)
        raise fail(name, f"byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252; "
                         "save the file as CSV UTF-8 and import again", line, where) from exc


def read_text(data: bytes, name: str, choose_header: Callable[[list[str]], int]) -> Grid:
    """Read a delimited text table. choose_header scores a row of cells (higher: more header-like)."""
    text = decode(data, name)
    lines = text.splitlines(keepends=True)
    best: tuple[int, int, str] | None = None  # (score, -line index, delimiter)
    any_table = False
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        if not line.strip():
            continue
        for delimiter in DELIMITERS:
            if delimiter not in line:
                continue
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            if len([c for c in cells if c.strip()]) < 2:
                continue
            any_table = True
            score = choose_header(cells)
            if score > 0 and (best is None or (score, -index) > (best[0], best[1])):
                best = (score, -index, delimiter)
    if best is None:
        if not any_table:
            raise fail(name, "is not a table: no line has cells separated by tabs, commas, semicolons or bars")
        return _no_header(name, lines, choose_header)
    header_index, delimiter = -best[1], best[2]
    body = "".join(lines[header_index:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    previous_end = 0
    try:
        for cells in reader:
            rows.append(Row(header_index + previous_end + 1, cells))
            previous_end = reader.line_num
    except csv.Error as exc:
        start = header_index + previous_end + 1
        if "unexpected end of data" in str(exc) or "EOF" in str(exc):
            raise fail(name, "a quote (\") opened here is never closed, so the rest of the file would be one cell; "
                             "close the quote and import again", start) from exc
        raise fail(name, f"the row cannot be read ({exc}); check its quotes", start) from exc
    return Grid(name=name, kind="text", header=rows[0], rows=rows[1:], delimiter=delimiter)


def _no_header(name: str, lines: list[str], choose_header: Callable[[list[str]], int]) -> Grid:
    """No header row was recognised: return the first table-like row so the caller can say what it found."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        for delimiter in DELIMITERS:
            if delimiter in line:
                cells = next(csv.reader([line], delimiter=delimiter))
                if len([c for c in cells if c.strip()]) >= 2:
                    return Grid(name=name, kind="text", header=Row(index + 1, cells), rows=[], delimiter=delimiter)
    raise fail(name, "is not a table")


# --- spreadsheets ------------------------------------------------------------------------------------------------

def read_xlsx(path: Path, name: str, sheet: str | None, choose_header: Callable[[list[str]], int]) -> Grid:
    """The first worksheet (or `sheet`): its rows with something in them, read as a stream within the limits of
    xlsx.py (the sheet's stated size is never trusted)."""
    from accountability_tui.importers.xlsx import read_sheet_rows

    rows = read_sheet_rows(path, name, sheet)
    candidates = [(choose_header(r.cells), -i) for i, r in enumerate(rows[:HEADER_SEARCH_ROWS])
                  if len([c for c in r.cells if c.strip()]) >= 2]
    scored = [c for c in candidates if c[0] > 0]
    if not scored:
        if not candidates:
            where = "its first sheet" if sheet is None else f"sheet {sheet!r}"
            raise fail(name, f"is not a table: {where} has no row with two or more cells")
        first = rows[-candidates[0][1]]
        return Grid(name=name, kind="xlsx", header=first, rows=[])
    index = -max(scored)[1]
    return Grid(name=name, kind="xlsx", header=rows[index], rows=rows[index + 1:])


def read_grid(path: Path, sheet: str | None, choose_header: Callable[[list[str]], int]) -> Grid:
    name = path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ImportFailed(f"{path} is a folder, not a file") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror})") from exc
    if head.startswith(b"PK\x03\x04"):
        return read_xlsx(path, name, sheet, choose_header)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise fail(name, "is an old Excel .xls workbook or a password-protected one; save it as .xlsx or CSV (without "
                         "a password) and import that")
    if sheet is not None:
        raise fail(name, "--sheet only applies to XLSX workbooks")
    return read_text(path.read_bytes(), name, choose_header)
