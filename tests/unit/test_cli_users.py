"""The command line's user add|list|set-role|remove (issue 14, item 3), and the roles as the command line meets
them, in-process on copies of the seeded database: what they write, and refusals in one line that leave the file
byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accountability_tui.cli import main
from accountability_tui.services import access
from accountability_tui.store import Store, core

PLAN = "CSCJ-2022-27"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def state(path: Path) -> tuple[str, bytes]:
    data = path.read_bytes()
    with Store.open(path) as store:
        return store.dump(), data


def one_line_refusal(code: int, out: str, err: str) -> None:
    assert code != 0, (out, err)
    assert err.startswith("accountability-tui: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and not out


@pytest.fixture
def as_login(monkeypatch):
    """Run the command line as another OS login, one that does not own the database file."""
    def login(name: str) -> None:
        monkeypatch.setattr(core, "current_user", lambda: name)
        monkeypatch.setattr(access, "owns", lambda path: False)
    return login


def test_add_list_set_role_remove(seeded_path, capsys):
    code, out, err = run(capsys, "user", "list", "--db", seeded_path)
    assert code == 0 and not out
    assert "no one is on the list, so everyone may do everything" in err

    assert run(capsys, "user", "add", "Alice", "--role", "reader", "--db", seeded_path) == (
        0, "added Alice as a reader\n", "")
    assert run(capsys, "user", "add", "bob", "--role", "Editor", "--db", seeded_path)[:2] == (
        0, "added bob as an editor\n")
    assert run(capsys, "user", "set-role", "ALICE", "approver", "--db", seeded_path)[:2] == (
        0, "Alice is now an approver\n")

    code, out, err = run(capsys, "user", "list", "--db", seeded_path)
    assert code == 0 and not err
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(r[0], r[1]) for r in rows] == [("Alice", "approver"), ("bob", "editor")]
    code, out, err = run(capsys, "user", "list", "--json", "--db", seeded_path)
    listed = json.loads(out)
    assert [(p["name"], p["role"]) for p in listed] == [("Alice", "approver"), ("bob", "editor")]
    assert set(listed[0]) == {"name", "role", "added_at", "added_by"}

    assert run(capsys, "user", "remove", "bob", "--db", seeded_path)[:2] == (
        0, "removed bob (an editor) from the list\n")
    code, out, err = run(capsys, "user", "list", "--json", "--db", seeded_path)
    assert [p["name"] for p in json.loads(out)] == ["Alice"]
    with Store.open(seeded_path) as store:
        assert [(h["name"], h["field"], h["source"]) for h in store.people.history()] == [
            ("Alice", "added", "cli"), ("bob", "added", "cli"), ("Alice", "role", "cli"), ("bob", "removed", "cli")]


@pytest.mark.parametrize(
    ("argv", "message", "exit_code"),
    [
        (["user", "add", "carol", "--role", "boss"], "argument --role: 'boss' is not a role; use one of reader, "
                                                     "editor, approver, admin", 2),
        (["user", "add", "carol"], "the following arguments are required: --role", 2),
        (["user", "set-role", "Alice", "superuser"], "'superuser' is not a role", 2),
        (["user", "set-role", "zed", "editor"], "'zed' is not on the list of people", 1),
        (["user", "remove", "zed"], "'zed' is not on the list of people", 1),
        (["user", "add", "alice", "--role", "editor"], "Alice is already on the list, as a reader", 1),
        (["user", "add", " ", "--role", "editor"], "a person's name cannot be empty", 1),
        (["user", "frobnicate"], "invalid choice: 'frobnicate'", 2),
    ],
)
def test_refused_in_one_line_and_nothing_changes(seeded_path, capsys, argv, message, exit_code):
    assert run(capsys, "user", "add", "Alice", "--role", "reader", "--db", seeded_path)[0] == 0
    before = state(seeded_path)
    code, out, err = run(capsys, *argv, "--db", seeded_path)
    one_line_refusal(code, out, err)
    assert code == exit_code
    assert message in err, err
    assert state(seeded_path) == before


def test_only_an_admin_or_the_files_owner_manages_people(seeded_path, capsys, as_login):
    for name, role in (("dan", "admin"), ("bob", "editor"), ("carol", "approver")):
        assert run(capsys, "user", "add", name, "--role", role, "--db", seeded_path)[0] == 0  # the owner adds them
    before = state(seeded_path)
    as_login("bob")
    for argv in (["user", "add", "erin", "--role", "reader"], ["user", "set-role", "bob", "admin"],
                 ["user", "remove", "dan"]):
        code, out, err = run(capsys, *argv, "--db", seeded_path)
        one_line_refusal(code, out, err)
        assert err == "accountability-tui: only an admin may change the list of people; you (bob) are an editor\n"
    code, out, err = run(capsys, "user", "list", "--db", seeded_path)  # anyone on the list may look at it
    assert code == 0 and "dan\tadmin" in out
    assert state(seeded_path) == before

    as_login("dan")
    assert run(capsys, "user", "add", "erin", "--role", "reader", "--db", seeded_path)[:2] == (
        0, "added erin as a reader\n")
    with Store.open(seeded_path) as store:
        assert store.people.history("erin")[0]["who"] == "dan"


def test_a_reader_on_the_command_line(seeded_path, capsys, as_login, tmp_path):
    assert run(capsys, "user", "add", "alice", "--role", "reader", "--db", seeded_path)[0] == 0
    before = state(seeded_path)
    as_login("alice")
    code, out, err = run(capsys, "action", "edit", f"{PLAN}:5", "--note", "checked", "--db", seeded_path)
    one_line_refusal(code, out, err)
    assert err == ("accountability-tui: only an editor, approver or admin may make changes; you (alice) are a "
                   "reader\n")
    code, out, err = run(capsys, "export-briefing", "--as-of", "2026-11-22", "--db", seeded_path)
    one_line_refusal(code, out, err)
    assert "only an editor, approver or admin may export the internal briefing (use the public version)" in err
    assert run(capsys, "export-briefing", "--public", "--as-of", "2026-11-22", "--db", seeded_path)[0] == 0
    code, out, err = run(capsys, "overdue", "--plan", PLAN, "--as-of", "2026-11-22", "--json", "--db", seeded_path)
    assert code == 0 and json.loads(out)
    assert state(seeded_path) == before


def test_someone_not_on_the_list_is_refused(seeded_path, capsys, as_login):
    assert run(capsys, "user", "add", "alice", "--role", "editor", "--db", seeded_path)[0] == 0
    before = state(seeded_path)
    as_login("mallory")
    code, out, err = run(capsys, "meeting", "new", "--date", "2026-12-10", "--db", seeded_path)
    one_line_refusal(code, out, err)
    assert err == ("accountability-tui: mallory is not on the list of people who may use this database; an admin "
                   "can add them with: accountability-tui user add mallory --role reader\n")
    assert state(seeded_path) == before


def test_the_files_owner_acts_as_admin_unlisted(seeded_path, capsys):
    assert run(capsys, "user", "add", "alice", "--role", "reader", "--db", seeded_path)[0] == 0
    assert run(capsys, "action", "edit", f"{PLAN}:5", "--note", "the owner's note", "--db", seeded_path)[0] == 0
    assert run(capsys, "user", "set-role", "alice", "editor", "--db", seeded_path)[0] == 0
