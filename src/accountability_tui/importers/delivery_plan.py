"""Import of delivery-plan tables (ADP text tables, CSV, XLSX): file -> validated rows -> store, all or nothing.

Spreadsheet date cells are read as the person meant them. A date cell in the timeframe column whose number format
shows only month and year ("Mar-16", "March 2016") is that month, due its last day. Excel and LibreOffice turn
"March 2016" typed into a cell into 1 March 2016 shown in a full date format ("03/01/16"), so when every date cell
in the column falls on the 1st of a month they are read as months too, with one warning saying so (dates_as_days
reads them as days). Any other date cell is that day. The timeframe kept as written is the text the cell showed,
through its own number format ("Mar-16", "03/01/16"), never an ISO date nobody typed.

The mechanism of each action comes from a mechanism column when there is one (read by its label), else from the
action's wording and lead by the rules of domain.mechanisms, the ones the seed's plans are read with.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pydantic import ValidationError

from accountability_tui.domain.cleaning import clean_cell, join_continuation
from accountability_tui.domain.errors import ImportFailed, ValidationFailed
from accountability_tui.domain.mechanisms import classify, read_mechanism
from accountability_tui.domain.models import Mechanism, Status
from accountability_tui.domain.records import ActionIn, Plan, describe_error
from accountability_tui.domain.timeframes import Reading, read_timeframe
from accountability_tui.domain.values import read_rag, read_status
from accountability_tui.importers.columns import FIELDS, Mapping, header_score, map_columns, parse_overrides
from accountability_tui.importers.tables import MAX_CELL_BYTES, Grid, Row, column_label, fail, read_grid

MAX_REF = 40


@dataclass
class ImportWarning:
    ref: str | None
    row: int
    message: str


@dataclass
class ParsedTable:
    name: str
    path: Path
    sha256: str
    rows: list[ActionIn]
    row_numbers: dict[str, int]
    warnings: list[ImportWarning]
    fields: set[str]
    theme_is_column: bool


@dataclass
class ImportReport:
    file: str
    plan: str
    plan_created: bool
    actions: int
    by_status: dict[str, int]
    created: int
    updated: int
    unchanged: int
    warnings: list[ImportWarning] = field(default_factory=list)
    dry_run: bool = False
    backup: str | None = None
    by_mechanism: dict[str, int] = field(default_factory=dict)  # Mechanism value -> how many rows got it

    def to_dict(self) -> dict:
        data = asdict(self)
        data["warnings"] = [asdict(w) for w in self.warnings]
        return data


@dataclass(frozen=True)
class _DateCell:
    """A spreadsheet date cell: its date, its format tag ("month" or "date") and the text the sheet showed."""

    day: dt.date
    tag: str | None
    shown: str


@dataclass
class _Record:
    row: int
    values: dict[str, str]
    theme: str | None
    dates: dict[str, _DateCell] = field(default_factory=dict)  # field -> the date cell its value came from


def _date_cells(row: Row, mapping: Mapping) -> dict[str, _DateCell]:
    """The row's date cells in mapped columns (an XLSX's), each with the text the sheet showed."""
    if not row.shown:
        return {}
    found: dict[str, _DateCell] = {}
    for name, index in mapping.columns.items():
        shown = row.shown.get(index)
        if shown is None or index >= len(row.cells):
            continue
        try:
            day = dt.date.fromisoformat(row.cells[index].strip()[:10])
        except ValueError:
            continue
        found[name] = _DateCell(day, row.formats.get(index) if row.formats else None, shown)
    return found


def _last_day(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _month_rule(records: list[_Record], mapping: Mapping, dates_as_days: bool,
                warnings: list[ImportWarning], header_row: int) -> bool:
    """Whether the timeframe column's full-date cells are read as months: every one falls on the 1st (and there is
    one), and dates_as_days is not asked for. Says so in one warning when they are."""
    cells = [r.dates["timeframe"] for r in records if "timeframe" in r.dates]
    days = [c.day for c in cells if c.tag != "month"]
    if not days or any(d.day != 1 for d in days) or dates_as_days:
        return False
    header = mapping.header_of("timeframe").strip()
    if len(days) == 1:
        message = (f"1 date in {header!r} is on the 1st: read as a whole month; --dates-as-days to read it as a "
                   "day")
    else:
        message = (f"{len(days)} dates in {header!r} are all on the 1st: read as whole months; --dates-as-days to "
                   "read them as days")
    warnings.append(ImportWarning(None, header_row, message))
    return True


def _read_date_cell(cell: _DateCell, months: bool) -> Reading:
    """A timeframe date cell's due date: a month (its format shows only month and year, or the month rule holds)
    is due its last day, any other date that day."""
    return Reading(_last_day(cell.day) if cell.tag == "month" or months else cell.day, True)


def _column(mapping: Mapping, name: str) -> str:
    index = mapping.columns[name]
    return column_label(index, mapping.headers[index])


def _records(grid: Grid, mapping: Mapping, warnings: list[ImportWarning]) -> list[_Record]:
    """Rows of the table as records: continuation lines joined, section headings turned into themes."""
    has_ref = "ref" in mapping.columns
    records: list[_Record] = []
    theme: str | None = None
    for row in grid.rows:
        cells = row.cells
        if cells and max(map(len, cells)) > MAX_CELL_BYTES // 4:  # at C speed: a row may have 200 cells
            for index, cell in enumerate(cells):
                if len(cell) > MAX_CELL_BYTES // 4 and len(cell.encode("utf-8")) > MAX_CELL_BYTES:
                    header = mapping.headers[index] if index < len(mapping.headers) else None
                    raise fail(grid.name, f"the cell holds {len(cell.encode('utf-8')) // 1024:,} kB; a cell may hold "
                                          "at most 100 kB", row.number, column_label(index, header))
        if not "".join(cells).strip():
            continue
        values = {name: (cells[i] if i < len(cells) else "") for name, i in mapping.columns.items()}
        dates = _date_cells(row, mapping)
        for name, date_cell in dates.items():
            values[name] = date_cell.shown  # the date as the sheet showed it, not its ISO text
        ref = values.get("ref", "").strip()
        filled = [name for name, value in values.items() if name != "ref" and value.strip()]
        if has_ref and ref and not filled:
            if not re.search(r"\d", ref):
                theme = clean_cell(ref)[0] or None  # a section heading such as "Criminal Justice"
            else:
                warnings.append(ImportWarning(ref, row.number, f"action {ref} has nothing but its ref; skipped"))
            continue
        if has_ref and not ref:
            previous = records[-1] if records else None
            separate = previous is not None and values.get("status", "").strip() and values.get("text", "").strip()
            if previous is not None and not separate:
                for name, value in values.items():
                    if value.strip():
                        previous.values[name] = join_continuation(previous.values.get(name, ""), value)
                continue
            warnings.append(ImportWarning(None, row.number, "this row has an action but no ref; skipped — "
                                                            "give it a ref and import again"))
            continue
        records.append(_Record(row.number, dict(values), theme, dates))
    return records


def parse_table(path: str | Path, *, sheet: str | None = None, columns: list[str] | None = None,
                dates_as_days: bool = False) -> ParsedTable:
    """Read a delivery-plan table into validated rows. Raises ImportFailed if the file is unusable.

    dates_as_days: read a timeframe column's date cells as days even when they all fall on the 1st of a month."""
    path = Path(path)
    overrides = parse_overrides(columns)
    grid = read_grid(path, sheet, lambda cells: header_score(cells, overrides))
    mapping, missing = map_columns(grid.header.cells, overrides)
    if missing:
        shown = ", ".join(repr(h.strip()) for h in grid.header.cells if h.strip())[:300]
        raise fail(grid.name, f"has no action column: no header like {', '.join(FIELDS['text'][:4])} "
                              f"(the row looks like: {shown}); name it with --column text=HEADER", grid.header.number)
    warnings: list[ImportWarning] = [ImportWarning(None, grid.header.number, note) for note in mapping.notes]
    if "ref" not in mapping.columns:
        warnings.append(ImportWarning(None, grid.header.number,
                                      "no ref column: actions are numbered by their order in the file"))
    records = _records(grid, mapping, warnings)
    months = "timeframe" in mapping.columns and _month_rule(records, mapping, dates_as_days, warnings,
                                                             grid.header.number)
    rows: list[ActionIn] = []
    row_numbers: dict[str, int] = {}
    has = mapping.columns.__contains__
    for position, record in enumerate(records, start=1):
        clean: dict[str, str] = {}
        for name, raw in record.values.items():
            if len(raw.encode("utf-8")) > MAX_CELL_BYTES:
                raise fail(grid.name, "the cell (with its continuation lines) holds over 100 kB; a cell may hold at "
                                      "most 100 kB", record.row, _column(mapping, name))
            value, had_controls = clean_cell(raw)
            clean[name] = value
            if had_controls:
                warnings.append(ImportWarning(clean.get("ref") or None, record.row,
                                              f"control characters removed from column {mapping.header_of(name)!r}"))
        ref = clean.get("ref") if has("ref") else str(position)
        if not ref:
            continue
        if len(ref) > MAX_REF:
            raise fail(grid.name, f"{ref[:30]!r}… is not a ref (over {MAX_REF} characters); is the right column "
                                  "used? name it with --column ref=HEADER", record.row, _column(mapping, "ref"))
        if ref in row_numbers:
            raise fail(grid.name, f"ref {ref!r} appears twice (rows {row_numbers[ref]} and {record.row}); "
                                  "refs must be unique", record.row,
                       _column(mapping, "ref") if has("ref") else None)
        text = clean.get("text", "")
        if not text:
            warnings.append(ImportWarning(ref, record.row, f"action {ref} has no text; skipped"))
            continue
        status = Status.UNKNOWN
        status_text = clean.get("status") or None
        if has("status"):
            read = read_status(status_text)
            if read is None:
                message = (f"action {ref} has no status; recorded as unknown" if not status_text else
                           f"action {ref}: status {status_text[:60]!r} not understood; recorded as unknown")
                warnings.append(ImportWarning(ref, record.row, message))
            else:
                status = read
        timeframe = clean.get("timeframe") or None
        date_cell = record.dates.get("timeframe")
        if date_cell is not None and timeframe == clean_cell(date_cell.shown)[0]:
            reading = _read_date_cell(date_cell, months)
        else:
            reading = read_timeframe(timeframe)
        if not reading.understood:
            warnings.append(ImportWarning(ref, record.row, f"action {ref}: {reading.problem}"))
        rag, rag_ok = read_rag(clean.get("rag"))
        if not rag_ok:
            warnings.append(ImportWarning(ref, record.row,
                                          f"action {ref}: RAG {clean.get('rag', '')[:30]!r} not understood; left blank"))
        priority = None
        theme = clean.get("theme") or record.theme
        if clean.get("priority"):
            digits = re.search(r"\d+", clean["priority"])
            if digits and len(digits.group()) <= 2:
                priority = int(digits.group())
            elif not has("theme"):
                theme = clean["priority"]
        mechanism = read_mechanism(clean.get("mechanism"))
        if mechanism is None:
            mechanism = classify(text, clean.get("lead"))
            if clean.get("mechanism"):
                labels = ", ".join(m.label for m in Mechanism)
                warnings.append(ImportWarning(ref, record.row, f"action {ref}: mechanism "
                                                               f"{clean['mechanism'][:40]!r} not understood (it is one "
                                                               f"of: {labels}); read from its wording and lead as "
                                                               f"{mechanism.label!r}"))
        try:
            action = ActionIn(
                ref=ref, text=text, priority=priority, theme=theme, lead=clean.get("lead"),
                mechanism=mechanism, status=status, status_text=status_text, rag=rag, timeframe=timeframe,
                due=reading.due, plan_page=clean.get("page"), explanation=clean.get("update"), position=position)
        except ValidationError as exc:
            raise fail(grid.name, describe_error(exc, f"action {ref}"), record.row) from exc
        rows.append(action)
        row_numbers[ref] = record.row
    if not rows:
        raise fail(grid.name, "has a header row but no actions under it", grid.header.number)
    fields = {"text", "mechanism", "theme"}
    for column, name in (("status", "status"), ("update", "explanation"), ("timeframe", "timeframe"),
                         ("lead", "lead"), ("page", "plan_page"), ("rag", "rag"), ("priority", "priority")):
        if has(column):
            fields.add(name)
    with path.open("rb") as fh:
        sha256 = hashlib.file_digest(fh, "sha256").hexdigest()  # read in chunks: an XLSX is never read whole
    return ParsedTable(name=grid.name, path=path, sha256=sha256, rows=rows,
                       row_numbers=row_numbers, warnings=warnings, fields=fields, theme_is_column=has("theme"))


class _DryRun(Exception):
    pass


def apply_table(store, parsed: ParsedTable, *, plan: str | None = None, plan_title: str | None = None,
                dry_run: bool = False, source: str | None = None) -> ImportReport:
    """Write a parsed table into the store in one transaction (rolled back for a dry run)."""
    from accountability_tui.store.plans import code_from_name

    backup = None
    wants_backup = not dry_run and not store.conn.in_transaction and not store.is_empty()
    warnings = list(parsed.warnings)
    report: ImportReport | None = None
    try:
        with store.write() as db:
            if plan:
                try:
                    Plan(code=plan, title=plan_title or plan)
                except ValidationError as exc:
                    raise ValidationFailed(
                        f"--plan {plan!r}: a plan code is letters, digits, '.', '_' or '-' "
                        f"({describe_error(exc)})") from exc
            if wants_backup:  # the import goes ahead: a backup inside the write lock, kept only if it commits
                backup = str(store.backup(f"before-import-{parsed.name}"))
            if plan:
                plan_id, created = store.plans.ensure(plan, plan_title)
            else:
                known = store.plans.find_by_import(parsed.name, parsed.sha256)
                if known is not None:
                    plan_id, created = known.id, False
                else:
                    plan_id, created = store.plans.ensure(code_from_name(parsed.name),
                                                          plan_title or Path(parsed.name).stem)
            plan_code = store.plans.by_id(plan_id).code
            known_priorities = {p.number for p in store.plans.priorities(plan_id)}
            rows = []
            for row in parsed.rows:
                if row.priority is not None and row.priority not in known_priorities:
                    warnings.append(ImportWarning(row.ref, parsed.row_numbers[row.ref],
                                                  f"action {row.ref}: plan {plan_code} has no priority {row.priority}; "
                                                  "left without a priority"))
                    row = row.model_copy(update={"priority": None})
                rows.append(row)
            counts = store.actions.import_rows(plan_id, rows, fields=parsed.fields,
                                               source=source or f"import: {parsed.name}",
                                               theme_is_column=parsed.theme_is_column)
            from accountability_tui.store.core import utc_now

            db["imports"].insert({"plan_id": plan_id, "file_name": parsed.name, "sha256": parsed.sha256,
                                  "at": utc_now(), "who": store.who, "rows": len(rows), "created": counts.created,
                                  "updated": counts.updated, "warnings": len(warnings)})
            by_status = {s.value: 0 for s in Status}
            for row in rows:
                by_status[row.status.value] += 1
            by_mechanism = {m.value: 0 for m in Mechanism}
            for row in rows:
                if row.mechanism is not None:
                    by_mechanism[row.mechanism.value] += 1
            report = ImportReport(file=parsed.name, plan=plan_code, plan_created=created, actions=len(rows),
                                  by_status=by_status, created=counts.created, updated=counts.updated,
                                  unchanged=counts.unchanged, warnings=warnings, dry_run=dry_run, backup=backup,
                                  by_mechanism=by_mechanism)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert report is not None
    if not dry_run and report.created >= 1000 and not store.conn.in_transaction:
        store.analyze()  # many new rows: the query planner's statistics are out of date
    return report


def import_file(store, path: str | Path, *, plan: str | None = None, sheet: str | None = None,
                columns: list[str] | None = None, dry_run: bool = False, dates_as_days: bool = False) -> ImportReport:
    """Import a delivery-plan table. On any error nothing is written and ImportFailed (or another AppError) says why.
    dates_as_days: see parse_table."""
    parsed = parse_table(path, sheet=sheet, columns=columns, dates_as_days=dates_as_days)
    return apply_table(store, parsed, plan=plan, dry_run=dry_run)


__all__ = ["ImportFailed", "ImportReport", "ImportWarning", "ParsedTable", "apply_table", "import_file",
           "parse_table"]
