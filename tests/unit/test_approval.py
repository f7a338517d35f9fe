"""An approved briefing (issue 14, item 4): an approver approves a meeting's briefing; any later change to what it
contains marks it changed since approval until it is approved again; the history keeps who approved what and when.
Real copies of the seeded database, the real services."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from accountability_tui.briefing.document import fingerprint
from accountability_tui.briefing.model import ActionItem
from accountability_tui.cli import main
from accountability_tui.domain.errors import Conflict, NotAllowed
from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.store import Store

MEETING = dt.date(2026, 12, 10)


@contextmanager
def services(path: Path, acting_as: str | None = None) -> Iterator[Services]:
    with closing(Services(Store.open(path), acting_as=acting_as)) as s:
        yield s


@pytest.fixture
def meeting(seeded_path: Path) -> int:
    with Store.open(seeded_path) as store:
        return store.meetings.add({"date": MEETING})


def people(path: Path, **roles: str) -> None:
    with services(path) as s:  # the file's owner at the terminal may always manage the list
        for name, role in roles.items():
            s.access.add(name, Role(role))


def overdue(s: Services, meeting: int, n: int = 0) -> ActionItem:
    item = s.briefings.build(meeting).section("overdue").items[n]
    assert isinstance(item, ActionItem)
    return item


def state(path: Path) -> str:
    with Store.open(path) as store:
        return store.dump()


# --- what counts as a change ------------------------------------------------------------------------------------

def _leave_out(s: Services, m: int) -> None:
    s.briefings.set(m, overdue(s, m, 2), included=False)


def _restrict(s: Services, m: int) -> None:
    s.briefings.set(m, overdue(s, m, 1), restricted=True)


def _discuss(s: Services, m: int) -> None:
    s.briefings.set(m, overdue(s, m, 1), discuss=True)


def _comment(s: Services, m: int) -> None:
    s.briefings.set(m, overdue(s, m, 1), comment="Ask when the force will report")


def _note(s: Services, m: int) -> None:
    s.briefings.add_note(m, "The Commissioner asked for this last month")


def _move(s: Services, m: int) -> None:
    items = s.briefings.build(m).section("overdue").items
    keys = [i.key for i in items]
    keys[0], keys[1] = keys[1], keys[0]
    s.briefings.move_item(m, "overdue", keys)


def _sections(s: Services, m: int) -> None:
    order = [sec.key for sec in s.briefings.build(m).sections]
    order[-1], order[-2] = order[-2], order[-1]
    s.briefings.move_section(m, order)


def _figure(s: Services, m: int) -> None:
    """A figure behind an included item: an overdue action listed in the briefing gets another due date."""
    action = s.actions.get(overdue(s, m, 0).action.id)
    assert action.due is not None
    s.actions.update(action.id, action.version, due=action.due + dt.timedelta(days=7), due_reason="re-planned")


CHANGES: dict[str, Callable[[Services, int], None]] = {
    "item left out": _leave_out, "restricted": _restrict, "put forward for discussion": _discuss,
    "comment": _comment, "note added": _note, "order of items": _move, "order of sections": _sections,
    "figure behind an included item": _figure,
}


# --- the tests ---------------------------------------------------------------------------------------------------

def test_a_briefing_never_approved_says_so_and_its_export_has_no_approval_line(seeded_path, meeting):
    with services(seeded_path) as s:
        approval = s.briefings.approval(meeting)
        assert approval.latest is None and approval.history == [] and approval.says() == "Not yet approved"
        assert s.briefings.build(meeting).approval is None
        assert "Approved by" not in s.briefings.markdown(meeting)


def test_approving_records_who_and_when_and_the_briefing_says_it(seeded_path, meeting):
    with services(seeded_path, acting_as="Jo Bloggs") as s:
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        approval = s.briefings.approve(meeting)
        assert approval.who == "Jo Bloggs" and not approval.changed
        assert before <= dt.datetime.fromisoformat(approval.at) <= dt.datetime.now(dt.UTC)
        built = s.briefings.build(meeting)
        assert built.approval == approval
        now = s.briefings.approval(meeting)
        assert now.latest == approval and now.fingerprint == approval.fingerprint == fingerprint(built)
        assert now.says() == f"Approved by Jo Bloggs on {approval.on:%-d %B %Y}"


def test_the_fingerprint_is_the_same_for_the_same_briefing(seeded_path, meeting):
    with services(seeded_path) as s:
        first, second = s.briefings.build(meeting), s.briefings.build(meeting)
        assert first is not second and fingerprint(first) == fingerprint(second)
        assert len(fingerprint(first)) == 64
        s.briefings.approve(meeting)
        assert fingerprint(s.briefings.build(meeting)) == fingerprint(first)  # the approval is not content
        approved = s.briefings.build(meeting)
        assert approved.approval is not None and not approved.approval.changed
    # in another process (another hash seed), the same
    code = ("import sys, datetime; from accountability_tui.services import Services; "
            "from accountability_tui.store import Store; "
            "from accountability_tui.briefing.document import fingerprint; "
            "s = Services(Store.open(sys.argv[1])); print(fingerprint(s.briefings.build(int(sys.argv[2]))))")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code, str(seeded_path), str(meeting)], check=True,
                             capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"})
        assert out.stdout.strip() == fingerprint(first)


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_what_it_contains_shows_as_changed_since_approval_until_approved_again(seeded_path, meeting,
                                                                                            change):
    people(seeded_path, ann="approver", bob="editor")
    with services(seeded_path, acting_as="ann") as s:
        first = s.briefings.approve(meeting)
    with services(seeded_path, acting_as="bob") as s:
        CHANGES[change](s, meeting)
        now = s.briefings.approval(meeting)
        assert now.latest is not None and now.latest.changed and now.latest.who == "ann"
        assert now.says() == f"Changed since approval (approved by ann on {first.on:%-d %B %Y})"
        assert now.fingerprint != first.fingerprint
        assert f"*Approved by ann on {first.on:%-d %B %Y}* — **changed since approval**." in \
            s.briefings.markdown(meeting)
    with services(seeded_path, acting_as="ann") as s:
        again = s.briefings.approve(meeting)
        assert not again.changed and s.briefings.build(meeting).approval == again
        assert s.briefings.approval(meeting).says() == f"Approved by ann on {again.on:%-d %B %Y}"
        assert "changed since approval" not in s.briefings.markdown(meeting)


def test_a_public_flag_changes_only_the_public_version_and_still_counts(seeded_path, meeting):
    with services(seeded_path) as s:
        note = s.briefings.add_note(meeting, "A note for everyone")
        full = s.briefings.markdown(meeting)
        s.briefings.approve(meeting)
        item = next(i for i in s.briefings.build(meeting).section("notes").items if i.ref_id == note)
        s.briefings.set(meeting, item, public=True)
        assert s.briefings.markdown(meeting).replace("changed since approval", "") != full  # the line only
        latest = s.briefings.approval(meeting).latest
        assert latest is not None and latest.changed


def test_a_change_to_what_the_briefing_leaves_out_does_not_count(seeded_path, meeting):
    """Two overdue actions put forward for discussion (the briefing names their leads), one of them left out: a new
    lead for the one left out is not in what the briefing says; for the one in it, it is."""
    with services(seeded_path) as s:
        left_out, kept = overdue(s, meeting, 3), overdue(s, meeting, 4)
        s.briefings.set(meeting, left_out, discuss=True, included=False)
        s.briefings.set(meeting, kept, discuss=True)
        s.briefings.approve(meeting)
        for item, changed in ((left_out, False), (kept, True)):
            action = s.actions.get(item.action.id)
            s.actions.update(action.id, action.version, lead="Chief Superintendent, Crime")
            latest = s.briefings.approval(meeting).latest
            assert latest is not None and latest.changed is changed


def test_a_change_undone_is_approved_again(seeded_path, meeting):
    """The fingerprint is of the content, not of the changes made: put back as it was, it is as approved."""
    with services(seeded_path) as s:
        s.briefings.approve(meeting)
        item = overdue(s, meeting, 1)
        s.briefings.set(meeting, item, restricted=True)
        assert s.briefings.build(meeting).approval.changed  # type: ignore[union-attr]
        s.briefings.set(meeting, item, restricted=False)
        assert not s.briefings.build(meeting).approval.changed  # type: ignore[union-attr]


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_only_an_approver_may_approve_and_nothing_is_written_otherwise(seeded_path, meeting, role):
    people(seeded_path, alice=role)
    before = state(seeded_path)
    with services(seeded_path, acting_as="alice") as s:
        with pytest.raises(NotAllowed) as refused:
            s.briefings.approve(meeting)
        assert s.briefings.approval(meeting).history == []
    an = "an" if role[0] == "e" else "a"
    assert str(refused.value) == f"only an approver or admin may approve a briefing; you (alice) are {an} {role}"
    assert state(seeded_path) == before


@pytest.mark.parametrize("role", ["approver", "admin"])
def test_an_approver_or_admin_may_approve(seeded_path, meeting, role):
    people(seeded_path, carol=role)
    with services(seeded_path, acting_as="carol") as s:
        assert s.briefings.approve(meeting).who == "carol"


def test_the_history_lists_who_approved_what_and_when(seeded_path, meeting):
    people(seeded_path, ann="approver", carol="admin", bob="editor")
    with services(seeded_path, acting_as="ann") as s:
        first = s.briefings.approve(meeting)
    with services(seeded_path, acting_as="bob") as s:
        _note(s, meeting)
    with services(seeded_path, acting_as="carol") as s:
        second = s.briefings.approve(meeting)
        history = s.briefings.approval(meeting).history
    assert [(a.who, a.at, a.fingerprint) for a in history] == [("ann", first.at, first.fingerprint),
                                                               ("carol", second.at, second.fingerprint)]
    assert [a.changed for a in history] == [True, False]  # ann approved other content than it has now
    assert first.at <= second.at and first.fingerprint != second.fingerprint
    with Store.open(seeded_path) as store:
        rows = store.briefings.approvals(meeting)
        assert [(r.meeting_id, r.who, r.source) for r in rows] == [(meeting, "ann", "app"), (meeting, "carol", "app")]


def test_approvals_are_append_only(seeded_path, meeting):
    with services(seeded_path) as s:
        s.briefings.approve(meeting)
    with closing(sqlite3.connect(seeded_path)) as conn:
        for sql in ("UPDATE briefing_approvals SET who = 'someone else'", "DELETE FROM briefing_approvals"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)


def test_approving_what_was_not_seen_is_refused(seeded_path, meeting):
    """The builder approves the briefing the approver looked at: changed meanwhile, it is not approved."""
    with services(seeded_path) as s:
        seen = s.briefings.approval(meeting).fingerprint
        _note(s, meeting)
        with pytest.raises(Conflict, match="changed since you looked at it"):
            s.briefings.approve(meeting, seen=seen)
        assert s.briefings.approval(meeting).history == []
        assert s.briefings.approve(meeting, seen=s.briefings.approval(meeting).fingerprint).who


def test_the_command_line_approves_and_lists(seeded_path, meeting, capsys):
    people(seeded_path, bob="editor")
    assert main(["briefing", "approve", "--db", str(seeded_path), "--meeting", MEETING.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("approved the briefing for 10 December 2026")
    assert main(["briefing", "approve", "--db", str(seeded_path), "--meeting", "2026-12-10", "--list"]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\tthe briefing as it is now") == 1
    assert "Approved by" in captured.err
    with Store.open(seeded_path) as store:
        assert [r.source for r in store.briefings.approvals(meeting)] == ["cli"]


def test_another_officers_staleness_setting_is_not_a_change(seeded_path, meeting):
    """stale_days is each officer's way of reading the paper: approved with one threshold, the briefing is still
    approved for an officer who uses another (reported by the review: 'changed since approval' with nothing
    changed)."""
    with services(seeded_path) as s:
        s.briefings.approve(meeting)
    with services(seeded_path) as s:
        s.stale_days = 30
        assert "(stale)" in s.briefings.markdown(meeting)  # their paper does read differently
        assert not s.briefings.approval(meeting).latest.changed
        assert not s.briefings.build(meeting).approval.changed


def test_the_day_of_an_approval_is_the_local_day(monkeypatch):
    import time

    from accountability_tui.briefing.model import Approval

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert Approval("ann", "2026-06-23T23:30:00+00:00", "x").on == dt.date(2026, 6, 24)  # 00:30 BST
        assert Approval("ann", "2026-12-23T23:30:00+00:00", "x").on == dt.date(2026, 12, 23)  # GMT
    finally:
        monkeypatch.undo()
        time.tzset()
