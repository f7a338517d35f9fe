"""Unsaved work is never thrown away without asking, and is kept as a draft meanwhile; undo; the zoom key."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select, TextArea

from accountability_tui.domain.models import Status
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store

from apphelp import make_app, settled, static_text, wait_for, wait_screen

NOTE = "The Constabulary says the new recording audit starts in January"


async def _actions(pilot, spec=None):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=spec or ActionFilter(plan_code="CSCJ-2022-27"))
    screen = await wait_screen(pilot, "actions")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count > 0 and screen.selected is not None, "the actions")
    await settled(pilot, screen)
    return screen


async def _edit_with_a_note(pilot):
    await pilot.press("e")
    edit = await wait_screen(pilot, "ActionEditScreen")
    await settled(pilot, edit)
    edit.query_one("#note", TextArea).focus()
    await pilot.press(*"Chased")  # typed, as a person types
    edit.query_one("#note", TextArea).text = NOTE
    return edit


def _draft(path, key):
    with Store.open(path) as store:
        row = store.query("SELECT fields FROM drafts WHERE key = ?", (key,))
    return row[0]["fields"] if row else None


async def test_esc_with_a_typed_note_asks_before_throwing_it_away(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        action = screen.selected
        edit = await _edit_with_a_note(pilot)
        await pilot.press("escape")
        confirm = await wait_screen(pilot, "ConfirmScreen")
        assert "Discard your unsaved changes to action" in static_text(confirm.query_one("Static"))
        await pilot.press("n")  # no: back to the note, as it was
        await wait_screen(pilot, "ActionEditScreen")
        assert edit.query_one("#note", TextArea).text == NOTE
        await wait_for(pilot, lambda: NOTE in (_draft(seeded_path, f"action-edit:{action.id}") or ""),
                       "the draft kept meanwhile")
        await pilot.press("escape")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")  # yes: thrown away, on purpose
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: _draft(seeded_path, f"action-edit:{action.id}") is None, "the draft gone")
        # nothing typed: Esc closes at once
        await pilot.press("e")
        await wait_screen(pilot, "ActionEditScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "actions")
    with Store.open(seeded_path) as store:
        assert store.actions.get(action.id).version == action.version  # nothing was saved


async def test_quitting_during_an_edit_asks_and_the_note_comes_back_next_time(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        action = screen.selected
        await _edit_with_a_note(pilot)
        await pilot.press("ctrl+q")
        confirm = await wait_screen(pilot, "ConfirmScreen")
        assert "Quit with your unsaved changes" in static_text(confirm.query_one("Static"))
        await pilot.press("n")
        await wait_screen(pilot, "ActionEditScreen")
        assert app.is_running
        await wait_for(pilot, lambda: NOTE in (_draft(seeded_path, f"action-edit:{action.id}") or ""), "the draft")
        await pilot.press("ctrl+q")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")
    # the next time (a crash or a closed terminal leaves the same draft behind)
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        assert screen.selected.id == action.id
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        await wait_for(pilot, lambda: edit.query_one("#note", TextArea).text == NOTE, "the note back")
        assert any("is back" in m for _, m in app.told)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: _draft(seeded_path, f"action-edit:{action.id}") is None, "the draft gone")
    with Store.open(seeded_path) as store:
        assert store.actions.history(action.id)[-1].note == NOTE


async def test_a_drafted_question_survives_the_app_closing_without_a_word(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("4")
        await wait_screen(pilot, "questions")
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        editor.query_one("#text", TextArea).text = "When will every reported crime be recorded correctly?"
        await wait_for(pilot, lambda: "recorded correctly" in (_draft(seeded_path, "question-new:::::") or ""),
                       "the draft")
        app.exit()  # as a closed terminal: no question asked
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("4")
        await wait_screen(pilot, "questions")
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await wait_for(pilot, lambda: "recorded correctly" in editor.query_one("#text", TextArea).text, "it is back")


async def test_undo_the_last_change_from_the_list_and_from_the_palette(seeded_path):
    with Store.open(seeded_path) as store:
        plan = store.plans.get("CSCJ-2022-27")
        action = store.actions.by_ref(plan.id, "7")
        original = action.status
        assert original is not Status.COMPLETE
        store.actions.update(action.id, action.version, status=Status.COMPLETE, note="Marked complete by mistake")
        action = store.actions.get(action.id)
        store.actions.update(action.id, action.version, due=dt.date(2027, 3, 31), due_reason="Slipped")
        history = len(store.actions.history(action.id))
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot, ActionFilter(plan_code="CSCJ-2022-27"))
        screen.query_one("#table").move_cursor(row=[a.id for a in screen.rows].index(action.id))
        await wait_for(pilot, lambda: screen.selected.id == action.id, "action 7")
        await pilot.press("ctrl+z")
        confirm = await wait_screen(pilot, "ConfirmScreen")
        assert "due date" in " ".join(static_text(s) for s in confirm.query("Static"))
        await pilot.press("y")
        await wait_for(pilot, lambda: any("Undone on action CSCJ-2022-27 7" in m for _, m in app.told), "undone")
        await wait_for(pilot, lambda: screen.selected is not None and screen.selected.due != dt.date(2027, 3, 31),
                       "the due date back")
        # the status, from the palette
        await pilot.press("ctrl+p", *"Undo the last change")
        commands = await wait_for(pilot, lambda: pilot.app.screen.query_one("CommandList"), "the palette")

        def undo_index():
            prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
            return next((n for n, p in enumerate(prompts) if p.startswith("Undo the last change")), None)

        await wait_for(pilot, lambda: undo_index() is not None, "the undo command")
        await settled(pilot, what="the palette's searches")
        await pilot.press(*["down"] * undo_index(), "enter")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: screen.selected is not None and screen.selected.status is original,
                       f"the status back ({app.reported})")
    with Store.open(seeded_path) as store:
        after = store.actions.history(action.id)
        assert len(after) > history  # undo writes history; it never deletes any
        assert [h.field for h in after[history:]][:1] == ["due"] and "undo" in (after[history].note or "")


async def test_zoom_twice_gives_the_list_back_and_types_nothing(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        await pilot.press("z")
        await wait_for(pilot, lambda: screen.has_class("-zoom"), "zoomed")
        await pilot.press("z")
        await wait_for(pilot, lambda: not screen.has_class("-zoom"), "the list back")
        assert screen.query_one("#search", Input).value == ""
        assert app.focused is screen.query_one("#table")


async def test_a_pasted_escape_never_reaches_the_database(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        action = screen.selected
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        edit.query_one("#note", TextArea).text = "Paste \x1b[31mred\x1b[0m and \x07bell"
        edit.query_one("#status", Select).value = action.status.value
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
    with Store.open(seeded_path) as store:
        note = store.actions.history(action.id)[-1].note
        assert note == "Paste [31mred[0m and bell" and "\x1b" not in note
        question = store.questions.add({"text": "Why \x1b]52;c;aGk=\x07?"})
        assert "\x1b" not in store.questions.get(question).text


async def test_quitting_at_once_after_typing_still_keeps_the_draft(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        action = screen.selected
        edit = await _edit_with_a_note(pilot)
        edit.query_one("#note", TextArea).text = NOTE + " (typed just before quitting)"
        await pilot.press("ctrl+q")  # before the draft's moment after the last key has come
        await wait_screen(pilot, "ConfirmScreen")
        assert "(typed just before quitting)" in (_draft(seeded_path, f"action-edit:{action.id}") or "")
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, "the app to quit")


async def test_a_form_opened_with_nothing_typed_writes_no_draft(seeded_path):
    """Its fields report their starting values as it opens: that is not the officer's input, so no draft is due
    (it used to write, or delete, a draft a moment after every form opened). The first key typed makes one due."""
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        await settled(pilot, edit)  # the fields' first Changed messages handled, the draft looked for
        assert edit._timer is None and not [w for w in edit.workers if w.group == "draft"]
        edit.query_one("#note", TextArea).focus()
        await pilot.press("x")
        await wait_for(pilot, lambda: _draft(seeded_path, f"action-edit:{screen.selected.id}") is not None,
                       "the draft of what was typed")
