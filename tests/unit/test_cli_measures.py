"""`import-measures` and `measures` on the command line; the plan's measures added once to a database made before
there were any; performance figures in demo-data. Real temporary databases, the real command line."""

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from accountability_tui.cli import main
from accountability_tui.services import seed
from accountability_tui.services.database import open_services
from accountability_tui.store import Store, connection

from conftest import content_dump

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "sample-performance-figures-MADE-UP.csv"
RATE = "Crime recording rate: all reported crime"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_measures_json(seeded_path, capsys):
    code, out, err = run(capsys, "import-measures", SAMPLE, "--db", seeded_path, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert {k: report[k] for k in ("measures", "values", "new_measures", "changed", "warnings")} == {
        "measures": 9, "values": 90, "new_measures": [], "changed": 0, "warnings": []}
    code, out, _ = run(capsys, "import-measures", SAMPLE, "--db", seeded_path, "--json")
    assert json.loads(out)["changed"] == 0 and json.loads(out)["new"] == 0


def test_import_measures_for_people_and_a_dry_run(seeded_path, tmp_path, capsys):
    code, out, _ = run(capsys, "import-measures", SAMPLE, "--db", seeded_path, "--dry-run")
    assert code == 0 and out.startswith("would import 90 figures of 9 measures from ")
    figures = tmp_path / "figures.csv"
    figures.write_text("Measure;Period;Value\nHate crime;Q1 2024/25;212\nRecorded crime;Q1 2024/25;oops\n",
                       encoding="cp1252")
    code, out, err = run(capsys, "import-measures", figures, "--db", seeded_path)
    assert code == 0
    assert "imported 1 figures of 1 measures, 1 of them new" in out and "new measure: Hate crime" in out
    assert "warning: row 3, column C ('Value'): 'oops' is not a figure; left out" in err
    assert "backup of the database before the import" in out


def test_import_measures_with_column_and_sheet(seeded_path, tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Cover"])
    sheet = book.create_sheet("Pack")
    sheet.append(["Thing", "When", "Number"])
    sheet.append(["Recorded crime", "Q1 2024/25", 25_000])
    path = tmp_path / "pack.xlsx"
    book.save(path)
    code, out, err = run(capsys, "import-measures", path, "--db", seeded_path, "--sheet", "Pack", "--column",
                         "measure=Thing", "--column", "period=When", "--column", "value=Number", "--json")
    assert code == 0, err
    assert json.loads(out)["values"] == 1
    code, _, err = run(capsys, "import-measures", path, "--db", seeded_path, "--column", "measure")
    assert code == 2 and "write it as field=Header" in err


def test_import_measures_error_is_one_line_and_changes_nothing(seeded_path, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("Measure,Q1 2024/25,Q1 2024\nRecorded crime,1,2\n", encoding="utf-8")
    with Store.open(seeded_path) as store:
        before = content_dump(store)
    code, out, err = run(capsys, "import-measures", bad, "--db", seeded_path, "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "bad.csv: row 1, column C ('Q1 2024')" in err
    with Store.open(seeded_path) as store:
        assert content_dump(store) == before


def _imported(db: Path, capsys) -> None:
    code, _, err = run(capsys, "import-measures", SAMPLE, "--db", db)
    assert code == 0, err


def test_measures_json_latest_change_and_direction(seeded_path, capsys):
    _imported(seeded_path, capsys)
    code, out, err = run(capsys, "measures", "--db", seeded_path, "--as-of", "2025-10-15", "--json")
    assert code == 0, err
    measures = {m["name"]: m for m in json.loads(out)}
    assert len(measures) == 9
    rate = measures[RATE]
    assert rate["unit"] == "%" and rate["direction"] == "higher" and rate["objective"] == 1
    assert rate["baseline"]["value"] == 82.5 and rate["baseline"]["source"] == "Police & Crime Plan 2025-29, p.22"
    assert [v["period"] for v in rate["values"]][:2] == ["Q1 2023/24", "Q2 2023/24"]
    assert rate["values"][0] | {} == {**rate["values"][0], "start": "2023-04-01", "end": "2023-06-30", "value": 83.0}
    ends = [v["end"] for v in rate["values"]]
    assert ends == sorted(ends)
    assert rate["latest"]["period"] == "Q2 2025/26" and rate["latest"]["value"] == 92.5
    assert rate["year_earlier"]["period"] == "Q2 2024/25"
    assert rate["change_year"] == 3.6 and rate["versus_year"] == "better" and rate["moved_right_way"] is True
    crime = measures["Recorded crime"]  # lower is better: down 1,800 on a year earlier
    assert crime["direction"] == "lower" and crime["change_year"] == -1800 and crime["moved_right_way"] is True
    assert crime["baseline"]["value"] is None and crime["baseline"]["pending"] is True


def test_measures_as_of_and_objective(seeded_path, capsys):
    _imported(seeded_path, capsys)
    code, out, _ = run(capsys, "measures", "--db", seeded_path, "--as-of", "2024-12-31", "--objective", "1",
                       "--json")
    measures = json.loads(out)
    assert code == 0 and {m["objective"] for m in measures} == {1} and len(measures) == 3
    rate = next(m for m in measures if m["name"] == RATE)
    assert rate["latest"]["period"] == "Q3 2024/25" and rate["latest"]["end"] == "2024-12-31"
    assert rate["change_year"] == 5.1  # 90.2 against Q3 2023/24's 85.1
    assert len(rate["values"]) == 10  # every figure, in period order; latest is judged at the as-of date
    code, out, _ = run(capsys, "measures", "--db", seeded_path, "--as-of", "2020-01-01", "--json")
    assert all(m["latest"] is None and m["change_year"] is None for m in json.loads(out))
    code, _, err = run(capsys, "measures", "--db", seeded_path, "--objective", "9")
    assert code == 1 and "no performance objective 9" in err


def test_measures_to_a_pipe_is_tab_separated(seeded_path, capsys):
    _imported(seeded_path, capsys)
    code, out, _ = run(capsys, "measures", "--db", seeded_path, "--as-of", "2025-10-15")
    lines = out.splitlines()
    assert code == 0 and lines[0].split("\t")[:3] == ["objective", "name", "unit"]
    row = dict(zip(lines[0].split("\t"), next(line for line in lines if RATE in line).split("\t"), strict=True))
    assert row["latest"] == "92.5" and row["change_year"] == "+3.6" and row["versus_year"] == "better"
    assert row["baseline"] == "82.5"
    pending = next(line for line in lines if line.split("\t")[1] == "Recorded crime")
    assert "pending" in pending.split("\t")


def test_measures_when_there_are_none(tmp_path, capsys):
    db = tmp_path / "empty.db"
    run(capsys, "init", "--db", db, "--empty")
    code, out, _ = run(capsys, "measures", "--db", db)
    assert code == 0 and out.strip() == "no performance measures"


# --- a database made before there were measures ------------------------------------------------------------------

def _old_database(path: Path, tmp_path: Path, monkeypatch) -> None:
    """A seeded database as the version before migration 0007 made it (no measure tables, no measures)."""
    folder = tmp_path / "old-migrations"
    folder.mkdir()
    for migration in connection.migration_files():
        if migration.stem < "0007":
            shutil.copy(migration, folder / migration.name)
    facts = seed.load_facts()
    for plan in facts["plans"]:
        plan.pop("performance", None)
    with monkeypatch.context() as patch:
        patch.setattr(connection, "load_migrations", lambda folder_=None: connection.__dict__[
            "_original_load_migrations"](folder))
        patch.setattr(seed, "load_facts", lambda folder_=None: facts)
        with Store.open(path) as store:
            seed.build(store)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'measures'").fetchone()[0] == 0
    conn.close()


@pytest.fixture
def old_db(tmp_path, monkeypatch):
    connection.__dict__.setdefault("_original_load_migrations", connection.load_migrations)
    path = tmp_path / "old.db"
    _old_database(path, tmp_path, monkeypatch)
    return path


def test_an_old_database_gets_the_plans_measures_once_when_it_is_opened(old_db, capsys):
    code, out, err = run(capsys, "measures", "--db", old_db, "--json")
    assert code == 0, err
    measures = json.loads(out)
    assert len(measures) == 9 and {m["objective"] for m in measures} == {1, 2, 3, 4}
    assert next(m for m in measures if m["name"] == RATE)["baseline"]["value"] == 82.5
    with Store.open(old_db) as store:
        before = content_dump(store)
    services = open_services(old_db)  # up to date now: nothing more is added
    assert len(services.measures.measures()) == 9
    services.close()
    assert seed.add_missing_performance(Store.open(old_db)) == 0
    with Store.open(old_db) as store:
        assert content_dump(store) == before


def test_an_old_database_opened_read_only_is_left_as_it_is(old_db, capsys):
    before = old_db.read_bytes()
    code, _, err = run(capsys, "--read-only", "measures", "--db", old_db)
    assert code == 1 and "read-only" in err  # it cannot be brought up to date, so it is not changed
    assert old_db.read_bytes() == before
    conn = sqlite3.connect(old_db)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'measures'").fetchone()[0] == 0
    conn.close()


def test_a_new_database_is_seeded_with_measures_and_upgraded_does_nothing_more(tmp_path, capsys):
    db = tmp_path / "new.db"
    run(capsys, "init", "--db", db)
    code, out, _ = run(capsys, "measures", "--db", db, "--json")
    assert len(json.loads(out)) == 9


# --- demo-data ---------------------------------------------------------------------------------------------------

def test_demo_data_makes_every_forces_measures_and_monthly_figures_flagged_demo(seeded_path):
    from accountability_tui.services.demo import DEMO_MEASURES, FORCES, generate

    with Store.open(seeded_path) as store:
        made = generate(store, actions=len(FORCES), findings=len(FORCES), questions=1, meetings=1, months=6)
        herts_real = 9  # Hertfordshire's seeded measures keep their names, and get no made-up figures
        assert made["measures"] == len(FORCES) * len(DEMO_MEASURES) - herts_real
        assert made["figures"] == made["measures"] * 6
        assert store.scalar("SELECT count(*) FROM measure_values WHERE demo = 0") == 0
        assert store.scalar("SELECT count(*) FROM measures WHERE demo = 1") == made["measures"]
        assert store.scalar("SELECT count(*) FROM measures WHERE demo = 0") == herts_real
        # Hertfordshire's demonstration measures go under its plan's four objectives, not a second set of four
        herts = store.measures.objectives(force="Hertfordshire")
        assert [o.number for o in herts] == [1, 2, 3, 4]
        assert {m.objective_id for m in store.measures.list(force="Hertfordshire")} == {o.id for o in herts}
        kent = store.measures.list(force="Kent")
        assert len(kent) == len(DEMO_MEASURES) and all(m.objective_id for m in kent)
        values = store.measures.values(kent[0].id)
        assert [v.label for v in values] == ["Oct 2025", "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026"]
        summary = store.measures.summaries(dt.date(2026, 3, 31), force="Kent")[0]
        assert summary.latest is not None and summary.latest.label == "Mar 2026"
        assert store.check() == []
        history = store.measures.history(kent[0].id)
        assert [h.field for h in history] == ["created", "values_added"]


def test_the_app_opens_an_old_database_the_same_way(old_db):
    services = open_services(old_db, create=False, busy_timeout_ms=2000)  # as ui/app.py opens it
    try:
        assert len(services.measures.measures()) == 9
    finally:
        services.close()
