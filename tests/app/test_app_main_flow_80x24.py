"""Issue 15's "Done when": at 80x24 an officer prepares a meeting — dashboard → the overdue actions → review them
→ the briefing → export — pressing only keys the footer shows or `?` lists (and the arrows and Enter, which every
list takes), and the exported file says what was done."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, TextArea
from textual.widgets._footer import FooterKey

from accountability_tui.settings import Settings
from accountability_tui.store import Store
from accountability_tui.ui.widgets.app_footer import AppFooter

from apphelp import make_app, rows, wait_for, wait_screen

SIZE = (80, 24)
UPDATE = "Chased the lead officer: evaluation report due in January"


async def offered(pilot, key: str, what: str) -> None:
    """The key is in the footer of the screen in front, on screen; else `?` lists it, doing `what`."""
    screen = pilot.app.screen
    footer = screen.query_one(AppFooter)
    await wait_for(pilot, lambda: footer.query(FooterKey), "the footer's keys")
    for shown in footer.query(FooterKey):
        if shown.key == key and shown.region.width > 0 and shown.region.right <= SIZE[0]:
            assert shown.description == what
            return
    await pilot.press("question_mark")
    help_screen = await wait_screen(pilot, "HelpScreen")
    listed = [(r[1], r[2]) for r in rows(help_screen.query_one("#keys"))]
    assert (key, what) in listed, f"{key} ({what}) is neither in the footer nor in ?"
    await pilot.press("escape")
    await wait_for(pilot, lambda: pilot.app.screen is screen, "back from ?")


async def test_prepare_a_meeting_at_80x24_with_the_keys_on_show(seeded_path, tmp_path):
    with Store.open(seeded_path) as store:
        store.meetings.add({"date": "2026-12-10"})
    app = make_app(seeded_path, settings=Settings(export_folder=tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        # the dashboard: the overdue figure of the CSCJ plan opens its overdue actions
        dashboard = await wait_screen(pilot, "dashboard")
        plans = dashboard.query_one("#plans", DataTable)
        await wait_for(pilot, lambda: plans.row_count == 2, "both plans")
        await pilot.press("down", "right", "right", "enter")
        actions = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: actions.total == 70 and actions.spec.overdue, "70 overdue actions")
        await offered(pilot, "escape", "Back")
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")
        # the meetings: review the overdue actions for the one coming
        await offered(pilot, "5", "Meetings")
        await pilot.press("5")
        meetings = await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: meetings.selected is not None and meetings.selected.meeting.date ==
                       dt.date(2026, 12, 10), "the coming meeting")
        await offered(pilot, "r", "Review overdue")
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: review.current is not None, "the first overdue action")
        first = review.current
        await offered(pilot, "u", "Update")
        await pilot.press("u")
        prompt = await wait_screen(pilot, "ProsePrompt")
        await wait_for(pilot, lambda: app.focused is prompt.query_one(TextArea), "the editor")
        await pilot.press(*UPDATE)
        await offered(pilot, "ctrl+s", "Save")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ReviewScreen")
        await offered(pilot, "b", "For discussion")
        await pilot.press("b")
        await offered(pilot, "right", "Reviewed, next")
        await pilot.press("right")
        await wait_for(pilot, lambda: review.current is not None and review.current.id != first.id, "the next one")
        await offered(pilot, "left", "Back")  # in ?: the one before, whatever has the focus
        await pilot.press("left")
        await wait_for(pilot, lambda: review.current is not None and review.current.id == first.id, "back to it")
        await offered(pilot, "escape", "Leave")
        await pilot.press("escape")
        await wait_screen(pilot, "meetings")
        # the briefing, and its export
        await offered(pilot, "b", "Briefing")
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None, "the briefing")
        await offered(pilot, "x", "Export")
        await pilot.press("x")
        export = await wait_screen(pilot, "ExportPrompt")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.screen is export, "the file name")
        await pilot.press("enter")  # the suggested name, in the export folder of the settings
        written = tmp_path / "briefing-2026-12-10.md"
        await wait_for(pilot, lambda: any("Briefing written to" in m for _, m in app.told), "written")
    paper = written.read_text(encoding="utf-8")
    assert "For discussion" in paper and UPDATE in paper and first.text[:40] in paper
    assert app.reported == []
