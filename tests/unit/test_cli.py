"""The command line, on the seed document and on tables built here."""

import json
import os
import subprocess
import sys

import pytest

from accountability_tui.cli import main
from accountability_tui.store import Store

from conftest import ADP
from tablefiles import write_csv, write_xlsx


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_creates_a_seeded_database(tmp_path, capsys):
    db = tmp_path / "new.db"
    code, out, _ = run(capsys, "init", "--db", db)
    assert code == 0 and "with the Hertfordshire data (234 actions)" in out
    code, out, _ = run(capsys, "init", "--db", db)
    assert code == 0 and "already exists" in out


def test_init_empty(tmp_path, capsys):
    db = tmp_path / "new.db"
    code, out, _ = run(capsys, "init", "--db", db, "--empty")
    assert code == 0 and "empty" in out
    with Store.open(db) as store:
        assert store.is_empty()


def test_default_database_comes_from_the_environment_and_is_seeded_on_first_use(tmp_path, capsys, monkeypatch):
    db = tmp_path / "data" / "default.db"
    db.parent.mkdir()
    monkeypatch.setenv("ACCOUNTABILITY_TUI_DB", str(db))
    code, out, _ = run(capsys, "overdue", "--as-of", "2023-06-01", "--json")
    assert code == 0 and len(json.loads(out)) == 3
    assert db.exists()


def test_import_json_report_on_the_seed_document(tmp_path, capsys):
    db = tmp_path / "x.db"
    run(capsys, "init", "--db", db, "--empty")
    code, out, err = run(capsys, "import", ADP, "--db", db, "--plan", "CSCJ-2022-27", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["actions"] == 147
    assert report["by_status"] == {"complete": 33, "in_progress": 86, "not_started": 27, "unknown": 1,
                                   "on_hold": 0, "withdrawn": 0}
    assert report["warnings"] == [{"ref": "46", "row": 117, "message": "action 46 has no status; recorded as unknown"}]
    assert report["plan"] == "CSCJ-2022-27" and report["plan_created"] is True


def test_import_for_people_prints_a_summary_and_warnings(tmp_path, capsys):
    db = tmp_path / "x.db"
    run(capsys, "init", "--db", db, "--empty")
    code, out, err = run(capsys, "import", write_csv(tmp_path / "plan.csv"), "--db", db, "--plan", "DP")
    assert code == 0
    assert "imported 4 actions into DP (new plan): 4 new" in out
    assert "warning: row 5: action A4: status 'Stalled' not understood" in err


def test_import_dry_run_changes_nothing(seeded_path, tmp_path, capsys):
    with Store.open(seeded_path) as store:
        before = store.dump()
    code, out, _ = run(capsys, "import", write_csv(tmp_path / "plan.csv"), "--db", seeded_path, "--dry-run")
    assert code == 0 and out.startswith("would import 4 actions")
    with Store.open(seeded_path) as store:
        assert store.dump() == before


def test_import_xlsx_with_sheet_and_column_override(tmp_path, capsys):
    db = tmp_path / "x.db"
    run(capsys, "init", "--db", db, "--empty")
    path = write_xlsx(tmp_path / "t.xlsx", sheets={"Q2": [["Ref", "Thing to do", "Status"],
                                                          ["1", "Fund the scheme", "Done"]]})
    code, out, err = run(capsys, "import", path, "--db", db, "--sheet", "Q2", "--column", "text=Thing to do",
                         "--json")
    assert code == 0, err
    assert json.loads(out)["by_status"]["complete"] == 1
    code, _, err = run(capsys, "import", path, "--db", db, "--sheet", "Nope")
    assert code == 1 and "has no sheet 'Nope'; its sheets are: Delivery plan, Q2" in err


def test_overdue_json_items(seeded_path, capsys):
    code, out, _ = run(capsys, "overdue", "--db", seeded_path, "--as-of", "2023-06-01", "--json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 3
    for item in items:
        assert {"ref", "plan", "priority", "text", "lead", "status", "timeframe", "due", "days_overdue"} <= set(item)
        assert item["plan"] == "CSCJ-2022-27" and item["due"] == "2023-05-31" and item["days_overdue"] == 1
        assert item["timeframe"] == "Spring 2023"


def test_overdue_for_people_and_per_plan(seeded_path, capsys):
    code, out, _ = run(capsys, "overdue", "--db", seeded_path, "--as-of", "2023-06-01", "--plan", "CSCJ-2022-27")
    lines = out.splitlines()  # not a terminal here: the whole text, tab-separated, a line an action
    assert code == 0 and lines[0].split("\t") == ["plan", "ref", "priority_title", "theme", "status", "due",
                                                    "days_overdue", "lead", "text"] and len(lines) == 4
    assert all(line.count("\t") == 8 for line in lines)
    assert any(line.endswith("Ask the Chief Constable to examine the composition of neighbourhood policing teams, "
                             "including the relationship to the Hertfordshire Harm Index and consider how resources "
                             "should be managed and deployed.") for line in lines)
    code, out, _ = run(capsys, "overdue", "--db", seeded_path, "--as-of", "2023-06-01", "--plan", "PCP-2025-29")
    assert code == 0 and "no actions overdue" in out


def test_actions_json_has_theme_and_mechanism_and_filters_by_status(seeded_path, capsys):
    code, out, _ = run(capsys, "actions", "--db", seeded_path, "--json")
    items = json.loads(out)
    assert len(items) == 234
    assert {"theme", "mechanism", "ref", "plan", "priority", "text", "lead", "status", "timeframe", "due",
            "days_overdue"} <= set(items[0])
    code, out, _ = run(capsys, "actions", "--db", seeded_path, "--plan", "CSCJ-2022-27", "--status", "complete",
                       "--json")
    assert len(json.loads(out)) == 33
    code, out, _ = run(capsys, "actions", "--db", seeded_path, "--status", "Not started", "--json")
    assert len(json.loads(out)) == 27


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["overdue", "--as-of", "2024-13-01"], "is not a date; use YYYY-MM-DD"),
        (["overdue", "--plan", "NOPE"], "no plan 'NOPE' (plans: PCP-2025-29, CSCJ-2022-27)"),
        (["actions", "--status", "stalled"], "is not a status"),
        (["import", "missing.csv"], "no such file"),
        (["import", "x.csv", "--column", "nonsense"], "field=Header"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_errors_are_one_line_and_non_zero(seeded_path, tmp_path, capsys, argv, message):
    os.chdir(tmp_path)
    code, out, err = run(capsys, *argv, "--db", seeded_path)
    assert code != 0
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_explicit_missing_database_is_not_created_by_read_commands(tmp_path, capsys):
    code, _, err = run(capsys, "overdue", "--db", tmp_path / "typo.db")
    assert code == 1 and "accountability-tui init --db" in err
    assert not (tmp_path / "typo.db").exists()


def test_damaged_database_gives_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00\xff" * 400)
    result = subprocess.run([sys.executable, "-m", "accountability_tui", "overdue", "--db", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "damaged" in result.stderr or "not an accountability-tui database" in result.stderr


def test_demo_data_is_national_in_proportion_flagged_and_made_once(tmp_path, capsys):
    db = tmp_path / "demo.db"
    code, out, _ = run(capsys, "demo-data", "--db", db, "--actions", 430, "--seed", 5)
    assert code == 0 and "430 actions" in out and "43 findings" in out and "86 questions" in out
    with Store.open(db) as store:
        demo_plans = [p for p in store.plans.list() if p.demo]
        assert len(demo_plans) == 43 and len({p.force for p in demo_plans}) == 43
        assert sum(p.actions for p in demo_plans) == 430
        assert store.scalar("SELECT count(*) FROM findings WHERE demo = 0") == 5  # the seed's real findings
        assert store.scalar("SELECT count(*) FROM questions WHERE demo = 0") == 0
        before = store.dump()
    code, _, err = run(capsys, "demo-data", "--db", db, "--actions", 430)
    assert code != 0 and "already has demonstration data" in err and "Traceback" not in err
    with Store.open(db) as store:
        assert store.dump() == before


def test_demo_data_refuses_too_few_actions_before_making_a_file(tmp_path, capsys):
    db = tmp_path / "demo.db"
    code, _, err = run(capsys, "demo-data", "--db", db, "--actions", 10)
    assert code != 0 and "at least 43" in err and not db.exists()


def test_demo_data_is_the_same_for_the_same_seed(tmp_path, capsys):
    texts = []
    for name in ("a.db", "b.db"):
        run(capsys, "demo-data", "--db", tmp_path / name, "--actions", 86, "--seed", 9)
        with Store.open(tmp_path / name) as store:
            texts.append([(a.ref, a.text, a.status, a.due) for a in store.actions.list()])
    assert texts[0] == texts[1]
