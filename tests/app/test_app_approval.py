"""An approved briefing in the builder (issue 14, item 4): A approves after a question; the status line and the
preview say who approved it and when, and that it has changed since after any decision; an editor is refused in
one line, and nothing is written."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from textual.widgets import Static

from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.services.database import open_services
from accountability_tui.store import Store

from apphelp import make_app, settled, static_text, wait_for, wait_screen

MEETING = dt.date(2026, 12, 10)


def _prepare(path) -> int:
    with Store.open(path) as store:
        meeting = store.meetings.add({"date": MEETING})
        access = Services(store).access
        access.add("ann", Role.APPROVER)
        access.add("bob", Role.EDITOR)
    return meeting


def _approvals(path, meeting: int) -> list[str]:
    with Store.open(path) as store:
        return [a.who for a in store.briefings.approvals(meeting)]


async def _builder(pilot):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press("5")
    meetings = await wait_screen(pilot, "meetings")
    await wait_for(pilot, lambda: meetings.selected is not None and meetings.selected.meeting.date == MEETING,
                   "the meeting")
    await pilot.press("b")
    builder = await wait_screen(pilot, "BriefingScreen")
    await wait_for(pilot, lambda: builder.briefing is not None and builder.markdown, "the briefing")
    return builder


async def _approve(pilot, builder) -> None:
    await pilot.press("A")
    question = await wait_screen(pilot, "ConfirmScreen")
    assert "Approve this briefing as it stands?" in str(question.query(Static).first().content)
    await pilot.press("y")
    await wait_screen(pilot, "BriefingScreen")


async def test_an_approver_approves_and_a_change_afterwards_shows_until_approved_again(seeded_path):
    meeting = _prepare(seeded_path)
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="ann"))
    async with app.run_test(size=(120, 40)) as pilot:
        builder = await _builder(pilot)
        status = builder.query_one("#status", Static)
        await wait_for(pilot, lambda: "— Not yet approved" in static_text(status), "never approved, said")
        await _approve(pilot, builder)
        day = f"{dt.datetime.now(dt.UTC):%-d %B %Y}"
        await wait_for(pilot, lambda: f"— Approved by ann on {day} — preview" in static_text(status), "the approval said")
        await wait_for(pilot, lambda: f"*Approved by ann on {day}.*" in builder.markdown, "the preview says it")
        assert ("information", "Briefing approved by ann") in app.told
        assert _approvals(seeded_path, meeting) == ["ann"]

        await pilot.press("down", "down")  # past the first two sections' own rows, to the first item
        assert builder.selected is not None and builder.selected[1] is not None
        await pilot.press("space")  # out of the briefing
        await wait_for(pilot, lambda: f"— Changed since approval (approved by ann on {day})" in static_text(status),
                       "the change said")
        await wait_for(pilot, lambda: "— **changed since approval**" in builder.markdown, "in the preview too")

        await _approve(pilot, builder)
        await wait_for(pilot, lambda: f"— Approved by ann on {day} — preview" in static_text(status), "approved again")
        await wait_for(pilot, lambda: "changed since approval" not in builder.markdown, "the preview again")
        await settled(pilot, builder)
    assert _approvals(seeded_path, meeting) == ["ann", "ann"]
    assert not [m for severity, m in app.told if severity == "error"]


async def test_an_editor_is_refused_in_one_line_and_nothing_is_written(seeded_path):
    meeting = _prepare(seeded_path)
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="bob"))
    async with app.run_test(size=(120, 40)) as pilot:
        builder = await _builder(pilot)
        await pilot.press("A")
        refused = "only an approver or admin may approve a briefing; you (bob) are an editor"
        await wait_for(pilot, lambda: ("error", refused) in app.told, "the refusal")
        assert app.screen is builder  # no question asked
        assert "Not yet approved" in static_text(builder.query_one("#status", Static))
    assert _approvals(seeded_path, meeting) == []



async def test_a_change_by_another_officer_since_the_briefing_was_shown_is_shown_before_approving(seeded_path):
    meeting = _prepare(seeded_path)
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="ann"))
    async with app.run_test(size=(120, 40)) as pilot:
        builder = await _builder(pilot)
        with Store.open(seeded_path) as store:  # bob, in his own copy of the app
            store.acting_as("bob")
            store.briefings.add_note(meeting, "Added by bob while ann looked")
        await pilot.press("A")
        await wait_for(pilot, lambda: any("changed since it was shown" in m for _, m in app.told), "the warning")
        assert app.screen is builder and _approvals(seeded_path, meeting) == []
        await wait_for(pilot, lambda: "Added by bob while ann looked" in builder.markdown, "bob's note shown")
        await _approve(pilot, builder)
        await wait_for(pilot, lambda: _approvals(seeded_path, meeting) == ["ann"], "approved, once seen")


def test_the_key_is_listed_in_the_help():
    from accountability_tui.ui.registry import key_sources

    builder = dict(key_sources())["Briefing builder"]
    assert [(b.key, b.description, b.id) for b in builder if b.action == "approve"] == [
        ("A", "Approve", "briefing.approve")]


async def test_another_officers_change_reaches_an_open_builder_and_its_approval_status(seeded_path):
    """Two people preparing one meeting: ann's builder is open, approved; bob adds a note in his own app (another
    process, on the same file); ann's builder reads the briefing again as the app sees the file change, and says
    it changed since approval — without ann touching a key."""
    meeting = _prepare(seeded_path)
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="ann"))
    async with app.run_test(size=(120, 40)) as pilot:
        builder = await _builder(pilot)
        status = builder.query_one("#status", Static)
        await _approve(pilot, builder)
        await wait_for(pilot, lambda: "— Approved by ann on" in static_text(status), "approved")
        # bob's app is another process (as two officers' apps are): the app sees the file change by data_version
        code = ("import sys; from accountability_tui.services.database import open_services; "
                "s = open_services(sys.argv[1], create=False, acting_as='bob'); "
                "s.briefings.add_note(int(sys.argv[2]), 'Bob: ask about the PEEL revisit'); s.close()")
        await wait_for(pilot, lambda: app._data_version is not None, "the app's first look at the file")
        subprocess.run([sys.executable, "-c", code, str(seeded_path), str(meeting)], check=True)
        await wait_for(pilot, lambda: "— Changed since approval (approved by ann on" in static_text(status),
                       "bob's change seen", timeout=20)
        assert "Bob: ask about the PEEL revisit" in builder.markdown
