"""Import of performance figures (issue 12): a CSV or XLSX file of figures -> validated values, all or nothing.

Both shapes performance packs use are read:

* tall: one figure a row, under a header with a measure, a period and a value column (and optionally a target,
  a source and a unit column): ``Measure, Period, Value[, Target, Source, Unit]``;
* wide: one measure a row, one column per period, the period written in the header cell ("Q1 2024/25",
  "Apr 2025", or a date cell: see below).

The file is read as the delivery-plan import reads it (importers.tables: CSV in UTF-8 with or without BOM,
cp1252 or UTF-16, any common delimiter; XLSX as a stream, within its limits; the header row found among the
first rows; ``--column field=Header`` to name a column). Periods are read by domain.periods, figures by
domain.values.read_figure. Cells are read as Excel and LibreOffice save them: a cell formatted as a percentage
(0.841 shown as 84.1%) is 84.1; a date cell in a period column (or a date in a wide header) is a month when its
format shows only month and year, or when every date in the column (the header) falls on the 1st of its month.

An unusable file raises ImportFailed: one line naming the file, the row and the column. A cell that cannot be
read as a figure is left out with a warning. Nothing here writes: services.measures.MeasuresService.import_file
writes what this reads, all or nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accountability_tui.domain.cleaning import clean_cell
from accountability_tui.domain.models import Unit, measure_key
from accountability_tui.domain.periods import Period, PeriodError, month_of, parse_period
from accountability_tui.domain.records import MeasureValueIn, describe_error
from accountability_tui.domain.values import fractions_in, read_figure
from accountability_tui.importers.columns import Mapping, map_columns, normalise, parse_overrides
from accountability_tui.importers.tables import MAX_CELL_BYTES, Grid, Row, column_label, fail, read_grid

__all__ = ["FIELDS", "MAX_VALUES", "ParsedFigures", "read_figures"]

# The columns a figures file may have, and the headers that name them (case, spacing and a trailing ':' ignored).
FIELDS: dict[str, tuple[str, ...]] = {
    "measure": ("measure", "measures", "measure name", "performance measure", "indicator", "indicators",
                "indicator name", "performance indicator", "kpi", "kpis", "metric", "metrics", "name",
                "measure description"),
    "period": ("period", "periods", "time period", "reporting period", "period covered", "date", "month",
               "quarter", "year", "financial year", "period name"),
    "value": ("value", "values", "figure", "figures", "actual", "actuals", "result", "results", "outturn",
              "performance", "data", "score", "latest"),
    "target": ("target", "targets", "target value", "goal"),
    "source": ("source", "sources", "data source", "source of data"),
    "unit": ("unit", "units", "unit of measure", "measure type"),
}
MAX_VALUES = 500_000  # figures in one file: more than the nation's ten years of monthly figures (200,000)
MAX_NAME = 300  # characters in a measure's name (domain.records.MeasureName)
UNITS: dict[str, Unit] = {
    "%": Unit.PERCENT, "percent": Unit.PERCENT, "percentage": Unit.PERCENT, "per cent": Unit.PERCENT,
    "rate (%)": Unit.PERCENT, "count": Unit.COUNT, "number": Unit.COUNT, "no": Unit.COUNT, "no.": Unit.COUNT,
    "n": Unit.COUNT, "total": Unit.COUNT, "rate per 1,000": Unit.RATE_PER_1000, "rate per 1000": Unit.RATE_PER_1000,
    "per 1,000": Unit.RATE_PER_1000, "per 1000": Unit.RATE_PER_1000, "days": Unit.DAYS, "day": Unit.DAYS,
    "minutes": Unit.MINUTES, "mins": Unit.MINUTES, "minute": Unit.MINUTES,
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_RULE = ("a date in a period column is read as its month when the cell is formatted to show only month and "
              "year, or when every date in the column falls on the 1st of its month")


@dataclass
class ParsedFigures:
    """What a figures file holds: its figures, ready for MeasuresService.upsert_values, and what was noticed."""

    name: str
    shape: str  # "tall" | "wide"
    values: list[MeasureValueIn]
    warnings: list[str] = field(default_factory=list)
    rows: dict[tuple[str, dt.date, dt.date], int] = field(default_factory=dict)  # a figure -> its row


@dataclass
class _Figure:
    """A figure as found, before it is read: where it is, and its cells."""

    row: int
    column: int  # of the value
    name: str
    period: Period
    value: str
    percent_format: bool
    target: str = ""
    target_format: bool = False
    source: str = ""
    unit: str = ""


# --- periods ---------------------------------------------------------------------------------------------------

def _date_in(text: str) -> dt.date | None:
    """A date written in a cell (as the XLSX reader writes a date cell, or as Excel saves one in a UK CSV)."""
    value = text.strip()
    if len(value) > 30:
        return None
    m = _ISO_DATE.fullmatch(value)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _UK_DATE.fullmatch(value):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def _period(text: str) -> Period | PeriodError:
    """parse_period, remembered (a file writes the same few periods thousands of times); the error returned."""
    try:
        return parse_period(text)
    except PeriodError as exc:
        return exc.with_traceback(None)  # kept in the cache: without the frames it was raised in


_FIGURE = re.compile(r"[+-]?\d*\.\d+%?|[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|[+-]?\d+%")  # 84.1, 1,234, 12%


def _looks_like_period(cell: str) -> bool:
    """Whether a header cell names a period (or is a date cell) — for finding the header row."""
    text = cell.strip()
    if not text or len(text) > 60 or not any(c.isdigit() for c in text) or _FIGURE.fullmatch(text):
        return False
    return _date_in(text) is not None or isinstance(_period(text), Period)


def _dates_are_months(cells: list[tuple[str, str | None]]) -> bool:
    """Every date among these cells (text, format tag) falls on the 1st of its month (and there is one)."""
    dates = [d for d in (_date_in(text) for text, tag in cells if tag != "month") if d is not None]
    return bool(dates) and all(d.day == 1 for d in dates)


def _read_period(text: str, tag: str | None, months: bool) -> Period | str:
    """A period cell as a Period, or the sentence that says why it is not one."""
    day = _date_in(text)
    if day is not None:
        if tag == "month" or months:
            return month_of(day)
        return f"{text.strip()!r} is a date, not a period: {_DATE_RULE}; write the period instead (as in Apr 2025)"
    found = _period(text.strip())
    return found if isinstance(found, Period) else str(found)


# --- the header ------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _field(cell: str) -> str | None:
    from accountability_tui.importers.columns import match_field

    return match_field(cell, FIELDS)


def _match(cell: str, wanted: MappingType[str, str]) -> str | None:
    return (wanted.get(normalise(cell)) if wanted else None) or _field(cell)


def _header_score(cells: list[str], overrides: dict[str, str]) -> int:
    """How much a row looks like a figures table's header: a tall one names a measure, a period and a value
    column; a wide one names a measure column (or leaves its cell blank) and periods. 0: not a header."""
    wanted = {normalise(h): name for name, h in overrides.items()}
    found: set[str] = set()
    periods = 0
    for cell in cells:
        if not cell.strip() or len(cell) > 200:
            continue
        name = _match(cell, wanted)
        if name:
            found.add(name)
        elif _looks_like_period(cell):
            periods += 1
    if {"measure", "period", "value"} <= found:
        return 1000 + len(found)
    if periods and ("measure" in found or (periods >= 2 and cells and not cells[0].strip())):
        return 1000 + periods
    return len(found) if "measure" in found else 0


# --- reading ---------------------------------------------------------------------------------------------------

def read_figures(path: str | Path, *, units: MappingType[str, Unit | None] | None = None, sheet: str | None = None,
                 columns: MappingType[str, str] | None = None) -> ParsedFigures:
    """The figures in a CSV or XLSX file, tall or wide (see the module's docstring). units: the unit of each
    measure already known, by measure_key (a % measure's 0.841 is read as 84.1%). columns: field -> header, for a
    column whose header is not recognised (fields: measure, period, value, target, source, unit). Raises
    ImportFailed (one line: file, row, column) for an unusable file, UsageError for a bad --column."""
    path = Path(path)
    overrides = parse_overrides([f"{k}={v}" for k, v in (columns or {}).items()], FIELDS,
                                example="measure='Indicator name'")
    grid = read_grid(path, sheet, lambda cells: _header_score(cells, overrides))
    mapping, _ = map_columns(grid.header.cells, overrides, FIELDS, ())
    warnings = [f"row {grid.header.number}: {note}" for note in mapping.notes]
    has = mapping.columns.__contains__
    if has("measure") and has("period") and has("value"):
        figures = _tall(grid, mapping, warnings)
        shape = "tall"
    else:
        periods = _header_periods(grid, mapping, warnings)
        if periods:
            figures = _wide(grid, mapping, periods, warnings)
            shape = "wide"
        else:
            _refuse_header(grid, mapping)
            raise AssertionError  # _refuse_header always raises
    return _figures(grid, shape, figures, units or {}, warnings)


def _shown(cells: list[str]) -> str:
    return ", ".join(repr(h.strip()) for h in cells if h.strip())[:300]


def _refuse_header(grid: Grid, mapping: Mapping) -> None:
    """The header row found is not usable: say what is missing."""
    has = mapping.columns.__contains__
    row = grid.header.number
    if not has("measure"):
        raise fail(grid.name, "has no measure column: no header like Measure, Indicator or KPI, and no periods in a "
                              f"header row (the row looks like: {_shown(grid.header.cells)}); name it with "
                              "--column measure=HEADER", row)
    if not has("period"):
        raise fail(grid.name, "has no period: no Period column beside the measure, and no periods (such as "
                              "Q1 2024/25 or Apr 2025) across the header row; name the column with --column "
                              "period=HEADER", row)
    raise fail(grid.name, "has no value column: no header like Value, Figure or Actual beside the measure and the "
                          "period; name it with --column value=HEADER", row)


def _label(grid: Grid, index: int) -> str:
    cells = grid.header.cells
    return column_label(index, cells[index].strip() if index < len(cells) and cells[index].strip() else None)


def _check_size(grid: Grid, row: Row) -> None:
    cells = row.cells
    if cells and max(map(len, cells)) > MAX_CELL_BYTES // 4:
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_BYTES // 4 and len(cell.encode("utf-8")) > MAX_CELL_BYTES:
                raise fail(grid.name, f"the cell holds {len(cell.encode('utf-8')) // 1024:,} kB; a cell may hold at "
                                      "most 100 kB", row.number, _label(grid, index))


def _clean(text: str, seen: dict[str, str]) -> str:
    """clean_cell's text, remembered: a file names each measure (and its source) hundreds of times."""
    clean = seen.get(text)
    if clean is None:
        clean = seen[text] = clean_cell(text)[0] if text.strip() else ""
    return clean


def _name(grid: Grid, row: Row, index: int, seen: dict[str, str]) -> str:
    name = _clean(row.cells[index] if index < len(row.cells) else "", seen)
    if len(name) > MAX_NAME:
        raise fail(grid.name, f"{name[:30]!r}… is not a measure's name (over {MAX_NAME} characters); is the right "
                              "column used? name it with --column measure=HEADER", row.number, _label(grid, index))
    return name


def _tall(grid: Grid, mapping: Mapping, warnings: list[str]) -> list[_Figure]:
    columns = mapping.columns
    measure, period, value = columns["measure"], columns["period"], columns["value"]
    target, source, unit = columns.get("target"), columns.get("source"), columns.get("unit")

    def cell(row: Row, index: int | None) -> str:
        return row.cells[index] if index is not None and index < len(row.cells) else ""

    def tag(row: Row, index: int | None) -> str | None:
        return row.formats.get(index) if row.formats and index is not None else None

    months = _dates_are_months([(cell(r, period), tag(r, period)) for r in grid.rows])
    odd = None if months else next(  # the first date that keeps the column's dates from being months
        (r for r in grid.rows if tag(r, period) != "month" and (d := _date_in(cell(r, period))) and d.day != 1), None)
    seen: dict[str, str] = {}
    figures: list[_Figure] = []
    previous: str | None = None  # a measure's name written once above its figures (merged cells)
    for row in grid.rows:
        _check_size(grid, row)
        name = _name(grid, row, measure, seen)
        period_text, value_text = cell(row, period).strip(), cell(row, value)
        if not period_text and not value_text.strip():
            previous = None  # a heading, a note or a blank line: the figures below it name their measure
            continue
        if not name:
            if previous is None:
                warnings.append(f"row {row.number}: a figure with no measure; left out — write the measure's name in "
                                f"column {_label(grid, measure)}")
                continue
            name = previous
        if not period_text:
            raise fail(grid.name, f"the figure for {name!r} has no period; write its period (as in Q1 2024/25 or "
                                  "Apr 2025)", row.number, _label(grid, period))
        found = _read_period(period_text, tag(row, period), months)
        if isinstance(found, str):
            if odd is not None and _date_in(period_text):  # say where the date that is not the 1st is
                row = odd
                found = str(_read_period(cell(odd, period), None, False))
            raise fail(grid.name, found, row.number, _label(grid, period))
        previous = name
        figures.append(_Figure(row.number, value, name, found, value_text, tag(row, value) == "percent",
                               cell(row, target), tag(row, target) == "percent", _clean(cell(row, source), seen),
                               cell(row, unit)))
    return figures


def _header_periods(grid: Grid, mapping: Mapping, warnings: list[str]) -> dict[int, Period]:
    """A wide table's period columns: column index -> its period. A header cell that is not a field, has a
    figure in it and is not a period stops the import (it would be a column of figures read for no period)."""
    header = grid.header
    taken = set(mapping.columns.values())
    tags = header.formats or {}
    cells = [(i, c) for i, c in enumerate(header.cells) if i not in taken and c.strip()]
    months = _dates_are_months([(c, tags.get(i)) for i, c in cells])
    odd = None if months else next(
        (i for i, c in cells if tags.get(i) != "month" and (d := _date_in(c)) and d.day != 1), None)
    periods: dict[int, Period] = {}
    seen: dict[Period, int] = {}
    candidates = [(i, c) for i, c in cells if any(ch.isdigit() for ch in c)]
    if not any(isinstance(_read_period(c, tags.get(i), months), Period) for i, c in candidates):
        return {}
    for index, text in cells:
        if not any(ch.isdigit() for ch in text):
            warnings.append(f"row {header.number}: column {_label(grid, index)} is not a period or a column this "
                            "import reads; left out")
            continue
        found = _read_period(text, tags.get(index), months)
        if isinstance(found, str):
            if odd is not None and _date_in(text):  # say where the date that is not the 1st is
                index, found = odd, str(_read_period(header.cells[odd], None, False))
            raise fail(grid.name, f"the header {found}", header.number, _label(grid, index))
        if found in seen:
            raise fail(grid.name, f"columns {column_label(seen[found])} and {column_label(index)} are the same period "
                                  f"({found.label}); keep one", header.number, _label(grid, index))
        seen[found] = index
        periods[index] = found
    return periods


def _wide(grid: Grid, mapping: Mapping, periods: dict[int, Period], warnings: list[str]) -> list[_Figure]:
    columns = mapping.columns
    first = min(periods)
    measure = columns.get("measure")
    if measure is None:  # the measures' column has no header: the first column left of the periods with text
        blank = [i for i in range(first) if not (grid.header.cells[i] if i < len(grid.header.cells) else "").strip()]
        measure = next((i for i in blank if any(i < len(r.cells) and r.cells[i].strip() for r in grid.rows)), None)
        if measure is None:
            raise fail(grid.name, "has periods across its header row but no column of measures' names left of them; "
                                  "name it with --column measure=HEADER", grid.header.number)
    if "period" in columns or "value" in columns:
        for name in ("period", "value"):
            if name in columns:
                warnings.append(f"row {grid.header.number}: column {_label(grid, columns[name])} is not read: the "
                                "periods are across the header row, so each figure is under its period")
    if "target" in columns:
        warnings.append(f"row {grid.header.number}: column {_label(grid, columns['target'])} (a target for every "
                        "period) is not read; set a measure's target in the app")
    source, unit = columns.get("source"), columns.get("unit")
    seen: dict[str, str] = {}
    figures: list[_Figure] = []
    for row in grid.rows:
        _check_size(grid, row)
        cells, tags = row.cells, row.formats or {}
        name = _name(grid, row, measure, seen)
        filled = [i for i in periods if i < len(cells) and cells[i].strip()]
        if not filled:
            continue  # a heading, a note or a blank line
        if not name:
            warnings.append(f"row {row.number}: figures with no measure; left out — write the measure's name in "
                            f"column {_label(grid, measure)}")
            continue
        source_text = _clean(cells[source], seen) if source is not None and source < len(cells) else ""
        unit_text = cells[unit] if unit is not None and unit < len(cells) else ""
        for index in filled:
            figures.append(_Figure(row.number, index, name, periods[index], cells[index],
                                   tags.get(index) == "percent", source=source_text, unit=unit_text))
    return figures


def _unit(text: str) -> Unit | None | str:
    """A unit cell: the unit, None when blank, or the text when it is not a unit."""
    value = " ".join(text.strip().lower().split())
    if not value:
        return None
    if value in UNITS:
        return UNITS[value]
    try:
        return Unit(value)
    except ValueError:
        return text.strip()


def _figures(grid: Grid, shape: str, found: list[_Figure], known: MappingType[str, Unit | None],
             warnings: list[str]) -> ParsedFigures:
    """Read the figures found: units, percentages written as fractions of one, duplicates; one value each."""
    if len(found) > MAX_VALUES:
        raise fail(grid.name, f"holds over {MAX_VALUES:,} figures ({len(found):,}); split it into several files",
                   found[MAX_VALUES].row)
    by_measure: dict[str, list[_Figure]] = {}
    keys: dict[str, str] = {}
    for f in found:
        key = keys.get(f.name)
        if key is None:
            key = keys[f.name] = measure_key(f.name)
        by_measure.setdefault(key, []).append(f)
    values: list[MeasureValueIn] = []
    rows: dict[tuple[str, dt.date, dt.date], int] = {}
    given: dict[tuple[str, dt.date, dt.date], tuple[float, float | None]] = {}
    fraction_columns: dict[int, list[str]] = {}  # a column of % figures written as fractions -> the measures
    bad_units: set[str] = set()
    for key, figures in by_measure.items():
        unit: Unit | None = known.get(key)
        if unit is None:
            for f in figures:
                read = _unit(f.unit)
                if isinstance(read, Unit):
                    unit = read
                    break
                if isinstance(read, str) and read not in bad_units:
                    bad_units.add(read)
                    warnings.append(f"row {f.row}: unit {read[:40]!r} is not one this app knows (%, count, rate per "
                                    "1,000, days, minutes); left unset")
        percent = None if unit is None else unit is Unit.PERCENT
        plain = [f.value for f in figures if not f.percent_format and not f.value.rstrip().endswith("%")]
        fractions = fractions_in(plain) if percent and plain else None
        if fractions and shape == "tall":  # said once for the column
            for column in sorted({f.column for f in figures if not f.percent_format}):
                fraction_columns.setdefault(column, []).append(figures[0].name)
        elif fractions:  # said once for the measure's row
            warnings.append(f"row {figures[0].row}: the percentages of {figures[0].name!r} are written as fractions "
                            "of one (such as 0.841); read as percentages (84.1%)")
        checked = False
        for f in figures:
            figure = read_figure(f.value, percent=percent, percent_format=f.percent_format, fractions=fractions)
            if figure.value is None:
                if figure.problem:
                    warnings.append(f"row {f.row}, column {_label(grid, f.column)}: {figure.problem}; left out")
                continue
            if figure.assumed:
                warnings.append(f"row {f.row}, column {_label(grid, f.column)}: {figure.assumed}")
            target: float | None = None
            if f.target.strip():
                goal = read_figure(f.target, percent=percent, percent_format=f.target_format, fractions=fractions)
                if goal.value is None and goal.problem:
                    warnings.append(f"row {f.row}: target {goal.problem}; left out")
                target = goal.value
            identity = (key, f.period.start, f.period.end)
            if identity in given:
                if given[identity] != (figure.value, target):
                    first = rows[identity]
                    raise fail(grid.name, f"two different figures for {f.name!r} in {f.period.label}: rows {first} "
                                          f"and {f.row}; keep one", f.row, _label(grid, f.column))
                continue
            given[identity] = (figure.value, target)
            rows[identity] = f.row
            fields: dict[str, Any] = {"measure": f.name, "period": f.period.written, "kind": f.period.kind, "start": f.period.start,
                      "end": f.period.end, "value": figure.value, "target": target, "source": f.source or None,
                      "unit": unit or (Unit.PERCENT if figure.percent_sign else None)}
            if not checked:  # each measure's first figure is validated; the rest are made as it was (10,000 in a
                try:         # file would take a third of a second to validate, for what is checked above)
                    values.append(MeasureValueIn(**fields))
                except ValidationError as exc:
                    raise fail(grid.name, describe_error(exc, f"the figure for {f.name[:60]!r}"), f.row,
                               _label(grid, f.column)) from exc
                checked = True
            else:
                values.append(MeasureValueIn.model_construct(**fields, restricted=False, demo=False))
    for column, names in fraction_columns.items():
        such = f"{names[0]!r}" + (f" and {len(names) - 1} other measure(s)" if len(names) > 1 else "")
        warnings.append(f"column {_label(grid, column)}: the percentages of {such} are written as fractions of one "
                        "(such as 0.841); read as percentages (84.1%)")
    if not values:
        raise fail(grid.name, "has a header row but no figures under it", grid.header.number)
    return ParsedFigures(name=grid.name, shape=shape, values=values, warnings=warnings, rows=rows)

