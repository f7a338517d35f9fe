"""Import of performance figures (issue 12): every period form, both shapes, the encodings and delimiters offices
save CSV in, XLSX written by openpyxl and saved by LibreOffice, percentages and month date cells, and every unusable
file refused with one line while the database stays byte for byte as it was. Real temporary databases."""

import datetime as dt
from pathlib import Path

import pytest

from accountability_tui.domain.errors import ImportFailed, UsageError
from accountability_tui.domain.models import Unit
from accountability_tui.importers import measures as importer
from accountability_tui.services import Services
from accountability_tui.store.connection import backup_folder

from conftest import content_dump

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIXTURES = ROOT / "tests" / "fixtures"
RATE = "Crime recording rate: all reported crime"  # a seeded % measure (baseline 82.5)
CRIME = "Recorded crime"  # a seeded count


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def values_of(store, name: str) -> dict[tuple[dt.date, dt.date], float]:
    measure = store.measures.find(name)
    assert measure is not None, name
    return {(v.start, v.end): v.value for v in store.measures.values(measure.id)}


@pytest.fixture
def services(seeded):
    return Services(seeded)


# --- periods -------------------------------------------------------------------------------------------------------

PERIOD_FORMS = [
    ("2024/25", dt.date(2024, 4, 1), dt.date(2025, 3, 31)),
    ("FY 2023-24", dt.date(2023, 4, 1), dt.date(2024, 3, 31)),
    ("Q1 2024/25", dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
    ("2023/24 Q3", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
    ("Apr 2025", dt.date(2025, 4, 1), dt.date(2025, 4, 30)),
    ("May 2025", dt.date(2025, 5, 1), dt.date(2025, 5, 31)),
    ("June 2025", dt.date(2025, 6, 1), dt.date(2025, 6, 30)),
    ("2025-07", dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ("12 months to Sep 2025", dt.date(2024, 10, 1), dt.date(2025, 9, 30)),
    ("year to September 2023", dt.date(2022, 10, 1), dt.date(2023, 9, 30)),
    ("2022", dt.date(2022, 1, 1), dt.date(2022, 12, 31)),
    ("Apr–Jun 2021", dt.date(2021, 4, 1), dt.date(2021, 6, 30)),
    ("Nov 2020 - Jan 2021", dt.date(2020, 11, 1), dt.date(2021, 1, 31)),
]


def test_every_period_form_is_read_through_the_importer_tall(services, seeded, tmp_path):
    lines = ["Measure,Period,Value"] + [f'{CRIME},"{p}",{1000 + n}' for n, (p, _, _) in enumerate(PERIOD_FORMS)]
    done = services.measures.import_file(write(tmp_path / "periods.csv", "\n".join(lines) + "\n"))
    assert done.shape == "tall" and done.values == len(PERIOD_FORMS) and done.warnings == []
    got = values_of(seeded, CRIME)
    for n, (_, start, end) in enumerate(PERIOD_FORMS):
        assert got[(start, end)] == 1000 + n


def test_every_period_form_is_read_in_a_wide_header(services, seeded, tmp_path):
    header = "Measure," + ",".join(f'"{p}"' for p, _, _ in PERIOD_FORMS)
    row = f"{CRIME}," + ",".join(f'"{2000 + n:,}"' for n in range(len(PERIOD_FORMS)))
    done = services.measures.import_file(write(tmp_path / "wide.csv", f"{header}\n{row}\n"))
    assert done.shape == "wide" and done.values == len(PERIOD_FORMS)
    got = values_of(seeded, CRIME)
    assert [got[(s, e)] for _, s, e in PERIOD_FORMS] == [2000 + n for n in range(len(PERIOD_FORMS))]


# --- encodings and delimiters --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8", "\t"), ("cp1252", ";"),
])
def test_csv_in_every_encoding_and_delimiter(services, seeded, tmp_path, encoding, delimiter):
    d = delimiter
    text = (f"Measure{d}Period{d}Value{d}Source\r\n"
            f"Clare’s Law right-to-know applications{d}Q1 2024/25{d}112{d}Force data — café\r\n"
            f"{RATE}{d}Q1 2024/25{d}84.1%{d}Force data — café\r\n")
    path = tmp_path / "figures.csv"
    path.write_bytes(text.encode(encoding))
    done = services.measures.import_file(path)
    assert (done.values, done.new_measures, done.warnings) == (2, [], [])
    q1 = (dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert values_of(seeded, "Clare's Law right-to-know applications")[q1] == 112  # curly and straight: the same
    assert values_of(seeded, RATE)[q1] == 84.1
    value = seeded.measures.values(seeded.measures.find(RATE).id)[0]
    assert value.source == "Force data — café"


def test_a_measure_is_found_by_name_ignoring_case_and_spacing_and_a_new_name_is_reported(services, seeded, tmp_path):
    path = write(tmp_path / "names.csv", "Measure,Period,Value\n"
                                         "  RECORDED   crime ,Q1 2024/25,\"25,000\"\n"
                                         "Hate crime,Q1 2024/25,212\n")
    before = len(seeded.measures.list())
    done = services.measures.import_file(path)
    assert done.new_measures == ["Hate crime"] and done.measures == 2
    assert len(seeded.measures.list()) == before + 1
    assert values_of(seeded, CRIME)[(dt.date(2024, 4, 1), dt.date(2024, 6, 30))] == 25_000


# --- percentages ---------------------------------------------------------------------------------------------------

def test_fractions_of_one_for_a_percentage_measure_are_read_as_percentages_with_one_warning(services, seeded, tmp_path):
    path = write(tmp_path / "fractions.csv", "Measure,Period,Value\n" + "".join(
        f"{RATE},{p},{v}\n" for p, v in (("Q1 2024/25", "0.841"), ("Q2 2024/25", "0.85"), ("Q3 2024/25", "0.862"))))
    done = services.measures.import_file(path)
    got = values_of(seeded, RATE)
    assert sorted(got.values()) == [84.1, 85.0, 86.2]
    assert len(done.warnings) == 1 and "column C ('Value')" in done.warnings[0]
    assert "fractions of one" in done.warnings[0]


def test_a_new_measure_written_with_percent_signs_is_a_percentage(services, seeded, tmp_path):
    services.measures.import_file(write(tmp_path / "new.csv", "Measure,Period,Value\n"
                                                              "Victim satisfaction,Q1 2024/25,71.5%\n"))
    assert seeded.measures.find("Victim satisfaction").unit is Unit.PERCENT


def test_unreadable_cells_are_left_out_with_a_warning_naming_row_and_column(services, seeded, tmp_path):
    path = write(tmp_path / "cells.csv", "Measure,Period,Value\n"
                                         f"{CRIME},Q1 2024/25,lots\n"
                                         f"{CRIME},Q2 2024/25,n/a\n"
                                         f"{CRIME},Q3 2024/25,\"24,100\"\n")
    done = services.measures.import_file(path)
    assert done.values == 1
    assert done.warnings == ["row 2, column C ('Value'): 'lots' is not a figure; left out"]


# --- XLSX ---------------------------------------------------------------------------------------------------------

def _workbook(path: Path, rows: list[list], formats: dict[tuple[int, int], str] | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for (r, c), code in (formats or {}).items():
        sheet.cell(row=r, column=c).number_format = code
    book.save(path)
    return path


def test_xlsx_percentage_cells_and_month_date_cells_written_by_openpyxl(services, seeded, tmp_path):
    rows = [["Measure", "Month", "Value"],
            [RATE, dt.datetime(2025, 4, 1), 0.841],
            [RATE, dt.datetime(2025, 5, 15), 0.852],  # shown as "May-25": the month, whatever the day
            [CRIME, dt.datetime(2025, 4, 1), 8123]]
    formats = {(2, 2): "mmm-yy", (3, 2): "mmm-yy", (4, 2): "mmm-yy", (2, 3): "0.0%", (3, 3): "0.0%"}
    done = services.measures.import_file(_workbook(tmp_path / "months.xlsx", rows, formats))
    assert done.warnings == []
    assert values_of(seeded, RATE) == {(dt.date(2025, 4, 1), dt.date(2025, 4, 30)): 84.1,
                                       (dt.date(2025, 5, 1), dt.date(2025, 5, 31)): 85.2}
    assert values_of(seeded, CRIME)[(dt.date(2025, 4, 1), dt.date(2025, 4, 30))] == 8123


def test_xlsx_dates_all_on_the_first_are_months_and_one_that_is_not_stops_the_import(services, seeded, tmp_path):
    rows = [["Measure", "Date", "Value"], [CRIME, dt.datetime(2025, 4, 1), 1], [CRIME, dt.datetime(2025, 5, 1), 2]]
    services.measures.import_file(_workbook(tmp_path / "firsts.xlsx", rows))
    assert values_of(seeded, CRIME)[(dt.date(2025, 5, 1), dt.date(2025, 5, 31))] == 2
    rows.append([CRIME, dt.datetime(2025, 6, 17), 3])
    before = content_dump(seeded)
    with pytest.raises(ImportFailed, match=r"odd-dates.xlsx: row 4, column B \('Date'\): '2025-06-17' is a date"):
        services.measures.import_file(_workbook(tmp_path / "odd-dates.xlsx", rows))
    assert content_dump(seeded) == before


def test_xlsx_wide_with_date_cells_in_the_header(services, seeded, tmp_path):
    rows = [["", dt.datetime(2025, 4, 1), dt.datetime(2025, 5, 1)], [CRIME, 8000, 8100], [RATE, 0.9, 0.91]]
    formats = {(1, 2): "dd/mm/yyyy", (1, 3): "dd/mm/yyyy", (3, 2): "0%", (3, 3): "0%"}
    done = services.measures.import_file(_workbook(tmp_path / "wide-dates.xlsx", rows, formats))
    assert done.shape == "wide" and done.values == 4
    assert values_of(seeded, RATE)[(dt.date(2025, 5, 1), dt.date(2025, 5, 31))] == 91


def test_the_sheet_named_is_read(services, seeded, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Contents"])
    other = book.create_sheet("Figures")
    other.append(["Measure", "Period", "Value"])
    other.append([CRIME, "Q1 2024/25", 100])
    path = tmp_path / "sheets.xlsx"
    book.save(path)
    assert services.measures.import_file(path, sheet="Figures").values == 1


@pytest.mark.parametrize(("name", "expected"), [
    ("lo-tall-months.xlsx", {RATE: {dt.date(2024, 4, 30): 84.1, dt.date(2024, 5, 31): 85.1,
                                    dt.date(2024, 6, 30): 86.1},
                             CRIME: {dt.date(2024, 4, 30): 8000, dt.date(2024, 5, 31): 8100,
                                     dt.date(2024, 6, 30): 8200}}),
    ("lo-tall-first-of-month.xlsx", {"Anti-social behaviour incidents": {
        dt.date(2024, 4, 30): 1500, dt.date(2024, 5, 31): 1490, dt.date(2024, 6, 30): 1480}}),
    ("lo-wide-dates.xlsx", {"Crime recording rate: sexual offences": {
        dt.date(2024, 4, 30): 89.5, dt.date(2024, 5, 31): 90.1, dt.date(2024, 6, 30): 90.8},
        "Domestic Violence Protection Orders": {dt.date(2024, 4, 30): 31, dt.date(2024, 5, 31): 28,
                                                dt.date(2024, 6, 30): 35}}),
])
def test_workbooks_saved_by_libreoffice(services, seeded, name, expected):
    done = services.measures.import_file(FIXTURES / name)
    assert done.warnings == [] and done.new_measures == []
    for measure, figures in expected.items():
        got = {end: value for (_, end), value in values_of(seeded, measure).items()}
        assert got == pytest.approx(figures), measure
    if name == "lo-tall-months.xlsx":  # the target cells are percentages too
        measure = seeded.measures.find(RATE)
        assert {v.target for v in seeded.measures.values(measure.id)} == {90.0}


# --- the sample files in docs/ -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sample-performance-figures-MADE-UP.csv",
                                  "sample-performance-figures-MADE-UP-wide.csv",
                                  "sample-performance-figures-MADE-UP-wide.xlsx"])
def test_the_sample_files_import_cleanly_and_a_second_import_changes_nothing(services, seeded, name):
    done = services.measures.import_file(DOCS / name)
    assert (done.measures, done.values, done.new, done.new_measures, done.warnings) == (9, 90, 90, [], [])
    assert done.backup is not None and Path(done.backup).exists()
    before = content_dump(seeded)
    again = services.measures.import_file(DOCS / name)
    assert (again.changed, again.new, again.unchanged, again.new_measures) == (0, 0, 90, [])
    assert again.backup is None and content_dump(seeded) == before
    assert values_of(seeded, RATE)[(dt.date(2025, 7, 1), dt.date(2025, 9, 30))] == 92.5


def test_the_tall_and_wide_samples_hold_the_same_figures(services, seeded):
    services.measures.import_file(DOCS / "sample-performance-figures-MADE-UP.csv")
    for name in ("sample-performance-figures-MADE-UP-wide.csv", "sample-performance-figures-MADE-UP-wide.xlsx"):
        again = services.measures.import_file(DOCS / name)
        assert (again.changed, again.new) == (0, 0), name


def test_a_changed_figure_is_updated_in_place_and_reported(services, seeded, tmp_path):
    services.measures.import_file(write(tmp_path / "a.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,100\n"))
    done = services.measures.import_file(write(tmp_path / "b.csv", f"Measure,Period,Value\n{CRIME},Apr-Jun 2024,"
                                                                   "120\n"))
    assert (done.changed, done.new) == (1, 0)
    assert [(c.period, c.old, c.new) for c in done.changes] == [("Q1 2024/25", 100, 120)]


def test_a_dry_run_writes_nothing(services, seeded):
    before = content_dump(seeded)
    done = services.measures.import_file(DOCS / "sample-performance-figures-MADE-UP.csv", dry_run=True)
    assert done.dry_run and done.new == 90 and done.backup is None
    assert content_dump(seeded) == before


def test_a_column_is_named_with_columns(services, seeded, tmp_path):
    path = write(tmp_path / "odd-headers.csv", "Thing measured,When,How many\n"
                                               f"{CRIME},Q1 2024/25,\"1,234\"\n")
    with pytest.raises(ImportFailed, match="no measure column"):
        services.measures.import_file(path)
    done = services.measures.import_file(path, columns={"measure": "Thing measured", "period": "When",
                                                        "value": "How many"})
    assert done.values == 1
    with pytest.raises(UsageError, match="unknown field 'colour'"):
        services.measures.import_file(path, columns={"colour": "When"})
    with pytest.raises(UsageError, match="no such column"):
        services.measures.import_file(path, columns={"measure": "Nope"})


def test_a_measure_written_once_above_its_figures_is_carried_down(services, seeded, tmp_path):
    path = write(tmp_path / "merged.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,1\n,Q2 2024/25,2\n")
    assert services.measures.import_file(path).values == 2


# --- unusable files ------------------------------------------------------------------------------------------------

def _unusable(tmp_path: Path) -> list[tuple[Path, list[str]]]:
    cases = []

    def case(name: str, text: str | bytes, words: list[str]) -> None:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        cases.append((path, [name, *words]))

    case("empty.csv", b"", ["is not a table"])
    case("prose.csv", "Dear colleagues\nthe figures follow next month\n", ["is not a table"])
    case("no-measure.csv", "Period,Value\nQ1 2024/25,12\n", ["no measure column", "--column measure="])
    case("no-period.csv", "Measure,Value\nRecorded crime,12\n", ["row 1", "has no period"])
    case("no-value.csv", "Measure,Period,Notes\nRecorded crime,Q1 2024/25,x\n", ["row 1", "no value column"])
    case("bad-header-period.csv", f"Measure,Q1 2024/25,Q1 2024\n{CRIME},1,2\n",
         ["row 1", "column C ('Q1 2024')", "financial or a calendar quarter"])
    case("same-period-twice.csv", f"Measure,Q1 2024/25,Apr-Jun 2024\n{CRIME},1,2\n",
         ["row 1", "columns B and C are the same period"])
    case("bad-row-period.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,1\n{CRIME},2011-12,2\n",
         ["row 3", "column B ('Period')", "'2011-12'"])
    case("no-period-cell.csv", f"Measure,Period,Value\n{CRIME},,5\n", ["row 2", "column B ('Period')", "no period"])
    case("conflict.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,1\n{CRIME.upper()},Apr-Jun 2024,2\n",
         ["row 3", "column C ('Value')", "two different figures", "rows 2 and 3"])
    case("a-date.csv", f"Measure,Period,Value\n{CRIME},2024-04-01,1\n{CRIME},2024-05-15,2\n",
         ["row 3", "'2024-05-15' is a date, not a period"])
    case("header-only.csv", "Measure,Period,Value\n", ["no figures"])
    case("nothing-readable.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,lots\n", ["no figures"])
    case("huge-cell.csv", f"Measure,Period,Value\n{CRIME},Q1 2024/25,{'9' * (101 * 1024)}\n",
         ["row 2", "column C ('Value')", "100 kB"])
    case("long-name.csv", f"Measure,Period,Value\n{'M' * 400},Q1 2024/25,1\n", ["row 2", "not a measure's name"])
    case("broken-utf8.csv", b"Measure,Period,Value\n" + "Café,Q1 2024/25,1\n".encode() + b"X\xff,Q1,1\n",
         ["row 3", "not valid UTF-8"])
    case("fake.xlsx", b"PK\x03\x04 not really a workbook", ["not a readable XLSX workbook"])
    case("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, [".xlsx or CSV"])
    return cases


def test_each_unusable_file_is_refused_in_one_line_and_the_database_is_unchanged(services, seeded, tmp_path):
    cases = _unusable(tmp_path)
    before = content_dump(seeded)
    for path, words in cases:
        with pytest.raises(ImportFailed) as caught:
            services.measures.import_file(path)
        message = str(caught.value)
        assert "\n" not in message
        for word in words:
            assert word in message, (path.name, message)
        assert content_dump(seeded) == before, path.name
    assert not backup_folder(seeded.path).exists() or not list(backup_folder(seeded.path).glob("*import*"))


def test_too_many_figures_is_refused(services, seeded, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "MAX_VALUES", 3)
    path = write(tmp_path / "many.csv", "Measure,Period,Value\n" + "".join(
        f"{CRIME},{p},{n}\n" for n, p in enumerate(["Apr 2024", "May 2024", "Jun 2024", "Jul 2024"])))
    before = content_dump(seeded)
    with pytest.raises(ImportFailed, match=r"many.csv: row 5: holds over 3 figures \(4\); split it"):
        services.measures.import_file(path)
    assert content_dump(seeded) == before


def test_a_missing_file_and_a_missing_sheet(services, seeded, tmp_path):
    with pytest.raises(ImportFailed, match="no such file"):
        services.measures.import_file(tmp_path / "nowhere.csv")
    with pytest.raises(ImportFailed, match="has no sheet 'Nope'"):
        services.measures.import_file(DOCS / "sample-performance-figures-MADE-UP-wide.xlsx", sheet="Nope")


def test_a_read_only_database_is_not_changed(seeded_path, tmp_path):
    from accountability_tui.domain.errors import StoreError
    from accountability_tui.store import Store

    with Store.open(seeded_path, readonly=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            Services(store).measures.import_file(DOCS / "sample-performance-figures-MADE-UP.csv")
