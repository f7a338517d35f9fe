"""The store: one SQLite file, its migrations, connection settings, transactions and history."""

import datetime as dt
import shutil
import sqlite3
import stat
import threading

import pytest

from accountability_tui.domain.errors import Conflict, SchemaTooNew, StoreError, ValidationFailed
from accountability_tui.domain.models import Rag, Status
from accountability_tui.domain.records import ActionIn, Plan
from accountability_tui.domain.resources import migrations_dir
from accountability_tui.store import Store
from accountability_tui.store.connection import BACKUPS_KEPT, backup_folder, load_migrations, migrate


def test_migrations_are_applied_and_recorded(store):
    names = [r["name"] for r in store.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names == [p.stem for p in sorted(migrations_dir().glob("*.sql"))]
    assert names[0] == "0001_initial"


def test_every_connection_has_the_project_settings(store):
    results = {}

    def probe():
        conn = store.db.conn
        results["fk"] = conn.execute("PRAGMA foreign_keys").fetchone()[0]
        results["busy"] = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        results["journal"] = conn.execute("PRAGMA journal_mode").fetchone()[0]

    thread = threading.Thread(target=probe)  # a worker thread gets its own connection, with the same settings
    thread.start()
    thread.join()
    assert results == {"fk": 1, "busy": 10_000, "journal": "wal"}
    assert store.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_network_filesystem_uses_the_rollback_journal(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCOUNTABILITY_TUI_NETWORK_FS", "1")
    with Store.open(tmp_path / "share.db") as store:
        assert store.network
        assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert store.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_tables_are_strict(store):
    tables = [r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search%' "
        "AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")]
    assert "actions" in tables
    for name in tables:
        sql = store.scalar("SELECT sql FROM sqlite_master WHERE name = ?", (name,))
        assert sql.rstrip().endswith("STRICT"), name
    with pytest.raises(sqlite3.IntegrityError):
        store.db.conn.execute("INSERT INTO plans (code, title, created_at, is_current) VALUES ('X', 'X', 'now', 'yes')")


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.write() as db:
            db.conn.execute("INSERT INTO priorities (plan_id, number, title) VALUES (999, 1, 'x')")


def test_every_write_begins_immediate(store):
    statements = []
    store.db.conn.set_trace_callback(statements.append)
    plan_id = store.plans.add(Plan(code="T", title="Test"))
    with store.write():
        store.actions.import_rows(plan_id, [ActionIn(ref="1", text="Do a thing", status=Status.IN_PROGRESS)],
                                  fields=None, source="test")
    action = store.actions.list()[0]
    store.actions.update(action.id, action.version, status=Status.COMPLETE, note="done")
    begins = [s for s in statements if s.strip().upper().startswith("BEGIN")]
    assert begins and all(s.strip().upper() == "BEGIN IMMEDIATE" for s in begins)


def test_database_file_is_readable_by_its_owner_only(empty_path):
    with Store.open(empty_path):
        pass
    assert stat.S_IMODE(empty_path.stat().st_mode) == 0o600


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(StoreError, match="not an accountability-tui database"):
        Store.open(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_another_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not an accountability-tui database"):
        Store.open(path)


def test_missing_file_without_create(tmp_path):
    with pytest.raises(StoreError, match="accountability-tui init"):
        Store.open(tmp_path / "nope.db", create=False)
    assert not (tmp_path / "nope.db").exists()


def test_a_schema_newer_than_the_app_is_refused(seeded_path):
    conn = sqlite3.connect(seeded_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('accountability_tui', '9999_from_the_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew, match="newer accountability-tui"):
        Store.open(seeded_path)


def test_a_backup_is_taken_before_migrating_an_existing_file(seeded_path, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder)
    (folder / "0999_add_note.sql").write_text("ALTER TABLE plans ADD COLUMN note TEXT;\n")
    with Store.open(seeded_path) as store:
        actions_before = store.actions.count()
        applied = migrate(store.db, seeded_path, existed=True, migrations=load_migrations(folder))
        assert applied == ["0999_add_note"]
        assert "note" in store.db["plans"].columns_dict
    backups = list(backup_folder(seeded_path).glob("*before-migration-0999*.db"))
    assert len(backups) == 1
    with Store.open(backups[0]) as old:  # the backup is the file as it was, with its data
        assert "note" not in old.db["plans"].columns_dict
        assert old.actions.count() == actions_before


def test_a_failing_migration_leaves_nothing_behind(seeded_path, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), folder)
    (folder / "0999_broken.sql").write_text("ALTER TABLE plans ADD COLUMN note TEXT;\nTHIS IS NOT SQL;\n")
    with Store.open(seeded_path) as store:
        with pytest.raises(sqlite3.OperationalError):
            migrate(store.db, seeded_path, existed=True, migrations=load_migrations(folder))
        assert "note" not in store.db["plans"].columns_dict
        assert "0999_broken" not in [r["name"] for r in store.query("SELECT name FROM _sqlite_migrations")]


def test_backups_are_kept_in_rotation(seeded):
    for n in range(BACKUPS_KEPT + 3):
        seeded.backup(f"test {n}")
    assert len(list(backup_folder(seeded.path).glob("*.db"))) == BACKUPS_KEPT


def _one_action(store):
    plan_id = store.plans.add(Plan(code="T", title="Test"))
    action_id = store.actions.add(plan_id, ActionIn(ref="1", text="Ask the Chief Constable", status=Status.IN_PROGRESS,
                                                    timeframe="Autumn 2023", due=dt.date(2023, 11, 30)))
    return store.actions.get(action_id)


def test_history_is_append_only(store):
    action = _one_action(store)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with store.write() as db:
            db.conn.execute("UPDATE action_history SET who = 'someone else' WHERE action_id = ?", (action.id,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        with store.write() as db:
            db.conn.execute("DELETE FROM action_history WHERE action_id = ?", (action.id,))


def test_an_edit_appends_to_history_with_who_and_when(store):
    action = _one_action(store)
    updated = store.actions.update(action.id, action.version, status=Status.COMPLETE, note="Signed off at board",
                                   rag=Rag.GREEN)
    assert (updated.status, updated.rag, updated.version) == (Status.COMPLETE, Rag.GREEN, 2)
    entries = [h for h in store.actions.history(action.id) if h.version == 2]
    assert [(h.field, h.old_value, h.new_value, h.note) for h in entries] == [
        ("status", "in_progress", "complete", "Signed off at board"), ("rag", None, "green", None)]
    assert all(h.who == store.who and h.at.startswith(str(dt.date.today().year)) for h in entries)


def test_a_status_change_needs_a_note_and_a_new_due_date_a_reason(store):
    action = _one_action(store)
    with pytest.raises(ValidationFailed, match="note is required"):
        store.actions.update(action.id, action.version, status=Status.COMPLETE)
    with pytest.raises(ValidationFailed, match="reason is required"):
        store.actions.update(action.id, action.version, due=dt.date(2024, 5, 31))
    assert store.actions.get(action.id).version == 1


def test_moving_the_due_date_keeps_the_baseline_and_counts_slippage(store):
    action = _one_action(store)
    a = store.actions.update(action.id, 1, due=dt.date(2024, 5, 31), due_reason="Waiting for the new legislation")
    a = store.actions.update(action.id, a.version, due=dt.date(2024, 11, 30), due_reason="Resourcing")
    assert (a.baseline_due, a.due) == (dt.date(2023, 11, 30), dt.date(2024, 11, 30))
    assert store.actions.due_changes(action.id) == 2
    reasons = [h.note for h in store.actions.history(action.id) if h.field == "due"]
    assert reasons == ["Waiting for the new legislation", "Resourcing"]


def test_a_stale_edit_is_refused_and_says_who_changed_it(store):
    action = _one_action(store)
    store.actions.update(action.id, 1, rag=Rag.AMBER)
    with pytest.raises(Conflict, match="changed by") as caught:
        store.actions.update(action.id, 1, rag=Rag.RED)
    assert [c.field for c in caught.value.changes] == ["rag"]
    assert store.actions.get(action.id).rag is Rag.AMBER


@pytest.mark.parametrize("query", ['"', "AND (", "*", "NEAR", "NEAR(", "a OR", "-", "^", "col:x", "'", ""])
def test_search_never_fails_on_fts_syntax(seeded, query):
    seeded.search.find(query)
    from accountability_tui.store.actions import Filters

    seeded.actions.list(Filters(text=query))


def test_search_finds_actions_findings_and_questions(seeded):
    kinds = {h.kind for h in seeded.search.find("protective")}
    assert {"action", "finding"} <= kinds
    question_id = seeded.questions.add({"text": "How will the force raise Clare's Law right-to-know use?"})
    hits = seeded.search.find("right-to-know")
    assert ("question", question_id) in {(h.kind, h.item_id) for h in hits}
