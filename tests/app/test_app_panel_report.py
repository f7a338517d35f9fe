"""The Panel report from the actions screen: P asks where to write the plan's report, writes it, says where it
went; a wrong ending or a missing folder is said in the prompt; an existing file is replaced only after a yes."""

import docx
import openpyxl
from textual.widgets import Input, Static

from accountability_tui.services.actions import ActionFilter

from apphelp import make_app, static_text, wait_for, wait_screen


async def _actions(pilot, plan=None):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=ActionFilter(plan_code=plan))
    screen = await wait_screen(pilot, "actions")
    await wait_for(pilot, lambda: screen.query_one("#table").row_count > 0, "the table")
    return screen


async def _write(pilot, path) -> None:
    await pilot.press("P")
    prompt = await wait_screen(pilot, "ReportPrompt")
    assert prompt.query_one("#value", Input).value.endswith("panel-report-CSCJ-2022-27-2026-11-22.docx")
    prompt.query_one("#value", Input).value = str(path)
    await pilot.press("enter")


async def test_p_writes_the_panel_report_of_the_plan_shown(seeded_path, tmp_path):
    app = make_app(seeded_path)
    target = tmp_path / "panel.docx"
    async with app.run_test(size=(120, 40)) as pilot:
        await _actions(pilot, "CSCJ-2022-27")
        await _write(pilot, target)
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: any("Panel report of CSCJ-2022-27 written to" in m for _, m in app.told),
                       "the notification")
        assert target.exists()
        assert (f"Panel report of CSCJ-2022-27 written to {target}") in [m for _, m in app.told]
        # an existing file: asked first; a workbook by its ending
        await _write(pilot, target)
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("n")
        await wait_screen(pilot, "actions")
        workbook = tmp_path / "panel.xlsx"
        await _write(pilot, workbook)
        await wait_for(pilot, lambda: workbook.exists(), "the workbook")
    document = docx.Document(str(target))
    assert document.paragraphs[0].text.startswith("Annual Delivery Plan progress report: Everybody's Business")
    assert sum(len(t.rows) - 1 for t in document.tables[1:]) == 147
    assert openpyxl.load_workbook(workbook).worksheets[0].max_row == 148


async def test_a_wrong_ending_or_folder_is_said_in_the_prompt(seeded_path, tmp_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _actions(pilot, "CSCJ-2022-27")
        await _write(pilot, tmp_path / "panel.pdf")
        prompt = await wait_screen(pilot, "ReportPrompt")
        await wait_for(pilot, lambda: "name the report .docx (Word), .xlsx (Excel) or .md" in static_text(
            prompt.query_one("#error", Static)), "the ending refused")
        prompt.query_one("#value", Input).value = str(tmp_path / "missing" / "panel.md")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "does not exist" in static_text(prompt.query_one("#error", Static)),
                       "the folder refused")
        await pilot.press("escape")
        await wait_screen(pilot, "actions")
    assert list(tmp_path.glob("panel*")) == []


async def test_all_plans_shown_asks_for_one(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot, None)
        await wait_for(pilot, lambda: screen.spec.plan_code not in (None, ":current"), "the current plan resolved")
        screen.refilter(ActionFilter(plan_code=None))
        await wait_for(pilot, lambda: screen.spec.plan_code is None, "every plan")
        await pilot.press("P")
        await wait_for(pilot, lambda: any("Show one plan first" in m for _, m in app.told), "the notification")
        assert app.screen is screen
