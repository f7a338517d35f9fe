"""Damaged, unusable or read-only files: one clear message with what to do, never a traceback."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Select, TextArea

from accountability_tui.cli import main
from accountability_tui.domain.errors import StoreError
from accountability_tui.store import Store
from accountability_tui.ui.app import AccountabilityApp

from apphelp import make_app, static_text, wait_for, wait_screen

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accountability_tui", *args], capture_output=True, text=True,
                          timeout=60)


def test_a_truncated_database_gets_one_line_saying_to_restore(seeded_path):
    with Store.open(seeded_path) as store:
        store.backup("good copy")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = seeded_path.read_bytes()
    seeded_path.write_bytes(data[: len(data) // 3])
    for command in (["overdue"], ["check"], ["actions", "--json"]):
        result = cli(*command, "--db", str(seeded_path))
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
        assert "restore" in result.stderr and "seeded.db-backups" in result.stderr


def test_a_corrupted_page_is_found_by_check(seeded_path):
    with Store.open(seeded_path) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = store.scalar("PRAGMA page_size")
        root = store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'actions'")
    with seeded_path.open("r+b") as fh:  # scribble over the actions table's page header and cell pointers
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xff" * 200)
    result = cli("check", "--db", str(seeded_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "restore" in result.stderr
    assert "problem" in result.stdout or "damaged" in result.stderr


def test_check_on_a_sound_database(seeded_path, capsys):
    assert main(["check", "--db", str(seeded_path)]) == 0
    assert "no problems found" in capsys.readouterr().out
    assert main(["check", "--db", str(seeded_path), "--quick"]) == 0


def test_a_schema_newer_than_the_app_says_to_upgrade(seeded_path):
    import sqlite3

    conn = sqlite3.connect(seeded_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('accountability_tui', '9000_future', 'now')")
    conn.commit()
    conn.close()
    result = cli("overdue", "--db", str(seeded_path))
    assert result.returncode == 1 and "upgrade accountability-tui" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def readonly_copy(seeded_path, tmp_path):
    """A copy of the database in a folder that cannot be written: by permissions for an ordinary user, by a
    read-only bind mount for root (whom permissions do not stop)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "team.db"
    shutil.copy(seeded_path, path)
    if os.geteuid() != 0:
        path.chmod(0o444)
        folder.chmod(0o555)
        yield path
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("running as root without permission to make a read-only mount")
    try:
        remount = subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("running as root without permission to make a read-only mount")
        yield path
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def _as_user(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "accountability_tui", *args], capture_output=True, text=True,
                          timeout=60)


def test_a_read_only_file_opens_read_only_and_refuses_edits_politely(readonly_copy):
    result = _as_user("overdue", "--db", str(readonly_copy), "--as-of", "2023-06-01", "--json")
    assert result.returncode == 0, result.stderr
    assert '"ref"' in result.stdout and "read-only" in result.stderr and "Traceback" not in result.stderr
    code = ("from accountability_tui.store import Store\nfrom accountability_tui.domain.errors import StoreError\n"
            f"s = Store.open({str(readonly_copy)!r})\nassert s.readonly and 'read-only' in s.readonly_reason\n"
            "a = s.actions.list()[0]\ntry:\n    s.actions.update(a.id, a.version, lead='x')\n"
            "except StoreError as e:\n    print('REFUSED', e)\n")
    refused = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "REFUSED read-only:" in refused.stdout, refused.stderr
    result = _as_user("import", str(ROOT / "seed_data/sources/004_8cb72b75a6a85661.txt"), "--db", str(readonly_copy))
    assert result.returncode == 1 and "read-only" in result.stderr and "Traceback" not in result.stderr


async def test_the_app_opened_read_only_shows_a_banner_and_refuses_edits(seeded_path):
    before = Store.open(seeded_path).dump()
    app = AccountabilityApp(seeded_path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        assert app.sub_title.startswith("READ-ONLY · seeded.db")
        await pilot.press("2")
        actions = await wait_screen(pilot, "actions")
        table = await wait_for(pilot, lambda: actions.query_one("#table"), "the table")
        await wait_for(pilot, lambda: table.row_count > 0, "the actions")
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        edit.query_one("#status", Select).value = "complete"
        edit.query_one("#note", TextArea).text = "Trying to save"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "read-only" in static_text(edit.query_one("#error")), "a polite refusal")
        assert "nothing was changed" in static_text(edit.query_one("#error"))
    assert Store.open(seeded_path).dump() == before


def test_a_missing_folder_or_a_folder_given_as_the_database(tmp_path, capsys):
    assert main(["init", "--db", str(tmp_path / "nowhere" / "x.db")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["overdue", "--db", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_opening_a_store_that_cannot_be_created_here(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such.db")


def test_on_a_network_filesystem_the_officer_is_warned_once(seeded_path, monkeypatch, capsys):
    monkeypatch.setenv("ACCOUNTABILITY_TUI_NETWORK_FS", "1")
    assert main(["overdue", "--db", str(seeded_path), "--as-of", "2023-06-01", "--json"]) == 0
    err = capsys.readouterr().err
    assert err.count("network filesystem") == 1 and "over SSH" in err
    with Store.open(seeded_path) as store:
        assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


async def test_the_app_warns_about_a_network_filesystem(seeded_path, monkeypatch):
    monkeypatch.setenv("ACCOUNTABILITY_TUI_NETWORK_FS", "1")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: any("network filesystem" in m for _, m in app.told), "warning")
        assert [s for s, m in app.told if "network filesystem" in m] == ["warning"]
