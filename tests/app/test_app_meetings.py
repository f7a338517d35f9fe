"""Meeting preparation in the app: create a meeting, review every overdue action, build, preview and export."""

import datetime as dt

from textual.widgets import DataTable, Input, Markdown, TextArea

from accountability_tui.domain.models import MeetingStatus, QuestionStatus, Status
from accountability_tui.store import Store

from apphelp import make_app, rows, static_text, wait_for, wait_screen


async def _meetings(pilot):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press("5")
    screen = await wait_screen(pilot, "meetings")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count >= 3, "the meetings")
    return screen, table


async def _new_meeting(pilot, screen, table, day="2026-12-10"):
    await pilot.press("n")
    editor = await wait_screen(pilot, "MeetingEditScreen")
    editor.query_one("#date", Input).value = day
    editor.query_one("#themes", Input).value = "Crime data integrity; Violence against women and girls"
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "meetings")
    await wait_for(pilot, lambda: rows(table)[0][1] == "Thu 10 Dec 2026", "the new meeting")


def _progress(screen) -> str:
    return static_text(screen.query_one("#progress"))


async def test_review_every_overdue_action_draft_questions_build_preview_and_export(seeded_path, tmp_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _meetings(pilot)
        await _new_meeting(pilot, screen, table)
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: "reviewed 0 of 70 overdue" in _progress(review), "the review")
        assert app.as_of == dt.date(2026, 12, 10)  # preparing a meeting sets the as-of date
        drafted = 0
        for n in range(70):
            if n in (0, 20, 45):  # three questions on the way, one action put forward for discussion
                await pilot.press("q")
                editor = await wait_screen(pilot, "QuestionEditScreen")
                editor.query_one("#text", TextArea).text = f"Question {drafted + 1}: when will action " \
                                                          f"{review.current.ref} be delivered?"
                await pilot.press("ctrl+s")
                await wait_screen(pilot, "ReviewScreen")
                drafted += 1
                await wait_for(pilot, lambda: f"reviewed {n + 1} of 70 overdue" in _progress(review), "saved and reviewed")
                await pilot.press("b")
                await wait_for(pilot, lambda: "for discussion" in _progress(review), "put forward")
            await pilot.press("right")
            await wait_for(pilot, lambda: f"reviewed {n + 1} of 70 overdue" in _progress(review), f"{n + 1} reviewed")
        assert "all reviewed" in _progress(review)
        await pilot.press("escape")
        await wait_screen(pilot, "meetings")
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None, "the briefing")
        assert len(builder.briefing.section("questions").items) == 3
        assert sum(1 for i in builder.briefing.section("overdue").items if i.discuss) == 3
        preview = builder.query_one("#preview", Markdown)
        await wait_for(pilot, lambda: "Questions for the Chief Constable" in builder.markdown, "the preview")
        assert preview.source == builder.markdown
        # a comment and a restricted item, then the public preview
        items = builder.query_one("#items", DataTable)
        index = next(n for n, (section, item) in enumerate(builder.rows) if section == "hmicfrs" and item)
        items.move_cursor(row=index)
        await pilot.press("c")
        await wait_screen(pilot, "ProsePrompt")
        await pilot.press(*"Ask for the revisit date", "ctrl+s")
        await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: "Ask for the revisit date" in builder.markdown, "the comment in the preview")
        await pilot.press("r")
        await wait_for(pilot, lambda: "**RESTRICTED**" in builder.markdown, "restricted in the full view")
        await pilot.press("p")
        await wait_for(pilot, lambda: "(public version)" in builder.markdown, "the public preview")
        assert "Ask for the revisit date" not in builder.markdown and "RESTRICTED" not in builder.markdown
        await pilot.press("p")
        await wait_for(pilot, lambda: "(public version)" not in builder.markdown, "the full preview")
        # export, then export again: the app asks before replacing the file
        target = tmp_path / "briefing.md"
        for attempt in range(2):
            await pilot.press("x")
            prompt = await wait_screen(pilot, "ExportPrompt")
            prompt.query_one("#value", Input).value = str(target)
            await pilot.press("enter")
            if attempt == 1:
                await wait_screen(pilot, "ConfirmScreen")
                await pilot.press("y")
            await wait_screen(pilot, "BriefingScreen")
            await wait_for(pilot, lambda: target.exists(), "the file")
        text = target.read_text()
    assert text.startswith("# Briefing: Accountability and Performance Meeting, Thursday 10 December 2026")
    assert text.count("Question ") >= 3 and "Ask for the revisit date" in text
    with Store.open(seeded_path) as store:
        meeting = store.meetings.find("2026-12-10")
        assert len(store.meetings.reviewed(meeting.id)) == 70
        questions = store.questions.list(meeting_id=meeting.id)
        assert len(questions) == 3 and all(q.action_id for q in questions)


async def test_leave_the_review_and_resume_where_it_stopped(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _meetings(pilot)
        await _new_meeting(pilot, screen, table)
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: "reviewed 0 of 70 overdue" in _progress(review), "the review")
        await pilot.press("right", "right", "s")  # two reviewed, one skipped
        await wait_for(pilot, lambda: "reviewed 2 of 70 overdue" in _progress(review) and review.index == 3, "moved on")
        await pilot.press("left")
        await wait_for(pilot, lambda: review.index == 2, "back one")
        await pilot.press("escape")
        await wait_screen(pilot, "meetings")
        await pilot.press("r")
        again = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: again.state is not None, "the review again")
        assert again.index == 2  # the first action not yet reviewed (the skipped one)
        assert "reviewed 2 of 70 overdue" in _progress(again)


async def test_review_keys_record_an_update_status_and_due_date(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _meetings(pilot)
        await _new_meeting(pilot, screen, table)
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: review.current is not None, "the first action")
        action = review.current
        await pilot.press("u")
        await wait_screen(pilot, "ProsePrompt")
        await pilot.press(*"Board paper due in January", "ctrl+s")
        await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: "reviewed 1 of 70 overdue" in _progress(review), "reviewed by the update")
        await wait_for(pilot, lambda: "Board paper due in January" in static_text(review.query_one("#detail")),
                       "the update in the history")
        await pilot.press("d")
        edit = await wait_screen(pilot, "ActionEditScreen")
        assert app.focused is edit.query_one("#due")
        edit.query_one("#due").value = "2027-03-31"
        edit.query_one("#reason").value = "Waiting for the new strategy"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ReviewScreen")
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        await wait_for(pilot, lambda: edit.action.due == dt.date(2027, 3, 31), "the new version")
        edit.query_one("#rag").value = "red"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: "RAG: Red" in static_text(review.query_one("#detail")), "the RAG")
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert (saved.due, saved.rag.value, saved.status) == (dt.date(2027, 3, 31), "red", Status.IN_PROGRESS)
        assert [h.field for h in store.actions.history(action.id)][1:] == ["note", "due", "rag"]


async def test_after_the_meeting_record_asked_and_answers_then_close(seeded_path):
    with Store.open(seeded_path) as store:
        meeting = store.meetings.add({"date": "2026-12-10"})
        store.questions.add({"text": "Asked?", "meeting_id": meeting, "status": "ready"})
        store.questions.add({"text": "Not reached?", "meeting_id": meeting, "status": "ready"})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _meetings(pilot)
        await pilot.press("a")
        questions = await wait_screen(pilot, "questions")
        qtable = questions.query_one("#table")
        await wait_for(pilot, lambda: qtable.row_count == 2, "the meeting's questions")
        await pilot.press("a")
        answer = await wait_screen(pilot, "AnswerScreen")
        answer.query_one("#answer", TextArea).text = "The force will report in March."
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: rows(qtable)[0][1] == "Answered", "answered")
        await pilot.press("escape")  # back to the meetings, where the questions were opened
        screen = await wait_screen(pilot, "meetings")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: screen.selected is not None and screen.selected.meeting.id == meeting, "it")
        await pilot.press("c")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: rows(table)[0][3] == "held", "held")
    with Store.open(seeded_path) as store:
        assert store.meetings.get(meeting).status is MeetingStatus.HELD
        asked, waiting = store.questions.list()
        assert (asked.status, asked.answer) == (QuestionStatus.ANSWERED, "The force will report in March.")
        january = store.meetings.add({"date": "2027-01-14"})
        assert [q.text for q in store.questions.list(meeting_id=january)] == ["Not reached?"]


async def test_builder_keys_include_reorder_items_and_sections_and_notes(seeded_path):
    with Store.open(seeded_path) as store:
        meeting = store.meetings.add({"date": "2026-12-10"})
    app = make_app(seeded_path)
    async with app.run_test(size=(160, 50)) as pilot:
        screen, table = await _meetings(pilot)
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None and builder.rows, "the briefing")
        items = builder.query_one("#items", DataTable)
        hmicfrs = [n for n, (section, item) in enumerate(builder.rows) if section == "hmicfrs" and item]
        first = builder.rows[hmicfrs[0]][1]
        items.move_cursor(row=hmicfrs[0])
        await pilot.press("J")  # move the first open finding down one
        await wait_for(pilot, lambda: builder.briefing.section("hmicfrs").items[1].key == first.key, "moved down")
        await pilot.press("space")  # and leave it out
        await wait_for(pilot, lambda: not builder.briefing.section("hmicfrs").items[1].included, "left out")
        await wait_for(pilot, lambda: first.finding.text not in builder.markdown, "gone from the preview")
        section_row = next(n for n, (section, item) in enumerate(builder.rows) if section == "notes" and not item)
        items.move_cursor(row=section_row)
        await pilot.press("K")  # the notes section moves above the questions
        await wait_for(pilot, lambda: [s.key for s in builder.briefing.sections][-2:] == ["notes", "questions"],
                       "sections reordered")
        await pilot.press("n")
        await wait_screen(pilot, "ProsePrompt")
        await pilot.press(*"Bring the PEEL revisit letter", "ctrl+s")
        await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: "Bring the PEEL revisit letter" in builder.markdown, "the note")
        assert builder.markdown.index("Officer's notes") < builder.markdown.index("Questions for the Chief")
    with Store.open(seeded_path) as store:
        assert list(store.meetings.get(meeting).sections)[-2:] == ["notes", "questions"]
        decisions = store.briefings.decisions(meeting)
        assert decisions[("hmicfrs", "finding", first.ref_id)].included is False
