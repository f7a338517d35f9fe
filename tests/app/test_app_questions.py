"""Questions for the Chief Constable: write (several lines), link, move through the lifecycle, answer, follow up."""

from textual.widgets import Input, TextArea

from accountability_tui.domain.models import QuestionStatus
from accountability_tui.store import Store

from apphelp import choose, make_app, rows, settled, static_text, wait_for, wait_screen


async def _questions(pilot, count):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press("4")
    screen = await wait_screen(pilot, "questions")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count == count and screen.rows is not None, f"{count} questions")
    await settled(pilot, screen, "the list and its detail")
    return screen, table


def _detail(screen) -> str:
    return static_text(screen.query_one("#question-body"))


async def test_the_whole_lifecycle_of_a_question(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _questions(pilot, 0)
        assert "No questions yet" in _detail(screen)
        # write, on several lines, linked to a priority
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await pilot.press(*"How will the force reach the top quartile for Clare's Law?", "enter", *"By when?")
        await pilot.press("ctrl+l")
        picker = await wait_screen(pilot, "PickerScreen")
        picker.query_one("#query", Input).value = "protect people"
        await wait_for(pilot, lambda: picker.shown_query == "protect people", "the priorities found")
        assert picker.values[0][0] == "priority"
        await pilot.press("enter")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await wait_for(pilot, lambda: "priority PCP-2025-29 4." in static_text(editor.query_one("#links")), "link")
        editor.query_one("#rationale", TextArea).text = "Lowest right-to-know use in the country (PEEL 2024)"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: table.row_count == 1, "the new question")
        assert rows(table)[0][1] == "Draft"
        # draft -> ready -> asked
        for status in ("Ready", "Asked"):
            await pilot.press("m")
            picker = await wait_screen(pilot, "PickerScreen")
            await wait_for(pilot, lambda: picker.values, "the next statuses")
            await choose(pilot, picker, next(s for s in picker.values if s.label == status))
            await wait_screen(pilot, "questions")
            await wait_for(pilot, lambda s=status: rows(table)[0][1] == s, status)
        # record the answer
        await pilot.press("a")
        answer = await wait_screen(pilot, "AnswerScreen")
        answer.query_one("#answer", TextArea).text = "A new DVDS process starts in January."
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: rows(table)[0][1] == "Answered", "answered")
        await wait_for(pilot, lambda: "A new DVDS process starts in January." in _detail(screen), "the answer")
        # follow-up, linked back to the original
        await pilot.press("f")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await pilot.press(*"What did January's figures show?")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: table.row_count == 2, "the follow-up")
    with Store.open(seeded_path) as store:
        original, follow_up = store.questions.list()
        assert original.text == "How will the force reach the top quartile for Clare's Law?\nBy when?"
        assert original.rationale.startswith("Lowest right-to-know")
        assert original.priority_id == store.plans.priority_id(store.plans.get("PCP-2025-29").id, 4)
        assert (original.status, original.answer) == (QuestionStatus.FOLLOW_UP, "A new DVDS process starts in January.")
        assert (follow_up.follow_up_of, follow_up.priority_id) == (original.id, original.priority_id)
        fields = [h["field"] for h in store.questions.history(original.id)]
        assert fields == ["created", "status", "status", "status", "answer", "status"]


async def test_edit_a_question_and_an_empty_question_is_refused(seeded_path):
    with Store.open(seeded_path) as store:
        question_id = store.questions.add({"text": "First draft"})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _questions(pilot, 1)
        await pilot.press("e")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        editor.query_one("#text", TextArea).text = "   "
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Write the question" in static_text(editor.query_one("#error")), "refused")
        editor.query_one("#text", TextArea).text = "Second draft,\nwith a second line"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: "Second draft" in rows(table)[0][2], "the edit")
    with Store.open(seeded_path) as store:
        assert store.questions.get(question_id).text == "Second draft,\nwith a second line"


async def test_forms_refuse_text_that_is_too_long_inline(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _questions(pilot, 0)
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        editor.query_one("#text", TextArea).text = "why " * 30_000
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "too long" in static_text(editor.query_one("#error")), "the inline refusal")
        assert app.screen is editor
    with Store.open(seeded_path) as store:
        assert store.questions.list() == []
