"""Reading one sheet of an XLSX workbook as rows of text, cell by cell as the XML comes, trusting nothing it says.

A workbook is a zip of XML parts. Its sheet may claim any size (`<dimension ref="A1:XFD1048576"/>`) and its parts
any length, so nothing is sized from what the file says: each part's unpacked size is checked before it is parsed
(zipfile never unpacks more than the size it checked), the XML is parsed as a stream by defusedxml's expat parser
(no DTDs, no entities, nothing fetched) with nothing kept but the cells that hold something, and reading stops
with one line at the limits below.

Values are read as openpyxl reads them with data_only=True (the cached results of formulas; dates from the cell's
number format), with openpyxl's own date helpers. A date cell is read as an ISO date, and also kept as the sheet
shows it, rendered through its number format (number_formats.render_date): "Mar-16" for 1 March 2016 as "mmm-yy".
openpyxl itself is not used to read: it sizes a read-only sheet from its `<dimension>` and pads every row to it
(24 GB for a 4.7 KB file).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from accountability_tui.importers.number_formats import render_date
from accountability_tui.importers.tables import Row, column_label, fail

MAX_ROWS = 100_000  # rows with something in them
MAX_COLUMNS = 200  # the last column that may hold something: GR
MAX_CELLS = 5_000_000  # cells kept, counting each row from column A to its last filled cell (about 40 MB)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # the parts read (the sheet, its text, its styles), unpacked
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's list of its parts (a workbook's is a few kB), read whole by zipfile
EXCEL_MAX_ROW, EXCEL_MAX_COLUMN = 1_048_576, 16_384
CHUNK = 64 * 1024

_REF = re.compile(r"([A-Za-z]{1,3})(\d{0,7})$")
_OFFICE_DOCUMENT = "/officeDocument"
_WORKSHEET = "/worksheet"


class _Refused(Exception):
    """Reading stops here; the message (one line) goes into the ImportFailed."""

    def __init__(self, message: str, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.message, self.row, self.column = message, row, column


class _Done(Exception):
    """A handler has read all it needs from a part."""


class _Handler(Protocol):
    def start(self, name: str, attributes: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None: ...


_NAMES: dict[str, str] = {}


def _local(name: str) -> str:
    """An element's or attribute's name without its namespace: 'http://…/main}row' -> 'row'.

    Remembered, as the sheet's handlers ask for every cell (a workbook uses a handful of names; a hostile one with
    many different names is only remembered up to a point).
    """
    local = _NAMES.get(name)
    if local is None:
        local = name.rpartition("}")[2]
        if len(_NAMES) < 1000:
            _NAMES[name] = local
    return local


class _Package:
    """The zip, with the unpacked size of every part read counted against MAX_UNPACKED_BYTES before it is read."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.unpacked = 0

    def has(self, part: str) -> bool:
        try:
            self.archive.getinfo(part)
        except KeyError:
            return False
        return True

    def parse(self, part: str, handler: _Handler) -> None:
        """Feed a part's elements and text to the handler as the XML streams in; nothing is built or kept.

        The parser is defusedxml's: its expat parser, whose handlers refuse a DTD, an entity declaration or an
        external reference, with the tree-building handlers replaced by the handler's.
        """
        from defusedxml.ElementTree import DefusedXMLParser

        try:
            info = self.archive.getinfo(part)
        except KeyError:
            raise _Refused(f"is a damaged XLSX workbook: it has no part {part}; open it in Excel and save it "
                           "again") from None
        self.unpacked += info.file_size
        if self.unpacked > MAX_UNPACKED_BYTES:
            raise _Refused(f"is too big to read safely: the sheet and the parts it needs hold over "
                           f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB unpacked ({part} alone "
                           f"{info.file_size / (1024 * 1024):,.1f} MB); copy the table alone into a new workbook, or "
                           "save it as CSV, and import that")
        parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True).parser
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.ordered_attributes = False
        with self.archive.open(info) as source:
            try:
                while chunk := source.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
            except _Done:
                pass

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id -> (type, the target part's name in the zip)."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        handler = _Relationships(folder)
        if self.has(rels):
            self.parse(rels, handler)
        return handler.found


class _Ignore:
    def start(self, name: str, attributes: dict[str, str]) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


class _Relationships(_Ignore):
    def __init__(self, folder: str):
        self.folder = folder
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if _local(name) == "Relationship" and attributes.get("TargetMode") != "External":
            target = attributes.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(self.folder, target)
            self.found[attributes.get("Id") or ""] = (attributes.get("Type") or "", posixpath.normpath(path))


class _Workbook(_Ignore):
    """xl/workbook.xml: the sheets in order, and which calendar its dates count from."""

    def __init__(self, package: _Package):
        self.package = package
        main = next((target for kind, target in package.relationships("").values()
                     if kind.endswith(_OFFICE_DOCUMENT)), "xl/workbook.xml")
        self.targets = package.relationships(main)
        self.sheets: list[tuple[str, str, str]] = []  # (name, relationship type, part)
        self.date1904 = False
        package.parse(main, self)
        by_kind = {kind.rsplit("/", 1)[-1]: target for kind, target in self.targets.values()}
        self.shared_strings_part = by_kind.get("sharedStrings")
        self.styles_part = by_kind.get("styles")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "workbookPr":
            self.date1904 = attributes.get("date1904") in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in attributes.items() if _local(k) == "id"), "")
            kind, part = self.targets.get(rid, ("", ""))
            self.sheets.append((attributes.get("name") or "", kind, part))

    def choose(self, sheet: str | None) -> str:
        if sheet is not None:
            found = next(((kind, part) for name, kind, part in self.sheets if name == sheet), None)
            if found is None:
                raise _Refused(f"has no sheet {sheet!r}; its sheets are: {', '.join(n for n, _, _ in self.sheets)}")
            if not found[0].endswith(_WORKSHEET):
                raise _Refused(f"sheet {sheet!r} is a chart, not a table; name the sheet that holds the table")
            return found[1]
        part = next((part for _, kind, part in self.sheets if kind.endswith(_WORKSHEET)), None)
        if part is None:
            raise _Refused("has no worksheet, so no table to import")
        return part


class _SharedStrings(_Ignore):
    """xl/sharedStrings.xml: the text of each `si`, phonetic guides left out, as openpyxl reads it."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.parts: list[str] = []
        self.collecting = False
        self.phonetic = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "t":
            self.collecting = not self.phonetic
        elif tag == "si":
            self.parts = []
        elif tag == "rPh":
            self.phonetic += 1

    def end(self, name: str) -> None:
        tag = _local(name)
        if tag == "t":
            self.collecting = False
        elif tag == "si":
            self.strings.append("".join(self.parts).replace("x005F_", ""))
        elif tag == "rPh":
            self.phonetic -= 1

    def text(self, data: str) -> None:
        if self.collecting:
            self.parts.append(data)


class _Styles(_Ignore):
    """xl/styles.xml: the number format of each cell style (cellXfs), to tell dates from numbers."""

    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_xfs = False

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "numFmt":
            number = attributes.get("numFmtId", "")
            if number.isdigit():
                self.custom[int(number)] = attributes.get("formatCode") or ""
        elif tag == "cellXfs":
            self.in_cell_xfs = True
        elif tag == "xf" and self.in_cell_xfs:
            number = attributes.get("numFmtId", "0")
            self.formats.append(int(number) if number.isdigit() else 0)

    def end(self, name: str) -> None:
        if _local(name) == "cellXfs":
            self.in_cell_xfs = False

    def format_tags(self) -> dict[int, str]:
        """The cell styles whose number format changes what a number means (see format_tag)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS

        tags: dict[int, str] = {}
        for index, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
            tag = format_tag(code) if code else None
            if tag:
                tags[index] = tag
        return tags

    def date_codes(self) -> dict[int, str]:
        """The number format of each cell style whose format is a date (not a duration), as the sheet shows it:
        Excel's built-in short date as the UK shows it (number_formats.BUILTIN_DISPLAY)."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        from accountability_tui.importers.number_formats import BUILTIN_DISPLAY

        codes: dict[int, str] = {}
        for index, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or BUILTIN_DISPLAY.get(number_format) or \
                BUILTIN_FORMATS.get(number_format)
            if code and len(code) <= 255 and is_date_format(code) and not is_timedelta_format(code):
                codes[index] = code  # (Excel's longest format is 255 characters: a longer one is not shown)
        return codes

    def date_styles(self) -> tuple[set[int], set[int]]:
        """The cell styles whose number format is a date, and those whose format is a duration."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

        dates, durations = set(), set()
        for index, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
            if code and is_date_format(code):
                dates.add(index)
                if is_timedelta_format(code):
                    durations.add(index)
        return dates, durations


_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')  # quoted text, escapes, [colours and locales], padding


def format_tag(code: str) -> str | None:
    """What a number format says a number means, where that matters to a figure or a period: "percent" (0.0%:
    0.841 is shown as 84.1%), "month" (a date shown with month and year only: mmm-yy, mmmm yyyy, yyyy-mm), "date"
    (any other date), else None."""
    from openpyxl.styles.numbers import is_date_format

    shown = _LITERAL.sub("", code.split(";", 1)[0]).lower()
    if "%" in shown:
        return "percent"
    if not is_date_format(code):
        return None
    if "y" in shown and "m" in shown and not any(c in shown for c in "dhs"):
        return "month"
    return "date"


class _Sheet(_Ignore):
    """A worksheet's rows that hold something, each as text cells from column A to its last filled cell."""

    def __init__(self, shared: list[str], dates: set[int], durations: set[int], date1904: bool,
                 tags: dict[int, str] | None = None, codes: dict[int, str] | None = None):
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        self.shared, self.dates, self.durations = shared, dates, durations
        self.tags = tags or {}  # cell style -> format_tag, for the cells whose number format matters
        self.formats: dict[int, str] = {}  # this row's: column number -> format_tag
        self.codes = codes or {}  # cell style -> its date format, for showing a date cell as the sheet shows it
        self.shown: dict[int, str] = {}  # this row's date cells: column index (from 0) -> the text the sheet shows
        self.display: str | None = None  # the cell being read, as the sheet shows it (a date cell)
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        self.rows: list[Row] = []
        self.kept = 0  # cells kept so far, the empty ones up to each row's last filled cell included
        self.in_data = False
        self.row = 0  # the row being read, as numbered in the sheet
        self.cells: dict[int, str] = {}  # column number -> text, for this row's cells that hold something
        self.filled = False  # whether any cell of this row holds more than spaces
        self.column = 0  # the cell being read: its column, type, style, value and inline text
        self.kind, self.style, self.value = "n", 0, ""
        self.inline: list[str] = []
        self.collecting: list[str] | None = None
        self.phonetic = 0

    def start(self, name: str, attributes: dict[str, str]) -> None:
        tag = _NAMES.get(name) or _local(name)
        if tag == "c":
            if not self.in_data:
                return
            reference = attributes.get("r")
            self.column = self.column + 1 if reference is None else self._column(reference)
            self.kind = attributes.get("t", "n")
            style = attributes.get("s")
            self.style = 0 if style is None else int(style) if style.isdigit() else 0
            self.value, self.inline, self.collecting, self.phonetic = "", [], None, 0
        elif tag == "v":
            if self.in_data:
                self.collecting = []
        elif tag == "t":
            if self.in_data and not self.phonetic:
                self.collecting = self.inline
        elif tag == "row":
            if self.in_data:
                self.row = self._row_number(attributes.get("r"))
                self.cells, self.filled, self.column, self.formats, self.shown = {}, False, 0, {}, {}
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "sheetData":
            self.in_data = True

    def text(self, data: str) -> None:
        if self.collecting is not None:
            self.collecting.append(data)

    def end(self, name: str) -> None:
        tag = _NAMES.get(name) or _local(name)
        if tag == "c":
            if self.value or self.inline:  # an empty cell (styled, say) holds nothing to read
                self._cell()
        elif tag == "v":
            if self.collecting is not None:
                self.value = "".join(self.collecting)
            self.collecting = None
        elif tag == "t":
            self.collecting = None
        elif tag == "row":
            self._row()
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "sheetData" and self.in_data:
            raise _Done  # nothing after the cells matters

    def _cell(self) -> None:
        content = self._value()
        if content.strip():
            if self.column > MAX_COLUMNS:
                raise _Refused(f"a table may have at most {MAX_COLUMNS} columns (up to {column_label(MAX_COLUMNS - 1)})"
                               " and this cell is beyond them; delete what is there and import again", self.row,
                               column_label(self.column - 1))
            self.filled = True
        if content and self.column <= MAX_COLUMNS:
            self.cells[self.column] = content  # spaces are kept as written, but do not make a row
            if self.tags and self.style in self.tags and self.kind in ("n", "d"):
                self.formats[self.column - 1] = self.tags[self.style]
                if self.display is not None:  # a date cell (every date format has a tag), as _date showed it
                    self.shown[self.column - 1] = self.display
                    self.display = None

    def _row(self) -> None:
        if self.filled:
            if len(self.rows) == MAX_ROWS:
                raise _Refused(f"the sheet has over {MAX_ROWS:,} rows with something in them; a table may have at "
                               f"most {MAX_ROWS:,}: split it into several files", self.row)
            width = max(self.cells)
            self.kept += width
            if self.kept > MAX_CELLS:
                raise _Refused(f"the sheet holds over {MAX_CELLS:,} cells, counting each row from column A to its "
                               f"last filled cell (column {column_label(width - 1)} in this row); delete stray cells "
                               "to the right of the table, or split it into several files", self.row)
            line = [""] * width
            for index, content in self.cells.items():
                line[index - 1] = content
            self.rows.append(Row(self.row, line, self.formats or None, self.shown or None))
        self.cells, self.filled, self.formats, self.shown = {}, False, {}, {}

    def _row_number(self, attribute: str | None) -> int:
        if attribute is None:
            number = self.row + 1
        elif attribute.isdigit() and len(attribute) <= 7:
            number = int(attribute)
        else:
            raise _Refused(f"is a damaged XLSX workbook: a row is numbered {attribute[:20]!r}; open it in Excel and "
                           "save it again", self.row + 1)
        if not 1 <= number <= EXCEL_MAX_ROW:
            raise _Refused(f"is a damaged XLSX workbook: row {number:,} is beyond Excel's last row "
                           f"({EXCEL_MAX_ROW:,}); open it in Excel and save it again")
        return number

    def _column(self, reference: str) -> int:
        match = _REF.match(reference)
        if match is None:
            raise _Refused(f"is a damaged XLSX workbook: a cell is named {reference[:20]!r}; open it in Excel and "
                           "save it again", self.row)
        number = 0
        for letter in match.group(1).upper():
            number = number * 26 + ord(letter) - 64
        if number > EXCEL_MAX_COLUMN:
            raise _Refused("is a damaged XLSX workbook: a cell is beyond Excel's last column (XFD); open it in Excel "
                           "and save it again", self.row)
        return number

    def _value(self) -> str:
        kind, value = self.kind, self.value
        if kind == "inlineStr":
            return "".join(self.inline)
        if not value:
            return ""
        if kind == "s":
            index = int(value) if value.isdigit() else -1
            if not 0 <= index < len(self.shared):
                raise _Refused(f"is a damaged XLSX workbook: the cell refers to text {value[:20]!r} the workbook does "
                               "not have; open it in Excel and save it again", self.row,
                               column_label(self.column - 1))
            return self.shared[index]
        if kind == "b":
            return "FALSE" if value.strip() in ("0", "false") else "TRUE"
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return self._date(_converted(lambda: from_ISO8601(value), value))
        if kind != "n":  # "str" (a formula's text), "e" (an error such as #N/A)
            return value
        number = _converted(lambda: _number(value), value)
        if self.style in self.dates and isinstance(number, int | float):
            from openpyxl.utils.datetime import from_excel

            return self._date(_converted(
                lambda: from_excel(number, self.epoch, timedelta=self.style in self.durations), number))
        return cell_text(number)

    def _date(self, value: Any) -> str:
        """A date cell's text (its ISO date), and, kept in self.display, the text the sheet shows."""
        code, self.display = self.codes.get(self.style), None
        if code is not None and isinstance(value, dt.date):
            self.display = _converted(lambda: render_date(value, code), None)
        return cell_text(value)


def cell_text(value: object) -> str:
    """A cell's value as text: dates as ISO dates (with the time if it has one), whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _number(value: str) -> int | float:
    text = value.strip()
    return float(text) if any(c in text for c in ".eEnN") else int(text)


def _converted(convert: Callable[[], Any], fallback: Any) -> Any:
    """A value converted, or (a number too long for int(), a date out of range) as written."""
    try:
        return convert()
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return fallback


def read_sheet_rows(path: Path, name: str, sheet: str | None) -> list[Row]:
    """The rows of the workbook's first worksheet (or `sheet`) that hold something. Raises ImportFailed (one line,
    naming the file and, where there is one, the row and column) for anything it cannot or will not read."""
    from xml.parsers.expat import ExpatError

    from defusedxml import DefusedXmlException

    try:
        _check_directory(path)
        with zipfile.ZipFile(path) as archive:
            package = _Package(archive)
            workbook = _Workbook(package)
            part = workbook.choose(sheet)
            shared = _SharedStrings()
            if workbook.shared_strings_part and package.has(workbook.shared_strings_part):
                package.parse(workbook.shared_strings_part, shared)
            styles = _Styles()
            if workbook.styles_part and package.has(workbook.styles_part):
                package.parse(workbook.styles_part, styles)
            reader = _Sheet(shared.strings, *styles.date_styles(), workbook.date1904, styles.format_tags(),
                            styles.date_codes())
            package.parse(part, reader)
            return reader.rows
    except _Refused as exc:
        raise fail(name, exc.message, exc.row, exc.column) from None
    except DefusedXmlException as exc:
        raise fail(name, "was refused: its XML declares a DTD or entities, which Excel never writes and which are "
                         f"used to attack programs that read XML ({type(exc).__name__}); open it in Excel and save it "
                         "again") from None
    except ExpatError as exc:
        raise fail(name, f"is a damaged XLSX workbook ({_one_line(exc)}); open it in Excel and save it again") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError, OSError,
            ValueError, KeyError) as exc:
        raise fail(name, f"is not a readable XLSX workbook ({_one_line(exc)}); open it in Excel and save it "
                         "again") from None


def _check_directory(path: Path) -> None:
    """Refuse a zip whose list of parts is too long before zipfile reads it all (into about 13 times its size)."""
    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        fh.seek(max(0, size - (22 + 65_535)))  # the end record, after which only a comment of up to 64 kB may come
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # not a zip's end: zipfile says so
    listed = int.from_bytes(tail[at + 12:at + 16], "little")
    if listed > MAX_DIRECTORY_BYTES:  # 0xFFFFFFFF (zip64, for files over 4 GB) included
        raise _Refused(f"is too big to read safely: its list of parts alone takes {listed / (1024 * 1024):,.1f} MB "
                       f"(a workbook's takes a few kB; at most {MAX_DIRECTORY_BYTES // (1024 * 1024)} MB); save the "
                       "table as CSV, or in a new workbook, and import that")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
