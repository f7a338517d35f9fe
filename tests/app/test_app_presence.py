"""Who is in (issue 14, "who did what"): the title bar says who is acting and as what once roles are in force,
and the dashboard says who else has the database open and which meeting each is preparing. The app runs as one
person; another app on the same file is the same services the app uses, as another person."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

from textual.widgets import Static

from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.services.database import open_services
from accountability_tui.services.meetings import MeetingDraft
from accountability_tui.store import Store

from apphelp import make_app, static_text, wait_for, wait_screen


async def test_the_dashboard_says_who_else_is_in_and_the_title_bar_who_you_are(seeded_path: Path) -> None:
    with closing(Services(Store.open(seeded_path))) as owner:
        owner.access.add("alice", Role.EDITOR)
        owner.access.add("bob", Role.APPROVER)
        december, _ = owner.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10), title="December"))
    app = make_app(seeded_path, services=open_services(seeded_path, create=False, acting_as="alice"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: app.sub_title == "alice · editor · seeded.db · as of 22 Nov 2026", "the badge")
        line = app.screen.query_one("#others", Static)
        assert not line.display  # nobody else is in: no line at all
        with closing(open_services(seeded_path, create=False, acting_as="bob")) as bob:
            bob.presence.join()
            bob.presence.preparing(december)
            await app.look_for_others()  # what the app does every few seconds
            await wait_for(pilot, lambda: line.display and static_text(line) ==
                           "Also in: bob (approver), preparing 10 December 2026 — December", "bob on the dashboard")

            app.prepare_meeting(december)  # alice prepares it too: bob sees which meeting
            await wait_for(pilot, lambda: [(s.who, s.meeting_id) for s in bob.presence.others()]
                           == [("alice", december.id)], "alice's meeting seen by bob")

            bob.presence.leave()
            await app.look_for_others()
            await wait_for(pilot, lambda: not line.display, "bob gone from the dashboard")
    with closing(open_services(seeded_path, create=False, acting_as="bob")) as bob:
        assert bob.presence.others() == []  # alice's app left as it closed


async def test_without_roles_the_title_bar_is_as_before(seeded_path: Path) -> None:
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        sessions = seeded_path.with_name(seeded_path.name + ".sessions")
        await wait_for(pilot, lambda: list(sessions.glob("*.json")), "the app in")  # after it asked who it is
        assert app.badge is None and app.sub_title == "seeded.db · as of 22 Nov 2026"
        assert not app.screen.query_one("#others").display


async def test_read_only_says_nothing_beside_the_database(seeded_path: Path) -> None:
    app = make_app(seeded_path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: not any(w.group == "presence" for w in app.workers), "its first look")
    assert not seeded_path.with_name(seeded_path.name + ".sessions").exists()
