"""Fits every terminal (issue 15, item 1): columns have priorities; at narrow widths the least important go first,
never the text, and the text takes the width that is left."""

from __future__ import annotations

import pytest

from apphelp import make_app, static_text, wait_for, wait_screen


def _shown(table) -> list[str]:
    return [c.label for c in table.shown_columns]


@pytest.mark.parametrize(("size", "findings", "meetings"), [
    ((80, 24), ["Ref", "Status", "Finding"], ["Date", "Meeting", "Status"]),
    ((100, 30), ["Ref", "Status", "Finding"], ["No.", "Date", "Meeting", "Status", "Preparation"]),
    # the finding's text keeps 50 columns: the inspection and the s55 date wait for a wider screen
    ((120, 40), ["Ref", "Kind", "Status", "Finding"], ["No.", "Date", "Meeting", "Status", "Preparation"]),
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
        assert text.width >= 30
        await wait_for(pilot, lambda: table.max_scroll_x == 0, "no sideways scroll")
        await pilot.press("escape", "5")
        screen = await wait_screen(pilot, "meetings")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: table.row_count == 3, "the meetings")
        assert _shown(table) == meetings
        await wait_for(pilot, lambda: table.max_scroll_x == 0, "no sideways scroll")


async def test_the_next_meeting_is_above_the_fold_at_80x24(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        meeting = dashboard.query_one("#meeting")
        await wait_for(pilot, lambda: "meeting" in static_text(meeting), "the next meeting")
        assert meeting.region.y > 0 and meeting.region.bottom <= 23  # on screen, above the footer


SIZES = [(80, 24), (100, 30), (120, 40), (200, 50)]
# a main screen's key: its name, its text column, its detail
LISTS = {"2": ("actions", "text", "#detail"), "3": ("findings", "text", "#detail"),
         "4": ("questions", "text", "#detail"), "5": ("meetings", "title", "#meeting-detail"),
         "6": ("performance", "name", "#detail")}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_main_screen_shows_its_list_its_detail_and_its_essential_keys(seeded_path, size):
    """At 80×24, 100×30, 120×40 and 200×50, each main screen shows its list with its text column and no sideways
    scroll, the highlighted record's detail on screen, and in its footer the keys that matter (help, back, quit)."""
    from textual.widgets._footer import FooterKey

    from accountability_tui.store import Store
    from accountability_tui.ui.widgets.app_footer import ESSENTIAL, AppFooter
    from accountability_tui.ui.widgets.row_table import RowTable

    with Store.open(seeded_path) as store:  # the seed data has no question
        store.questions.add({"text": "How will the force raise its use of Clare's Law right-to-know disclosures?",
                             "rationale": "PEEL 2024: lowest use in the country"})
    width, height = size
    app = make_app(seeded_path)
    async with app.run_test(size=size) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        for key, (name, text_key, detail_id) in LISTS.items():
            await pilot.press(key)
            screen = await wait_screen(pilot, name)
            table = screen.query_one("#table", RowTable)
            await wait_for(pilot, lambda t=table: t.row_count > 0, f"the {name}")
            text = next(c for c in table.shown_columns if c.key == text_key)  # always shown, with the room left
            assert text.width >= width * 35 // 100, (name, text.label, text.width)
            await wait_for(pilot, lambda t=table: t.max_scroll_x == 0, f"the {name} without sideways scroll")
            detail = screen.query_one(detail_id)
            await wait_for(pilot, lambda d=detail: d.region.height >= 3, f"the {name}' detail")
            assert detail.region.bottom <= height - 1, name  # above the footer
            footer = screen.query_one(AppFooter)

            def shown(f=footer) -> bool:  # the footer makes its keys again when the screen's keys change
                essential = [k for k in f.query(FooterKey) if k.action in ESSENTIAL]
                return {k.action for k in essential} >= {"help", "quit", "back"} and all(
                    k.display and 0 < k.region.width and k.region.right <= width for k in essential)

            await wait_for(pilot, shown, f"the {name}' essential keys in the footer")
            await pilot.press("escape")
            await wait_screen(pilot, "dashboard")


def test_a_wider_terminal_never_shows_fewer_action_columns():
    """The actions' columns at every width from 80 to 240: each width shows what the one before showed (a wider
    priority column that cost the text its room dropped the whole column at 140-144), and never more than fits."""
    from accountability_tui.ui.screens.actions import TEXT_ROOM, column_widths

    before: set[str] = set()
    for width in range(80, 241):
        widths = column_widths(width)
        assert before <= set(widths), (width, before - set(widths))
        assert widths["text"] >= (30 if width < 110 else TEXT_ROOM), (width, widths)
        assert sum(widths.values()) + 2 * len(widths) <= width - 2, width  # the padding, and the scrollbar
        before = set(widths)
