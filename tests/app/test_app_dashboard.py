"""The dashboard: each plan's figures at the as-of date; every figure opens the list behind it."""

import datetime as dt

from textual.widgets import DataTable, Input

from apphelp import make_app, rows, static_text, wait_for, wait_screen


async def _dashboard(pilot):
    screen = await wait_screen(pilot, "dashboard")
    groups = screen.query_one("#groups", DataTable)
    await wait_for(pilot, lambda: groups.row_count >= 5, "the priorities")
    return screen


async def test_first_screen_lists_each_plan_and_the_current_plans_priorities(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(pilot)
        plans = rows(screen.query_one("#plans", DataTable))
        assert plans == [["PCP-2025-29 (current)", "87", "0", "87", "0"], ["CSCJ-2022-27", "147", "70", "73", "33"]]
        groups = rows(screen.query_one("#groups", DataTable))
        assert groups[0][:2] == ["1. Make Hertfordshire safer", "14"]
        assert [r[1] for r in groups] == ["14", "17", "22", "20", "14"]
        findings = rows(screen.query_one("#findings", DataTable))
        assert findings == [["Cause of concern", "0", "1"], ["Recommendation", "1", "1"],
                            ["Area for improvement", "3", "3"]]
        assert "1 inadequate · 4 requires improvement · 3 adequate · 1 good" in static_text(screen.query_one("#grades"))
        assert "No meeting planned" in static_text(screen.query_one("#meeting"))
        assert app.sub_title == "seeded.db · as of 22 Nov 2026"


async def test_the_overdue_figure_of_a_plan_opens_its_overdue_actions(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _dashboard(pilot)
        await pilot.press("down", "right", "right", "enter")  # CSCJ-2022-27, Overdue
        screen = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.total == 70, "70 overdue actions")
        assert screen.spec.plan_code == "CSCJ-2022-27" and screen.spec.overdue
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")


async def test_switching_plan_shows_its_themes_and_a_theme_figure_opens_its_actions(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(pilot)
        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.query_one("#query", Input), "the plan picker")
        await pilot.press(*"cscj", "enter")
        groups = screen.query_one("#groups", DataTable)
        await wait_for(pilot, lambda: rows(groups)[0][0] == "Prevention First & Evidence Based Policing", "themes")
        assert [r[0] for r in rows(groups)] == [
            "Prevention First & Evidence Based Policing", "Criminal Justice",
            "Strategic Policing Requirement and National Policing Measures",
            "Fairness, Equality, and Confidence in Policing", "Representing the Public"]
        assert rows(groups)[1][1:] == ["73", "17", "39", "0", "16", "1", "37", "36"]
        groups.focus()
        groups.cursor_coordinate = (1, 3)  # Criminal Justice, In progress
        await pilot.press("enter")
        actions = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: actions.total == 39, "39 criminal justice actions in progress")
        assert actions.spec.theme == "Criminal Justice" and actions.spec.status == "in_progress"
        await pilot.press("3")  # away, then back by its key: the dashboard still shows the plan chosen
        await wait_screen(pilot, "findings")
        await pilot.press("1")
        screen = await _dashboard(pilot)
        groups = screen.query_one("#groups", DataTable)
        await wait_for(pilot, lambda: rows(groups)[0][0] == "Prevention First & Evidence Based Policing",
                       "the chosen plan's themes again")


async def test_the_as_of_date_is_shown_and_can_be_changed(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(pilot)
        await pilot.press("a")
        field = await wait_for(pilot, lambda: app.screen.query_one("#date", Input), "the date prompt")
        field.value = "31 June 2023"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "not a date" in static_text(app.screen.query_one("#error")), "an inline error")
        field.value = "2023-06-01"
        await pilot.press("enter")
        plans = screen.query_one("#plans", DataTable)
        await wait_for(pilot, lambda: rows(plans)[1][2] == "3", "3 overdue at 1 June 2023")
        assert app.as_of == dt.date(2023, 6, 1) and app.sub_title.endswith("as of 1 Jun 2023")


async def test_a_findings_figure_opens_the_findings_of_that_kind(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _dashboard(pilot)
        findings = screen.query_one("#findings", DataTable)
        findings.focus()
        findings.cursor_coordinate = (2, 1)  # Area for improvement, Open
        await pilot.press("enter")
        found = await wait_screen(pilot, "findings")
        table = found.query_one("#table")
        await wait_for(pilot, lambda: table.row_count == 3, "3 open areas for improvement")
