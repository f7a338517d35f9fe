"""The app opens on the current plan's priorities with their action counts."""

import datetime as dt

from textual.widgets import DataTable

from accountability_tui.app import AccountabilityApp


async def _wait_for_rows(pilot, table, count):
    for _ in range(100):
        if table.row_count >= count:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"table has {table.row_count} rows, expected {count}")


async def test_first_screen_lists_the_current_plans_priorities_with_counts(seeded_path):
    app = AccountabilityApp(db_path=seeded_path, as_of=dt.date(2026, 11, 22))
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#groups", DataTable)
        await _wait_for_rows(pilot, table, 5)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][:2] == ["1. Make Hertfordshire safer", "14"]
        assert [r[1] for r in rows] == ["14", "17", "22", "20", "14"]
        assert "seeded.db" in app.sub_title and "22 November 2026" in app.sub_title
