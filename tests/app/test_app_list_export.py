"""E on a list writes what the list shows (every row, its filters and sort) to XLSX or CSV and says where."""

import openpyxl
from textual.widgets import Input

from accountability_tui.services.actions import ActionFilter

from apphelp import make_app, wait_for, wait_screen


async def _export(pilot, screen_name: str, path) -> None:
    await pilot.press("E")
    prompt = await wait_screen(pilot, "ExportPrompt")
    field = prompt.query_one("#value", Input)
    assert field.value.endswith(f"{screen_name}-2026-11-22.xlsx")
    field.value = str(path)
    await pilot.press("enter")


async def test_e_exports_the_overdue_actions_as_shown(seeded_path, tmp_path):
    app = make_app(seeded_path)
    target = tmp_path / "overdue.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        app.action_go("actions", spec=ActionFilter(plan_code="CSCJ-2022-27", overdue=True))
        screen = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.total == 70, "70 overdue actions")
        await _export(pilot, "actions", target)
        await wait_for(pilot, lambda: any("70 rows written to" in m for _, m in app.told), "the notification")
        await pilot.press("3")  # the findings list too, as CSV by its ending
        await wait_screen(pilot, "findings")
        await _export(pilot, "findings", tmp_path / "findings.csv")
        await wait_for(pilot, lambda: any("5 rows written to" in m for _, m in app.told), "the findings written")
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 71 and rows[0][:2] == ("Plan", "Ref")
    assert (tmp_path / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbfInspection,Ref")
