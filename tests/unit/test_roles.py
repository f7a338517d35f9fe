"""Roles (issue 14, item 3): who may change what, kept in the database and enforced in the services, checked once
before every write transaction (services/access.py, the store's write guard). Real copies of the seeded database,
the real services."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest

from accountability_tui.domain.errors import NotAllowed, NotFound, ValidationFailed
from accountability_tui.domain.models import Rag
from accountability_tui.domain.roles import Role, read_role, who_may
from accountability_tui.services import Services, access
from accountability_tui.services.meetings import MeetingDraft
from accountability_tui.services.questions import QuestionDraft
from accountability_tui.store import Store

from conftest import ADP

AS_OF = dt.date(2026, 11, 22)
PLAN = "CSCJ-2022-27"
WRITE_REFUSED = "only an editor, approver or admin may make changes; you ({}) are {}"


@contextmanager
def services(path: Path, acting_as: str | None = None) -> Iterator[Services]:
    with closing(Services(Store.open(path), acting_as=acting_as)) as s:
        yield s


def people(path: Path, **roles: str) -> None:
    """Put these people on the list, as the file's owner at the terminal (who may always manage it)."""
    with services(path) as s:
        for name, role in roles.items():
            s.access.add(name, Role(role))


def state(path: Path) -> tuple[bytes, str]:
    """The file's bytes (every change checkpointed into it when the last connection closes) and its content."""
    data = path.read_bytes()
    with Store.open(path) as store:
        return data, store.dump()


def overdue_action(s: Services) -> Any:
    return s.actions.overdue(AS_OF, PLAN)[0]


# Every kind of change a reader might try, each through the services the app and the command line use.
WRITES: dict[str, Callable[[Services], object]] = {
    "action note": lambda s: s.actions.add_note(overdue_action(s), "a note"),
    "action status": lambda s: (lambda a: s.actions.update(a.id, a.version, rag=Rag.RED))(overdue_action(s)),
    "meeting": lambda s: s.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10))),
    "question": lambda s: s.questions.save(QuestionDraft(text="How will the force recover?")),
    "plan current": lambda s: s.plans.set_current(PLAN),
    "import": lambda s: s.database.import_table(ADP, plan=PLAN),
    "finding link": lambda s: s.findings.link(s.questions.finding_named("AFI-workforce").id, overdue_action(s).id),
}


def test_roles_read_and_ordered():
    assert [r.value for r in Role] == ["reader", "editor", "approver", "admin"]
    assert read_role(" Editor ") is Role.EDITOR
    with pytest.raises(ValueError, match="'boss' is not a role; use one of reader, editor, approver, admin"):
        read_role("boss")
    assert who_may(Role.READER) == "a reader, editor, approver or admin"
    assert who_may(Role.EDITOR) == "an editor, approver or admin"
    assert who_may(Role.APPROVER) == "an approver or admin"
    assert who_may(Role.ADMIN) == "an admin"


def test_an_empty_list_lets_everyone_do_everything(seeded_path):
    with services(seeded_path, acting_as="alice") as s:
        assert not s.access.is_owner and s.access.role() is Role.ADMIN
        saved = s.actions.add_note(overdue_action(s), "written by alice")
        assert saved.version > 1
        s.access.require_approver()
        assert s.briefings.markdown(None, AS_OF, public=False)  # the internal version, as before roles
        assert s.actions.detail(saved.id).history[-1].who == "alice"


@pytest.mark.parametrize("write", list(WRITES))
def test_a_readers_change_is_refused_saying_who_may_and_nothing_is_written(seeded_path, write):
    people(seeded_path, alice="reader", bob="editor")
    before = state(seeded_path)
    backups = sorted(seeded_path.parent.glob("*backups*/*"))
    with services(seeded_path, acting_as="alice") as s:
        with pytest.raises(NotAllowed) as refused:
            WRITES[write](s)
    message = str(refused.value)
    assert message == WRITE_REFUSED.format("alice", "a reader")
    assert "\n" not in message
    assert state(seeded_path) == before
    assert sorted(seeded_path.parent.glob("*backups*/*")) == backups  # an import's backup is not even taken


@pytest.mark.parametrize("write", list(WRITES))
def test_an_editor_can_change_anything(seeded_path, write):
    people(seeded_path, alice="reader", bob="editor")
    before = state(seeded_path)
    with services(seeded_path, acting_as="bob") as s:
        WRITES[write](s)
    assert state(seeded_path) != before


def test_an_editors_change_is_signed_with_their_name(seeded_path):
    people(seeded_path, bob="editor")
    with services(seeded_path, acting_as="Bob") as s:
        saved = s.actions.add_note(overdue_action(s), "checked with the force")
        assert s.access.who == "Bob" and s.access.role() is Role.EDITOR  # the list's names ignore case
        assert s.actions.detail(saved.id).history[-1].who == "Bob"


def test_a_reader_looks_searches_and_exports_the_public_version(seeded_path, tmp_path):
    people(seeded_path, alice="reader")
    before = state(seeded_path)
    with services(seeded_path, acting_as="alice") as s:
        assert s.actions.overdue(AS_OF, PLAN)
        assert s.search.find("knife")
        assert s.briefings.markdown(None, AS_OF, public=True)
        written = s.briefings.export(None, tmp_path / "public.docx", as_of=AS_OF, public=True)
        assert written.exists()
        s.drafts.save("questions.new", {"text": "a question typed, not saved"})  # their own drafts are kept
        assert s.drafts.get("questions.new") is not None
        s.drafts.discard("questions.new")
        refusals = [
            lambda: s.briefings.markdown(None, AS_OF, public=False),
            lambda: s.briefings.export(None, tmp_path / "internal.md", as_of=AS_OF),
            lambda: s.reports.export_panel(PLAN, tmp_path / "panel.md", as_of=AS_OF),
        ]
        for refused in refusals:
            with pytest.raises(NotAllowed, match=r"^only an editor, approver or admin may .*; you \(alice\) are a "
                                                 r"reader$"):
                refused()
    assert not (tmp_path / "internal.md").exists() and not (tmp_path / "panel.md").exists()
    assert state(seeded_path)[1] == before[1]


def test_only_an_approver_or_admin_passes_the_approver_check(seeded_path):
    people(seeded_path, alice="reader", bob="editor", carol="approver", dan="admin")
    for name, passes in (("alice", False), ("bob", False), ("carol", True), ("dan", True)):
        with services(seeded_path, acting_as=name) as s:
            if passes:
                s.access.require_approver()
                s.actions.add_note(overdue_action(s), f"{name} can edit too")
            else:
                role = s.access.role()
                assert role is not None
                with pytest.raises(NotAllowed) as refused:
                    s.access.require_approver()
                assert str(refused.value) == (f"only an approver or admin may approve a briefing; you ({name}) are "
                                              f"{role.with_article}")


def test_only_an_admin_manages_people(seeded_path):
    people(seeded_path, bob="editor", carol="approver", dan="admin")
    before = state(seeded_path)
    for name, role in (("bob", "an editor"), ("carol", "an approver")):
        with services(seeded_path, acting_as=name) as s:
            for change in (lambda: s.access.add("erin", Role.READER), lambda: s.access.set_role(name, Role.ADMIN),
                           lambda: s.access.remove("dan")):
                with pytest.raises(NotAllowed) as refused:
                    change()
                assert str(refused.value) == f"only an admin may change the list of people; you ({name}) are {role}"
    assert state(seeded_path) == before
    with services(seeded_path, acting_as="dan") as s:
        s.access.add("erin", Role.READER)
        s.access.set_role("ERIN", Role.EDITOR)
        s.access.remove("bob")
        assert [(p.name, p.role) for p in s.access.people()] == [
            ("carol", Role.APPROVER), ("dan", Role.ADMIN), ("erin", Role.EDITOR)]
    with Store.open(seeded_path) as store:
        history = [(h["name"], h["who"], h["field"], h["old_value"], h["new_value"])
                   for h in store.people.history() if h["who"] == "dan"]
        assert history == [("erin", "dan", "added", None, "reader"), ("erin", "dan", "role", "reader", "editor"),
                           ("bob", "dan", "removed", "editor", None)]
        with pytest.raises(sqlite3.DatabaseError, match="append-only"), store.write() as db:
            db.conn.execute("DELETE FROM people_history")


def test_the_files_owner_at_the_terminal_acts_as_admin_listed_or_not(seeded_path):
    people(seeded_path, alice="reader")
    with services(seeded_path) as s:  # no sign-on name: the OS login, who owns the file
        assert s.access.is_owner and s.access.role() is Role.ADMIN
        s.access.require_approver()
        s.actions.add_note(overdue_action(s), "the owner")
        s.access.add("bob", Role.EDITOR)
    # the same login through a sign-on is only who the list says
    with Store.open(seeded_path) as store:
        login = store.who
    with services(seeded_path, acting_as=login) as s:
        assert not s.access.is_owner
        with pytest.raises(NotAllowed, match=f"^{login} is not on the list of people who may use this database"):
            s.actions.add_note(overdue_action(s), "not the owner now")


def test_someone_not_on_the_list_is_refused(seeded_path, monkeypatch):
    people(seeded_path, alice="reader")
    before = state(seeded_path)
    with services(seeded_path, acting_as="mallory") as s:
        assert s.access.role() is None
        with pytest.raises(NotAllowed) as refused:
            s.actions.add_note(overdue_action(s), "hello")
        assert str(refused.value) == ("mallory is not on the list of people who may use this database; an admin can "
                                      "add them with: accountability-tui user add mallory --role reader")
        with pytest.raises(NotAllowed, match="mallory is not on the list"):
            s.drafts.save("questions.new", {"text": "x"})
    with services(seeded_path, acting_as="Jo Bloggs") as s, pytest.raises(NotAllowed) as refused:
        s.actions.add_note(overdue_action(s), "hello")
    assert str(refused.value).endswith("user add 'Jo Bloggs' --role reader")  # a command that can be pasted
    # another OS login at the terminal, on a file it does not own, is who the list says too
    monkeypatch.setattr(access, "owns", lambda path: False)
    with services(seeded_path) as s:
        with pytest.raises(NotAllowed, match="is not on the list of people"):
            s.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10)))
    assert state(seeded_path) == before


def test_the_list_of_people(seeded_path):
    people(seeded_path, Alice="reader")
    with services(seeded_path) as s:
        with pytest.raises(ValidationFailed, match="Alice is already on the list, as a reader"):
            s.access.add("alice", Role.EDITOR)
        with pytest.raises(NotFound, match="'zed' is not on the list of people"):
            s.access.set_role("zed", Role.EDITOR)
        with pytest.raises(NotFound, match="'zed' is not on the list of people"):
            s.access.remove("zed")
        with pytest.raises(ValidationFailed, match="cannot be empty"):
            s.access.add("  ", Role.EDITOR)
        with pytest.raises(ValidationFailed, match="control characters"):
            s.access.add("eve\x1b[31m", Role.EDITOR)
        assert s.access.set_role("ALICE", Role.READER).version == 1  # no change, no new version
        person = s.access.add("  Jo   Bloggs ", Role.APPROVER)
        assert person.name == "Jo Bloggs" and person.added_by == s.access.who


def test_a_nested_change_of_the_list_is_checked_as_its_own(seeded_path):
    """A write of people inside another transaction is checked for what it is, not let through by the outer one."""
    people(seeded_path, bob="editor")
    with services(seeded_path, acting_as="bob") as s:
        store = s._store
        with pytest.raises(NotAllowed, match="only an admin may change the list of people"), store.write():
            s.access.add("erin", Role.ADMIN)
        assert [p.name for p in s.access.people()] == ["bob"]
