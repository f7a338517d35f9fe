"""Actions: filter, sort, detail, and every edit flow, checked in the database afterwards."""

import datetime as dt

from textual.widgets import Input, Select, TextArea

from accountability_tui.domain.models import Rag, Status
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store

from apphelp import make_app, static_text, wait_for, wait_screen


async def _actions(pilot, spec=None, count=None):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=spec) if spec else pilot.app.action_go("actions")
    screen = await wait_screen(pilot, "actions")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count > 0 and (count is None or screen.total == count),
                   f"{count} actions")
    return screen, table


def _detail(screen) -> str:
    return static_text(screen.query_one("#detail"))


async def test_filters_combine_and_sort_by_any_column(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"), 147)
        await pilot.press("o")  # overdue only
        await wait_for(pilot, lambda: screen.total == 70, "70 overdue")
        await pilot.press("t", "t")  # status: not started, then in progress
        await wait_for(pilot, lambda: screen.total == 49, "49 overdue and in progress")
        assert "49 actions — CSCJ-2022-27 · in progress · overdue at 22 Nov 2026" in static_text(
            screen.query_one("#summary"))
        await pilot.press("slash", *"victim")
        await wait_for(pilot, lambda: 0 < table.row_count < 49, "the text filter")
        assert all("victim" in (a.text + (a.explanation or "")).lower() for a in screen.rows)
        await pilot.press("enter")  # back to the table
        assert app.focused is table
        await pilot.press("x")
        await wait_for(pilot, lambda: screen.total == 147, "filters cleared")
        # sort: s moves through the columns; days overdue sorts longest first
        while screen.sort != "days_overdue":
            await pilot.press("s")
        await wait_for(pilot, lambda: screen.rows[0].due == dt.date(2023, 5, 31), "longest overdue first")
        await pilot.press("S")
        await wait_for(pilot, lambda: screen.rows[0].due is None or screen.rows[0].due > dt.date(2023, 5, 31),
                       "reversed")


async def test_filters_dialog_sets_priority_status_rag_lead_and_deadline(seeded_path):
    with Store.open(seeded_path) as store:
        plan = store.plans.get("PCP-2025-29")
        target = store.actions.by_ref(plan.id, "4.8")
        store.actions.update(target.id, 1, rag=Rag.RED, lead="Constabulary")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="PCP-2025-29"), 87)
        await pilot.press("f")
        dialog = await wait_screen(pilot, "ActionFiltersScreen")
        await wait_for(pilot, lambda: len(dialog.groups) == 5 + 27, "the priorities and themes of the plan")
        dialog.query_one("#group", Select).value = f"p:{target.priority_id}"
        dialog.query_one("#rag", Select).value = "red"
        dialog.query_one("#lead", Input).value = "constab"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: table.row_count == 1, "one red action led by the Constabulary")
        assert screen.rows[0].ref == "4.8"
        assert "4. Protect people from violence, abuse and exploitation" in static_text(screen.query_one("#summary"))


async def test_detail_pane_shows_full_text_explanation_links_and_history(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"), 147)
        await wait_for(pilot, lambda: "Latest explanation" in _detail(screen), "the detail")
        text = _detail(screen)
        assert "Ask the Chief Constable to develop a Prevention First Strategy for Hertfordshire" in text
        assert "Integrated Performance Framework" in text and "History (1)" in text and "created" in text
        await pilot.press("down")
        await wait_for(pilot, lambda: "For the Chief Constable to maximise" in _detail(screen), "the next detail")


async def test_edit_status_with_note_and_move_due_date_with_reason(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27", overdue=True,
                                                           status="in_progress"), 49)
        action = screen.selected
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        edit.query_one("#status", Select).value = "complete"
        await pilot.press("ctrl+s")  # no note yet: refused inline, nothing saved
        await wait_for(pilot, lambda: "needs one" in static_text(edit.query_one("#error")), "the note is required")
        edit.query_one("#note", TextArea).text = "Strategy signed off at the January board"
        edit.query_one("#due").value = "31/13/2027"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not a date" in static_text(edit.query_one("#error")), "bad date refused")
        edit.query_one("#due").value = "2027-03-31"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "reason" in static_text(edit.query_one("#error")), "reason required")
        edit.query_one("#reason").value = "Evaluation follows the annual report"
        edit.query_one("#rag", Select).value = "green"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        # the edited action stays in view and its history shows at once
        await wait_for(pilot, lambda: "Strategy signed off" in _detail(screen), "the new history in the detail")
        assert any(a.id == action.id for a in screen.rows)
        assert "kept in view" in static_text(screen.query_one("#summary"))
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert (saved.status, saved.rag, saved.due) == (Status.COMPLETE, Rag.GREEN, dt.date(2027, 3, 31))
        assert saved.baseline_due == action.baseline_due
        entries = {h.field: h for h in store.actions.history(action.id) if h.version == 2}
        assert entries["status"].note == "Strategy signed off at the January board"
        assert entries["due"].note == "Evaluation follows the annual report"
        assert entries["due"].old_value == action.due.isoformat()


async def test_link_an_action_to_a_finding(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"), 147)
        action = screen.selected
        await pilot.press("l")
        picker = await wait_screen(pilot, "PickerScreen")
        await pilot.press(*"protective")
        await wait_for(pilot, lambda: len(picker.values) == 1, "the protective-powers finding")
        await pilot.press("enter")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: "Linked HMICFRS findings (1)" in _detail(screen), "the link in the detail")
    with Store.open(seeded_path) as store:
        (finding,) = store.findings.for_action(action.id)
        assert finding.ref == "AFI-protective-powers"


async def test_write_a_question_linked_to_the_action(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"), 147)
        action = screen.selected
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await wait_for(pilot, lambda: "action CSCJ-2022-27 1" in static_text(editor.query_one("#links")), "links")
        await pilot.press(*"When will the Prevention First strategy show its impact?")
        await pilot.press("enter")
        await pilot.press(*"And how will it be measured?")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: "Questions for the Chief Constable (1)" in _detail(screen), "the question")
    with Store.open(seeded_path) as store:
        (question,) = store.questions.list(action_id=action.id)
        assert question.text == ("When will the Prevention First strategy show its impact?\n"
                                 "And how will it be measured?")
        assert question.status.value == "draft"


async def test_markup_and_control_characters_in_data_show_literally(seeded_path):
    hostile = "[bold]Loud[/bold] [@click=app.quit]quit[/] [link=https://x.test]x[/link] \x1b[31mred\x1b[0m"
    with Store.open(seeded_path) as store:
        plan = store.plans.get("CSCJ-2022-27")
        action = store.actions.by_ref(plan.id, "1")
        store.db.conn.execute("UPDATE actions SET text = ?, explanation = ?, lead = ? WHERE id = ?",
                              (hostile, hostile, "[red]Lead[/red]", action.id))
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"), 147)
        await wait_for(pilot, lambda: "[bold]Loud[/bold]" in _detail(screen), "the literal text")
        text = _detail(screen)
        assert "[@click=app.quit]quit[/]" in text and "\x1b" not in text and "␛[31mred" in text
        assert "Lead: [red]Lead[/red]" in text
        await pilot.click("#detail", offset=(10, 1))  # clicking the text triggers nothing
        assert app.is_running
