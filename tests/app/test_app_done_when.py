"""Issue 3's whole flow, by keyboard alone, on the seeded database, checked in the database at the end."""

import datetime as dt

from textual.command import CommandPalette
from textual.widgets import DataTable

from accountability_tui.domain.models import Status
from accountability_tui.store import Store

from apphelp import make_app, rows, settled, static_text, wait_for, wait_screen

HOSTILE = "[bold]x[/bold] [@click=app.quit]q[/] \x1b[2J\u202e"


async def test_overdue_to_edit_link_question_and_find_again(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        # 1. the overdue counts of each plan
        dashboard = await wait_screen(pilot, "dashboard")
        plans = dashboard.query_one("#plans", DataTable)
        await wait_for(pilot, lambda: plans.row_count == 2, "both plans")
        assert [(r[0], r[2]) for r in rows(plans)] == [("PCP-2025-29 (current)", "0"), ("CSCJ-2022-27", "70")]
        # 2. the overdue actions of the CSCJ plan that are still in progress
        await pilot.press("down", "right", "right", "enter", "t", "t")
        actions = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: actions.total == 49 and actions.spec.status == "in_progress", "49 actions")
        # 3. open one: change its status with a note, move its due date with a reason
        await pilot.press("down", "down")
        await wait_for(pilot, lambda: actions.selected.ref == "6", "action 6")
        action = actions.selected
        await pilot.press("e")
        await wait_screen(pilot, "ActionEditScreen")
        await pilot.press("enter", "down", "enter")  # status: In progress -> Complete
        await pilot.press("tab", "tab", *"Hot spots trial evaluated", "tab", *"2027-01-31", "tab",
                          *"Evaluation report delayed", "ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: "Hot spots trial evaluated" in static_text(actions.query_one("#detail")),
                       "the saved history")
        # 4. link it to a finding
        await pilot.press("l")
        await wait_screen(pilot, "PickerScreen")
        await pilot.press(*"workforce", "enter")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: "Linked HMICFRS findings (1)" in static_text(actions.query_one("#detail")),
                       "the link")
        # 5. write a question linked to it
        await pilot.press("n")
        await wait_screen(pilot, "QuestionEditScreen")
        await pilot.press(*"What did the hot spots evaluation find?", "ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: "Questions for the Chief Constable (1)" in
                       static_text(actions.query_one("#detail")), "the question")
        # 6. find it again through the command palette by a word of its text
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")
        await pilot.press("ctrl+p")
        palette = await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.screen, "palette")
        await pilot.press(*"Hot spots Policing Model")
        commands = palette.query_one("CommandList")
        await wait_for(pilot, lambda: commands.option_count and "Hot spots Policing Model" in
                       str(commands.get_option_at_index(0).prompt), "the action in the palette")
        await pilot.press("enter")
        found = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: found.selected is not None and found.selected.id == action.id, "the action")
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert (saved.status, saved.due, saved.baseline_due) == (Status.COMPLETE, dt.date(2027, 1, 31),
                                                                  action.baseline_due)
        assert [f.ref for f in store.findings.for_action(action.id)] == ["AFI-workforce"]
        (question,) = store.questions.list(action_id=action.id)
        assert question.text == "What did the hot spots evaluation find?"


async def test_hostile_text_is_harmless_on_every_screen(seeded_path):
    with Store.open(seeded_path) as store:
        finding = store.findings.list()[0]
        store.db.conn.execute("UPDATE findings SET text = ? WHERE id = ?", (HOSTILE + " finding", finding.id))
        store.questions.add({"text": HOSTILE + " question", "rationale": HOSTILE})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("3")
        findings = await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "[@click=app.quit]q[/]" in static_text(findings.query_one("#finding-body")),
                       "the finding shown literally")
        assert "\x1b" not in static_text(findings.query_one("#finding-body"))
        await pilot.press("4")
        questions = await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: "[bold]x[/bold]" in static_text(questions.query_one("#question-body")),
                       "the question shown literally")
        body = static_text(questions.query_one("#question-body"))
        assert "\x1b" not in body and "\u202e" not in body
        await pilot.press("ctrl+p", *"click")
        await settled(pilot, what="the palette's search")
        await pilot.press("escape")
        assert app.is_running and app.reported == []
