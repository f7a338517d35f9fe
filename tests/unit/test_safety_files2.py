"""Never lose an officer's work, round two (issue 10): empty and damaged files, restores into any state, backups
that refused imports cannot push out, private briefings, full disks, read-only files, other programs' files, and
error lines that show what they say.

Every test uses real SQLite files and the real command line (accountability_tui.cli.main, or a subprocess where
the process itself must be limited: its umask, its largest file, its user)."""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from accountability_tui.briefing.files import write_atomically
from accountability_tui.cli import main
from accountability_tui.domain.errors import Conflict, DatabaseBusy, StoreError
from accountability_tui.store import Store
from accountability_tui.store.connection import BACKUPS_KEPT

from tablefiles import write_csv

GOOD_CSV = "Ref,Action,Status\n1,Publish the burglary plan,In progress\n2,Review the victims' service,Completed\n"


def run(*args: str, umask: int | None = None, max_file_size: int | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real program in its own process (its umask or its largest file set, when asked)."""
    def limits() -> None:
        if umask is not None:
            os.umask(umask)
        if max_file_size is not None:  # writes past it fail as on a full disk (Python ignores SIGXFSZ)
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_size, max_file_size))

    return subprocess.run([sys.executable, "-m", "accountability_tui", *args], capture_output=True, text=True,
                          timeout=120, preexec_fn=limits, env={**os.environ, **(env or {})})


def one_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err.strip()


def dump(path: Path) -> str:
    with Store.open(path) as store:
        return store.dump()


def advised_command(message: str) -> list[str]:
    """The command an error line tells the person to run (after 'run: '), as the shell would split it."""
    assert "run: accountability-tui restore '" in message, message
    return shlex.split(message.rsplit("run: ", 1)[1])


# --- 2. an existing empty file is damaged, not new ------------------------------------------------------------------

def test_an_emptied_database_is_refused_with_the_command_that_restores_its_newest_backup(tmp_path, capsys,
                                                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.csv").write_text(GOOD_CSV, encoding="utf-8")
    assert main(["init", "--db", "z.db"]) == 0
    assert main(["import", "good.csv", "--db", "z.db", "--plan", "MYWORK"]) == 0
    newest = Path(capsys.readouterr().out.rsplit("before the import: ", 1)[1].strip())
    Path("z.db").write_bytes(b"")  # truncate -s 0 z.db: a failed copy, a full disk
    for command in (["check"], ["overdue"], ["actions", "--json"], ["backup"], ["demo-data", "--actions", "50"]):
        assert main([*command, "--db", "z.db"]) == 1, command
        captured = capsys.readouterr()
        assert "no problems found" not in captured.out
        message = one_line(captured.err)
        assert "z.db is empty (0 bytes)" in message and newest.name in message, message
        assert advised_command(message) == ["accountability-tui", "restore", str(newest), "--db", "z.db"]
        assert Path("z.db").stat().st_size == 0, "the empty file was changed"
        assert not Path("z.db-wal").exists() and not Path("z.db-shm").exists()
    # the command it gives works, and brings back the database as it was before the import
    assert main([*advised_command(message)[1:], "--yes"]) == 0
    capsys.readouterr()
    assert main(["check", "--db", "z.db"]) == 0
    assert "234 actions" in capsys.readouterr().out


def test_the_default_database_emptied_is_refused_not_filled_with_the_sample_data(tmp_path, capsys, monkeypatch):
    default = tmp_path / "accountability.db"
    default.write_bytes(b"")
    monkeypatch.setenv("ACCOUNTABILITY_TUI_DB", str(default))
    assert main(["overdue"]) == 1
    message = one_line(capsys.readouterr().err)
    assert "is empty (0 bytes)" in message and "has no backups" in message
    assert f"accountability-tui init --db '{default}'" in message
    assert default.stat().st_size == 0


def test_only_init_makes_a_database_of_an_existing_empty_file(tmp_path, capsys):
    path = tmp_path / "new.db"
    path.write_bytes(b"")
    assert main(["actions", "--db", str(path)]) == 1
    assert "init --db" in capsys.readouterr().err and path.stat().st_size == 0
    assert main(["init", "--db", str(path)]) == 0
    assert "created" in capsys.readouterr().out
    assert main(["check", "--db", str(path)]) == 0
    assert "234 actions" in capsys.readouterr().out
    assert main(["init", "--db", str(path)]) == 0
    assert "already exists (234 actions); nothing changed" in capsys.readouterr().out


# --- 3. restore works whatever state the database is in ---------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncated", "emptied", "overwritten", "deleted"])
def test_restore_works_into_a_damaged_database_and_keeps_the_damaged_file(seeded_path, capsys, damage):
    assert main(["backup", "--db", str(seeded_path)]) == 0
    backup = Path(capsys.readouterr().out.strip())
    with Store.open(seeded_path) as store:
        store.set_setting("after the backup", "yes")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if damage == "truncated":
        with seeded_path.open("r+b") as fh:
            fh.truncate(50_000)
    elif damage == "emptied":
        seeded_path.write_bytes(b"")
    elif damage == "overwritten":
        seeded_path.write_bytes(b"PK\x03\x04 a spreadsheet saved over the database by mistake")
    else:
        seeded_path.unlink()
    damaged = seeded_path.read_bytes() if seeded_path.exists() else None
    assert main(["backup", "--list", "--db", str(seeded_path)]) == 0  # listing does not need the database
    assert capsys.readouterr().out.split() == [str(backup)]
    if damage != "deleted":
        assert main(["check", "--db", str(seeded_path)]) == 1
        advised = advised_command(one_line(capsys.readouterr().err))
        assert advised == ["accountability-tui", "restore", str(backup), "--db", str(seeded_path)]
    assert main(["restore", str(backup), "--db", str(seeded_path), "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"restored {seeded_path} from {backup.name}" in out
    kept = sorted(seeded_path.parent.glob("seeded-damaged-*.db"))
    if damaged is None:
        assert kept == []
    else:
        assert len(kept) == 1 and kept[0].read_bytes() == damaged, "the damaged file is kept as it was"
        assert f"as {kept[0]}" in out
    assert main(["check", "--db", str(seeded_path)]) == 0
    assert "234 actions" in capsys.readouterr().out
    with Store.open(seeded_path) as store:
        assert store.get_setting("after the backup") is None  # the backup's content, not the damaged file's
    assert backup.exists()


def test_restore_of_a_sound_database_backs_it_up_and_prints_the_exact_undo_command(seeded_path, capsys):
    assert main(["backup", "--db", str(seeded_path)]) == 0
    backup = capsys.readouterr().out.strip()
    with Store.open(seeded_path) as store:
        store.set_setting("after the backup", "yes")
    assert main(["restore", backup, "--db", str(seeded_path), "--yes"]) == 0
    out = capsys.readouterr().out
    undo = shlex.split(out.rsplit("to undo it, run: ", 1)[1])
    assert undo[:2] == ["accountability-tui", "restore"] and undo[3:] == ["--db", str(seeded_path)]
    assert "before-restore" in undo[2] and not list(seeded_path.parent.glob("*-damaged-*"))
    assert main([*undo[1:], "--yes"]) == 0
    with Store.open(seeded_path) as store:
        assert store.get_setting("after the backup") == "yes"


# --- 4. a backup is checked as opening checks a database, before anything is replaced -------------------------------

def test_a_backup_from_a_newer_version_damaged_or_not_ours_is_refused_before_anything_is_replaced(seeded_path,
                                                                                                  tmp_path, capsys):
    assert main(["backup", "--db", str(seeded_path)]) == 0
    good = Path(capsys.readouterr().out.strip())
    newer = tmp_path / "newer.db"
    shutil.copy(good, newer)
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('accountability_tui', '9000_future', 'now')")
    conn.commit()
    conn.close()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(good.read_bytes()[:60_000])
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = dump(seeded_path)
    backups_before = sorted(good.parent.iterdir())
    for candidate, says in ((newer, "newer accountability-tui (schema 9000_future)"), (truncated, "damaged"),
                            (other, "not an accountability-tui database")):
        assert main(["restore", str(candidate), "--db", str(seeded_path), "--yes"]) == 1
        assert says in one_line(capsys.readouterr().err), candidate
    assert dump(seeded_path) == before
    assert sorted(good.parent.iterdir()) == backups_before  # not even a before-restore backup
    assert main(["overdue", "--db", str(seeded_path), "--as-of", "2026-11-22"]) == 0


# --- 5. versions never repeat across a restore ----------------------------------------------------------------------

def test_an_edit_read_before_a_restore_is_refused_as_a_conflict(seeded_path):
    with Store.open(seeded_path) as officer, Store.open(seeded_path) as colleague:
        stale = officer.actions.list()[0]  # read, then left open on the officer's screen
        backup = colleague.backup("before the change")
        changed = colleague.actions.update(stale.id, stale.version, lead="Changed before the restore")
        highest = max(changed.version, *(a.version for a in colleague.actions.list()))
        colleague.restore(backup)
        restored = colleague.actions.get(stale.id)
        assert restored.lead == stale.lead  # the backup's content is back ...
        assert restored.version > highest  # ... with a version no earlier read can hold
        with pytest.raises(Conflict):
            officer.actions.update(stale.id, stale.version, lead="Saved from a read before the restore")
        with pytest.raises(Conflict):
            officer.actions.update(changed.id, changed.version, lead="Saved from a read after the change")
        fresh = officer.actions.get(stale.id)
        assert officer.actions.update(fresh.id, fresh.version, lead="Read after the restore").version == \
            fresh.version + 1


def test_versions_go_up_after_a_restore_into_a_damaged_file_too(seeded_path, capsys):
    with Store.open(seeded_path) as store:
        stale = store.actions.list()[0]
        backup = store.backup("before the change")
        for n in range(3):
            current = store.actions.get(stale.id)
            store.actions.update(stale.id, current.version, lead=f"change {n}")
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with seeded_path.open("r+b") as fh:
        fh.truncate(50_000)
    assert main(["restore", str(backup), "--db", str(seeded_path), "--yes"]) == 0
    with Store.open(seeded_path) as store:
        with pytest.raises(Conflict):
            store.actions.update(stale.id, stale.version, lead="Saved from a read before the damage")
        with pytest.raises(Conflict):
            store.actions.update(stale.id, stale.version + 3, lead="Saved from the last read before the damage")


# --- 8. backups: refused imports, backups made by hand, databases that share a name ---------------------------------

def test_refused_imports_never_push_out_a_backup_made_by_hand(seeded_path, tmp_path, capsys):
    assert main(["backup", "--db", str(seeded_path)]) == 0
    by_hand = Path(capsys.readouterr().out.strip())
    plan = write_csv(tmp_path / "plan.csv")
    for _ in range(BACKUPS_KEPT + 2):
        assert main(["import", str(plan), "--db", str(seeded_path), "--plan", "not a code!"]) == 1
        assert "a plan code is letters" in one_line(capsys.readouterr().err)
    assert by_hand.exists()
    assert not list(by_hand.parent.glob(".*"))  # no partial copies left behind


def test_a_refused_import_takes_no_backup(seeded_path, tmp_path, capsys):
    plan = write_csv(tmp_path / "plan.csv")
    assert main(["import", str(plan), "--db", str(seeded_path), "--plan", "not a code!"]) == 1
    assert main(["backup", "--list", "--db", str(seeded_path)]) == 0
    assert capsys.readouterr().out == ""


def test_a_backup_taken_inside_a_write_is_kept_only_if_the_write_commits(seeded):
    with pytest.raises(ValueError, match="refused"), seeded.write():
        pending = seeded.backup("before-import-refused")
        raise ValueError("refused")
    assert not pending.exists() and seeded.backups() == []
    assert not list(pending.parent.iterdir())  # nor its partial copy
    with seeded.write():
        made = seeded.backup("before-import-accepted")
        seeded.set_setting("imported", "yes")
    assert seeded.backups() == [made]
    with Store.open(made) as copy:  # the database as it was when the write began
        assert copy.get_setting("imported") is None
    with pytest.raises(RuntimeError, match="before the transaction writes"), seeded.write():
        seeded.set_setting("imported", "again")
        seeded.backup("too late")
    assert seeded.backups() == [made]


def test_automatic_backups_rotate_but_never_remove_one_made_by_hand(seeded):
    by_hand = seeded.backup("by-hand")
    automatic = [seeded.backup(f"before-import-{n}") for n in range(BACKUPS_KEPT + 3)]
    assert by_hand.exists()
    assert seeded.backups() == sorted([by_hand, *automatic[-BACKUPS_KEPT:]], key=lambda p: p.name)


def test_databases_that_share_a_stem_keep_their_backups_apart(tmp_path, capsys):
    work_db, work_sqlite = tmp_path / "work.db", tmp_path / "work.sqlite"
    old_style = tmp_path / "work-backups"  # where earlier versions put the backups of either
    old_style.mkdir()
    old_backup = old_style / "work-20250101-120000-000000-by-hand.db"
    for path in (work_db, work_sqlite):
        assert main(["init", "--db", str(path), "--empty"]) == 0
    with Store.open(work_db) as store:
        store.backup("old style")
        shutil.move(str(store.backups()[-1]), old_backup)
    capsys.readouterr()
    assert main(["backup", "--db", str(work_db)]) == 0
    assert main(["backup", "--db", str(work_sqlite)]) == 0
    made_db, made_sqlite = capsys.readouterr().out.split()
    assert Path(made_db).parent.name == "work.db-backups" and Path(made_sqlite).parent.name == "work.sqlite-backups"
    for path, own in ((work_db, made_db), (work_sqlite, made_sqlite)):
        assert main(["backup", "--list", "--db", str(path)]) == 0
        assert capsys.readouterr().out.split() == [str(old_backup), own]  # the old folder is still found
    with Store.open(work_db) as store:
        for n in range(BACKUPS_KEPT + 2):
            store.backup(f"before-import-{n}")
    assert old_backup.exists() and Path(made_db).exists()  # rotation touches neither the old folder nor by-hand


# --- 10. the internal briefing is private -------------------------------------------------------------------------------

def test_the_internal_briefing_is_readable_by_its_owner_only_whatever_the_umask(seeded_path, tmp_path):
    for umask in (0o022, 0o077, 0o002):
        target = tmp_path / f"internal-{umask:o}.md"
        result = run("export-briefing", "--db", str(seeded_path), "--as-of", "2026-11-22", "-o", str(target),
                     umask=umask)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, umask


def test_a_public_file_follows_the_umask(tmp_path):
    previous = os.umask(0o027)
    try:
        assert stat.S_IMODE(write_atomically(tmp_path / "a.md", "x", private=False).stat().st_mode) == 0o640
        os.umask(0o022)
        assert stat.S_IMODE(write_atomically(tmp_path / "b.md", "x", private=False).stat().st_mode) == 0o644
        assert stat.S_IMODE(write_atomically(tmp_path / "c.md", "x").stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_the_public_briefing_follows_the_umask(seeded_path, tmp_path):
    target = tmp_path / "public.md"
    result = run("export-briefing", "--db", str(seeded_path), "--as-of", "2026-11-22", "--public", "-o",
                 str(target), umask=0o022)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


# --- 11. a full or failing disk is said as such, never as "busy" ----------------------------------------------------

FULL_AT_COMMIT = r'''
import os, sys
from accountability_tui.store import Store
store = Store.open(sys.argv[1])
action = store.actions.list()[0]
filler = open(sys.argv[2], "wb")
try:  # take every byte left on the disk
    while True:
        filler.write(b"\0" * 65536)
        filler.flush()
except OSError:
    pass
try:
    store.actions.update(action.id, action.version, lead="x" * 20000)
except Exception as exc:
    print(type(exc).__name__, exc)
'''

IO_ERROR_AT_COMMIT = r'''
import os, resource, sys
from accountability_tui.store import Store
store = Store.open(sys.argv[1])
action = store.actions.list()[0]
limit = os.path.getsize(sys.argv[1] + "-wal") + 2000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # the WAL cannot grow: the commit fails
try:
    store.actions.update(action.id, action.version, lead="x" * 20000)
except Exception as exc:
    print(type(exc).__name__, exc)
'''


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB filesystem of its own (tmpfs), where a full disk is really full. Needs root and mount."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small filesystem")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_full_disk_at_commit_is_said_as_such_and_nothing_is_saved(seeded_path, small_disk):
    path = small_disk / "full.db"
    shutil.copy(seeded_path, path)
    before = dump(path)
    result = subprocess.run([sys.executable, "-c", FULL_AT_COMMIT, str(path), str(small_disk / "filler")],
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("StoreError "), result.stdout + result.stderr
    assert "busy" not in result.stdout
    assert f"the disk holding {path} is full" in result.stdout and "nothing was saved" in result.stdout
    (small_disk / "filler").unlink()
    assert dump(path) == before


def test_a_failing_disk_at_commit_is_said_as_such_and_nothing_is_saved(seeded_path):
    before = dump(seeded_path)
    result = subprocess.run([sys.executable, "-c", IO_ERROR_AT_COMMIT, str(seeded_path)], capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.startswith("StoreError "), result.stdout + result.stderr
    assert "busy" not in result.stdout
    assert "disk I/O error" in result.stdout and "nothing was saved" in result.stdout
    assert dump(seeded_path) == before


def test_a_database_that_cannot_grow_is_said_to_be_full(seeded):
    action = seeded.actions.list()[0]
    seeded.conn.execute(f"PRAGMA max_page_count = {seeded.scalar('PRAGMA page_count')}")  # SQLite: no more pages
    with pytest.raises(StoreError, match="is full") as refused:
        seeded.actions.update(action.id, action.version, lead="x" * 200_000)
    assert not isinstance(refused.value, DatabaseBusy) and "nothing was saved" in str(refused.value)
    assert seeded.actions.get(action.id).version == action.version


def test_a_backup_that_fails_for_want_of_space_leaves_nothing_behind(seeded_path):
    result = run("backup", "--db", str(seeded_path), max_file_size=64 * 1024)
    assert result.returncode == 1
    message = one_line(result.stderr)
    assert "no backup was made" in message and "disk I/O error" in message and "nothing was saved" in message
    folder = seeded_path.parent / "seeded.db-backups"
    assert list(folder.iterdir()) == [], "a failed backup left a file"
    result = run("import", str(Path(__file__).parent.parent.parent / "seed_data/sources/004_8cb72b75a6a85661.txt"),
                 "--db", str(seeded_path), "--plan", "EXTRA", max_file_size=64 * 1024)
    assert result.returncode == 1 and "no backup was made" in one_line(result.stderr)
    assert list(folder.iterdir()) == []


# --- 12. a read-only file is read without creating anything; check says it cannot be written -----------------------

@pytest.fixture
def as_other_user():
    """A folder, and a way to run the program in it as a user whom permissions stop (root is not stopped by them:
    then the program runs as nobody, through setpriv)."""
    folder = Path(tempfile.mkdtemp(prefix="accountability-ro-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            shutil.rmtree(folder)
            pytest.skip("running as root without setpriv to run as another user")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    def as_user(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, sys.executable, "-m", "accountability_tui", *args], capture_output=True,
                              text=True, timeout=120, cwd=folder, env={**os.environ, "HOME": str(folder)})

    def own(path: Path) -> None:
        if prefix:
            os.chown(path, 65534, 65534)

    folder.chmod(0o755)
    own(folder)
    try:
        yield folder, as_user, own
    finally:
        shutil.rmtree(folder)


def test_a_read_only_file_is_opened_without_creating_anything_and_check_says_it_cannot_be_written(
        seeded_path, as_other_user):
    folder, as_user, own = as_other_user
    path = folder / "mine.db"
    shutil.copy(seeded_path, path)
    own(path)
    path.chmod(0o400)
    original = path.read_bytes()
    result = as_user("overdue", "--db", "mine.db", "--as-of", "2026-11-22", "--json")
    assert result.returncode == 0, result.stderr
    assert "read-only" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["mine.db"], "no -wal or -shm made (at 0400) beside it"
    result = as_user("check", "--db", "mine.db")
    assert result.returncode == 1
    assert "problem: mine.db cannot be written (-r--------)" in result.stdout and "chmod u+rw" in result.stdout
    assert "no problems found" not in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["mine.db"], "nothing is created beside a read-only file"
    assert path.read_bytes() == original
    path.chmod(0o600)  # the officer makes it theirs again: everything works
    (folder / "plan.csv").write_text(GOOD_CSV, encoding="utf-8")
    result = as_user("import", "plan.csv", "--db", "mine.db", "--plan", "MYWORK")
    assert result.returncode == 0, result.stderr
    result = as_user("check", "--db", "mine.db")
    assert result.returncode == 0 and "no problems found" in result.stdout, result.stdout + result.stderr


def test_check_reports_a_journal_file_left_unwritable(seeded_path, as_other_user):
    folder, as_user, own = as_other_user
    path = folder / "mine.db"
    shutil.copy(seeded_path, path)
    shm = folder / "mine.db-shm"
    shm.write_bytes(b"\0" * 32768)  # what an earlier version left after opening a chmod-400 file
    for made in (path, shm):
        own(made)
    path.chmod(0o600)
    shm.chmod(0o400)
    result = as_user("check", "--db", "mine.db")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "problem: mine.db-shm cannot be written (-r--------): saves will fail; run: chmod u+rw 'mine.db-shm'" \
        in result.stdout
    assert "cannot be saved to" in one_line(result.stderr)


# --- 13. another program's file, or an SQLite file with nothing in it, is left exactly as it was ---------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_another_programs_database_is_left_exactly_as_it_was(tmp_path, capsys):
    other = tmp_path / "other-app.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('theirs')")
    conn.commit()
    conn.close()
    before = _files(tmp_path)
    assert before["other-app.db"][18:20] == b"\x01\x01"  # a rollback-journal file
    for command in (["check"], ["overdue"], ["backup"], ["init"], ["demo-data", "--actions", "50"],
                    ["import", str(write_csv(tmp_path.parent / "plan.csv"))]):
        assert main([*command, "--db", str(other)]) == 1, command
        assert "not an accountability-tui database" in one_line(capsys.readouterr().err), command
        assert _files(tmp_path) == before, command  # not switched to WAL, no -wal, -shm or journal, no backup
    assert main(["restore", str(other), "--db", str(tmp_path / "x.db"), "--yes"]) == 1
    assert _files(tmp_path) == before and "not an accountability-tui database" in capsys.readouterr().err


def test_an_sqlite_file_with_nothing_in_it_becomes_ours_only_through_init(tmp_path, capsys):
    blank = tmp_path / "blank.db"
    conn = sqlite3.connect(blank)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before = _files(tmp_path)
    for command in (["check"], ["overdue"], ["import", str(write_csv(tmp_path.parent / "plan.csv"))]):
        assert main([*command, "--db", str(blank)]) == 1
        assert "is an SQLite file with nothing in it" in one_line(capsys.readouterr().err)
        assert _files(tmp_path) == before
    assert main(["init", "--empty", "--db", str(blank)]) == 0
    assert main(["check", "--db", str(blank)]) == 0


# --- 14. error lines show control characters; a dangling link is an existing file ------------------------------------

def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path, capsys):
    name = tmp_path / "red\x1b[31mALERT\x1b[0m\nsecond line\u202e.db"
    assert main(["overdue", "--db", str(name)]) == 1
    err = one_line(capsys.readouterr().err)
    assert "\x1b" not in err and "\u202e" not in err
    assert "red\\x1b[31mALERT\\x1b[0m\\nsecond line\\u202e.db" in err
    name.write_bytes(b"")
    assert main(["check", "--db", str(name)]) == 1
    err = one_line(capsys.readouterr().err)
    assert "\x1b" not in err and "red\\x1b[31mALERT" in err


def test_a_dangling_link_is_not_replaced_without_force(seeded_path, tmp_path, capsys):
    link = tmp_path / "briefing.md"
    link.symlink_to(tmp_path / "elsewhere" / "missing.md")
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", "2026-11-22", "-o", str(link)]) == 1
    assert "add --force to replace it" in one_line(capsys.readouterr().err)
    assert link.is_symlink() and not link.exists()
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", "2026-11-22", "-o", str(link),
                 "--force"]) == 0
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("#")
