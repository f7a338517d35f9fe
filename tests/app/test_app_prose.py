"""Room to write (issue 15): prose (an update, a note, a comment, a reason, how a finding was closed) is typed in an
editor that grows with it. Enter starts a new line, ctrl+s saves, Esc asks before throwing typed text away."""

import json

from textual.containers import Vertical
from textual.widgets import TextArea

from accountability_tui.domain.models import FindingStatus
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store
from accountability_tui.ui.widgets.app_footer import AppFooter

from apphelp import choose, make_app, settled, static_text, wait_for, wait_screen

PLAN = "CSCJ-2022-27"


def _editor(prompt) -> TextArea:
    return prompt.query_one("#value", TextArea)


async def _withdraw_prompt(pilot):
    """The actions of a plan, and the prompt for why the first one is withdrawn."""
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=ActionFilter(plan_code=PLAN))
    screen = await wait_screen(pilot, "actions")
    await wait_for(pilot, lambda: screen.selected is not None, "the actions")
    action = screen.selected
    await pilot.press("w")
    prompt = await wait_screen(pilot, "ProsePrompt")
    await wait_for(pilot, lambda: pilot.app.focused is _editor(prompt), "the editor focused")
    return action, prompt


async def test_enter_is_a_new_line_ctrl_s_saves_and_both_lines_are_shown(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("3")
        screen = await wait_screen(pilot, "findings")
        table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
        await wait_for(pilot, lambda: "AFI-workforce" in [f.ref for f in screen.rows], "the findings")
        table.move_cursor(row=[f.ref for f in screen.rows].index("AFI-workforce"))
        await wait_for(pilot, lambda: screen.selected.ref == "AFI-workforce", "the workforce finding")
        finding = screen.selected
        await pilot.press("t")
        picker = await wait_screen(pilot, "PickerScreen")
        await choose(pilot, picker, FindingStatus.CLOSED)
        prompt = await wait_screen(pilot, "ProsePrompt")
        editor = _editor(prompt)
        await wait_for(pilot, lambda: app.focused is editor, "the editor focused")
        # the keys are said: on the hint line and in the footer
        assert "ctrl+s to save · Enter for a new line · Esc to cancel" in [
            static_text(s) for s in prompt.query("Static")]
        await wait_for(pilot, lambda: any(b.id == "prompt.save" and b.description == "Save" and b.show
                                          for _, b, enabled, _ in prompt.active_bindings.values() if enabled),
                       "Save among the keys")
        assert prompt.query_one(AppFooter)
        await pilot.press(*"HMICFRS revisit letter", "enter", *"Confirmed at the March meeting")
        await wait_for(pilot, lambda: editor.document.line_count == 2, "two lines")
        assert app.screen is prompt  # Enter did not save
        assert editor.text == "HMICFRS revisit letter\nConfirmed at the March meeting"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "Closed 22 Nov 2026: HMICFRS revisit letter\nConfirmed at the March meeting"
                       in static_text(screen.query_one("#finding-body")), "shown as two lines in the detail")
    with Store.open(seeded_path) as store:
        saved = store.findings.get(finding.id)
        assert (saved.status, saved.closed_how) == (FindingStatus.CLOSED,
                                                    "HMICFRS revisit letter\nConfirmed at the March meeting")


async def test_a_two_line_note_goes_into_the_briefing_as_two_lines(seeded_path):
    with Store.open(seeded_path) as store:
        meeting = store.meetings.add({"date": "2026-12-10"})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("5")
        meetings = await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: meetings.query_one("#table").row_count >= 3, "the meetings")
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None and builder.rows, "the briefing")
        await pilot.press("n")
        prompt = await wait_screen(pilot, "ProsePrompt")
        await wait_for(pilot, lambda: app.focused is _editor(prompt), "the editor focused")
        await pilot.press(*"Bring the PEEL revisit letter", "enter", *"and the force's action plan", "ctrl+s")
        await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: "Bring the PEEL revisit letter  \n" in builder.markdown, "the note")
        line = builder.markdown.split("Bring the PEEL revisit letter  \n", 1)[1].splitlines()[0]
        assert line.strip() == "and the force's action plan"  # a line of its own (a Markdown line break)
    with Store.open(seeded_path) as store:
        notes = store.query("SELECT text FROM briefing_items WHERE meeting_id = ? AND text IS NOT NULL", (meeting,))
        assert [n["text"] for n in notes] == ["Bring the PEEL revisit letter\nand the force's action plan"]


async def test_the_editor_grows_with_its_lines_and_the_dialog_stays_on_an_80_by_24_screen(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        _, prompt = await _withdraw_prompt(pilot)
        editor = _editor(prompt)
        await wait_for(pilot, lambda: editor.outer_size.height > 0, "the editor laid out")
        empty = editor.outer_size.height
        assert empty >= 5  # room for a few lines from the start
        heights = [empty]
        for n in range(1, 20):
            await pilot.press(*f"line {n}", "enter")
            await wait_for(pilot, lambda n=n: editor.document.line_count == n + 1, f"{n + 1} lines")
            await wait_for(pilot, lambda: prompt.query_one(Vertical).region.height > 0, "laid out again")
            await pilot.pause()
            heights.append(editor.outer_size.height)
        assert max(heights) > empty, heights  # it grew as lines were added
        assert heights == sorted(heights), heights  # and never shrank meanwhile
        assert max(heights) == heights[-1] < 19, heights  # then it scrolls: the dialog stays on the screen
        box = prompt.query_one(Vertical).region
        footer = prompt.query_one(AppFooter).region
        assert box.y >= 0 and box.bottom <= footer.y, (box, footer)
        hint = [s for s in prompt.query("Static") if "ctrl+s to save" in static_text(s)][0]
        assert hint.region.bottom <= box.bottom and hint.region.height == 1  # the hint line still shows
        assert editor.text.count("\n") == 19


async def test_empty_prose_that_is_required_is_refused_and_the_prompt_stays(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        action, prompt = await _withdraw_prompt(pilot)
        error = prompt.query_one("#error")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "This cannot be empty." in static_text(error), "the error")
        assert app.screen is prompt
        await pilot.press("enter", "space", "enter")  # blank lines are still nothing
        await wait_for(pilot, lambda: _editor(prompt).document.line_count == 3, "blank lines")
        error.update("")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "This cannot be empty." in static_text(error), "the error again")
        assert app.screen is prompt
        _editor(prompt).text = "x" * 10_001  # a paste too long to keep: said, and kept on screen
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "too long: 10,001 characters, at most 10,000" in static_text(error), "too long")
        assert app.screen is prompt and len(_editor(prompt).text) == 10_001
        _editor(prompt).text = ""
        await pilot.press(*"Superseded by the 2025 plan", "ctrl+s")  # something written: it goes on
        confirm = await wait_screen(pilot, "ConfirmScreen")
        assert any(static_text(s).startswith("Why: Superseded by the 2025 plan\n") for s in confirm.query("Static"))
        await pilot.press("n")
        await wait_screen(pilot, "actions")
    with Store.open(seeded_path) as store:
        assert store.actions.get(action.id).version == action.version  # nothing was saved


async def test_esc_with_typed_prose_asks_before_throwing_it_away(seeded_path):
    with Store.open(seeded_path) as store:
        meeting = store.meetings.add({"date": "2026-12-10"})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("5")
        meetings = await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: meetings.query_one("#table").row_count >= 3, "the meetings")
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: review.current is not None, "the first action")
        action = review.current
        key = f"review-update:{meeting}:{action.id}"
        # nothing typed: Esc closes at once
        await pilot.press("u")
        await wait_screen(pilot, "ProsePrompt")
        await pilot.press("escape")
        await wait_screen(pilot, "ReviewScreen")
        # typed: Esc asks
        await pilot.press("u")
        prompt = await wait_screen(pilot, "ProsePrompt")
        await wait_for(pilot, lambda: app.focused is _editor(prompt), "the editor focused")
        await pilot.press(*"Chased the lead officer", "enter", *"Reply due Friday")
        typed = "Chased the lead officer\nReply due Friday"
        await wait_for(pilot, lambda: _draft(seeded_path, key) == {"value": typed}, "both lines kept as a draft")
        await pilot.press("escape")
        confirm = await wait_screen(pilot, "ConfirmScreen")
        assert "Discard your unsaved update?" in static_text(confirm.query_one("Static"))
        await pilot.press("n")  # no: back to the text, as it was
        await wait_screen(pilot, "ProsePrompt")
        assert _editor(prompt).text == typed
        await pilot.press("escape")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")  # yes: thrown away, on purpose
        await wait_screen(pilot, "ReviewScreen")
        await settled(pilot)
        await wait_for(pilot, lambda: _draft(seeded_path, key) is None, "the draft gone")
    with Store.open(seeded_path) as store:
        assert store.actions.get(action.id).version == action.version
        assert all("Reply due Friday" not in (h.note or "") for h in store.actions.history(action.id))


def _draft(path, key):
    with Store.open(path) as store:
        row = store.query("SELECT fields FROM drafts WHERE key = ?", (key,))
    return json.loads(row[0]["fields"]) if row else None


async def test_the_forms_prose_editors_grow_with_what_is_typed(seeded_path):
    """An action's note (and the question, rationale and answer editors, styled alike) starts small and grows with
    its lines, up to a cap, within a dialog that scrolls."""
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        app.action_go("actions", spec=ActionFilter(plan_code=PLAN))
        screen = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.selected is not None, "the actions")
        await pilot.press("e")
        form = await wait_screen(pilot, "ActionEditScreen")
        note = form.query_one("#note", TextArea)
        await wait_for(pilot, lambda: note.size.height > 0, "the note laid out")
        small = note.outer_size.height
        note.focus()
        for n in range(8):
            await pilot.press(*f"line {n}", "enter")
        await wait_for(pilot, lambda: note.outer_size.height >= small + 6, "the note grown")
        for n in range(20):
            await pilot.press(*f"more {n}", "enter")
        await wait_for(pilot, lambda: note.document.line_count > 25, "many lines")
        await wait_for(pilot, lambda: note.outer_size.height == 14, "its cap: the rest scrolls inside it")


async def test_a_prompt_says_save_before_cancel_and_its_keys_are_in_the_help(seeded_path):
    """A prose prompt's footer reads as every form's ("^s Save  esc Cancel"), `?` lists the prompts' keys, and
    ctrl+s saves a one-line prompt as Enter does (an officer used to the forms presses it)."""
    from textual.widgets._footer import FooterKey

    from accountability_tui.ui.registry import key_sources

    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        _, prompt = await _withdraw_prompt(pilot)
        footer = prompt.query_one(AppFooter)
        await wait_for(pilot, lambda: footer.query(FooterKey), "the prompt's keys")
        assert [key.description for key in footer.query(FooterKey) if key.display][:2] == ["Save", "Cancel"]
        await pilot.press("escape")  # nothing typed: it closes without asking
        await wait_screen(pilot, "actions")
        await pilot.press("escape")
        dashboard = await wait_screen(pilot, "dashboard")
        await pilot.press("a")  # the as-of date: a one-line prompt
        date = await wait_screen(pilot, "DatePrompt")
        date.query_one("#date").value = "2026-10-01"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: str(app.as_of) == "2026-10-01", "the as-of date from ctrl+s")
        assert dashboard is app.screen
    keys = dict(key_sources())
    assert [(b.key, b.description) for b in keys["An update or note"]] == [
        ("enter", "A new line (ctrl+s saves)"), ("ctrl+s", "Save"), ("escape", "Cancel")]
    assert ("enter", "Confirm what is typed") in [(b.key, b.description) for b in keys["A date or a file"]]
