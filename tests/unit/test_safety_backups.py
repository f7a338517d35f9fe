"""Backups: before every migration and import, in rotation; backup and restore by hand; a restore can be undone."""

import io
import shlex

from accountability_tui.cli import main
from accountability_tui.importers import import_file
from accountability_tui.store import Store
from accountability_tui.store.connection import BACKUPS_KEPT

from conftest import ADP
from tablefiles import write_csv


def test_an_import_is_preceded_by_a_backup_of_the_database_as_it_was(seeded, tmp_path):
    before = seeded.actions.count()
    report = import_file(seeded, write_csv(tmp_path / "plan.csv"), plan="DP")
    assert report.backup and "before-import-plan-csv" in report.backup
    with Store.open(report.backup) as copy:
        assert copy.actions.count() == before
    assert seeded.actions.count() == before + 4


def test_dry_runs_take_no_backup(seeded, tmp_path):
    import_file(seeded, write_csv(tmp_path / "plan.csv"), plan="DP", dry_run=True)
    assert seeded.backups() == []


def test_backups_are_private_and_only_the_last_ten_are_kept(seeded):
    for n in range(BACKUPS_KEPT + 2):
        seeded.backup(f"n{n}")
    backups = seeded.backups()
    assert len(backups) == BACKUPS_KEPT and backups[-1].name.endswith("-n11.db")
    assert all((b.stat().st_mode & 0o777) == 0o600 for b in backups)
    assert not list(backups[0].parent.glob(".*partial"))


def test_backup_and_restore_from_the_command_line_and_undo_the_restore(seeded_path, capsys, monkeypatch):
    assert main(["backup", "--db", str(seeded_path)]) == 0
    backup = capsys.readouterr().out.strip()
    with Store.open(seeded_path) as store:
        import_file(store, ADP, plan="EXTRA")
        changed = store.actions.count()
    # without --yes, and not at a terminal: refused
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert main(["restore", backup, "--db", str(seeded_path)]) == 2
    assert "confirm with --yes" in capsys.readouterr().err
    # at a terminal, the officer is asked; "n" changes nothing
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["restore", backup, "--db", str(seeded_path)]) == 1
    assert "nothing changed" in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["restore", backup, "--db", str(seeded_path)]) == 0
    out = capsys.readouterr().out
    assert "to undo it, run: accountability-tui restore " in out
    undo = shlex.split(out.rsplit("to undo it, run: ", 1)[1])  # the exact command, pasted as it is
    assert undo[:2] == ["accountability-tui", "restore"] and undo[3:] == ["--db", str(seeded_path)]
    with Store.open(seeded_path) as store:
        assert store.actions.count() == 234
    assert main([*undo[1:], "--yes"]) == 0  # the restore itself is undone
    with Store.open(seeded_path) as store:
        assert store.actions.count() == changed
        assert store.check() == []


def test_restore_refuses_what_is_not_a_sound_backup(seeded_path, tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    assert main(["restore", str(junk), "--db", str(seeded_path), "--yes"]) == 1
    assert "not an accountability-tui database" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing.db"), "--db", str(seeded_path), "--yes"]) == 1
    assert "no backup at" in capsys.readouterr().err
    assert main(["backup", "--list", "--db", str(seeded_path)]) == 0
