"""Fits every terminal (issue 15, item 1): columns have priorities; at narrow widths the least important go first,
never the text, and the text takes the width that is left."""

from __future__ import annotations

import pytest

from apphelp import make_app, static_text, wait_for, wait_screen


def _shown(table) -> list[str]:
    return [c.label for c in table.shown_columns]


@pytest.mark.parametrize(("size", "findings", "meetings"), [
    ((80, 24), ["Ref", "Status", "Finding"], ["Date", "Meeting", "Status"]),
    ((100, 30), ["Ref", "Kind", "Status", "Finding"], ["No.", "Date", "Meeting", "Status", "Preparation"]),
    ((120, 40), ["Inspection", "Ref", "Kind", "Status", "S55 response", "Finding"],
     ["No.", "Date", "Meeting", "Status", "Preparation"]),
    ((200, 50), ["Inspection", "Ref", "Kind", "Status", "S55 response", "Finding"],
     ["No.", "Date", "Meeting", "Status", "Preparation"]),
])
async def test_narrow_lists_drop_the_least_important_columns_never_the_text(seeded_path, size, findings, meetings):
    app = make_app(seeded_path)
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("3")
        screen = await wait_screen(pilot, "findings")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: table.row_count == 5, "the findings")
        assert _shown(table) == findings
        text = table.shown_columns[-1]
        assert text.width >= 30 and sum(c.width + 2 for c in table.shown_columns) <= size[0]  # no sideways scroll
        await pilot.press("escape", "5")
        screen = await wait_screen(pilot, "meetings")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: table.row_count == 3, "the meetings")
        assert _shown(table) == meetings
        assert sum(c.width + 2 for c in table.shown_columns) <= size[0]


async def test_the_next_meeting_is_above_the_fold_at_80x24(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        meeting = dashboard.query_one("#meeting")
        await wait_for(pilot, lambda: "meeting" in static_text(meeting), "the next meeting")
        assert meeting.region.y > 0 and meeting.region.bottom <= 23  # on screen, above the footer
