"""Preparing a meeting in the app: questions planned for meetings, section 55, public notes, remembered lists."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from accountability_tui.domain.models import QuestionStatus
from accountability_tui.domain.records import QuestionIn
from accountability_tui.store import Store

from apphelp import choose, make_app, rows, settled, static_text, wait_for, wait_screen


async def _open(pilot, key: str, name: str):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press(key)
    screen = await wait_screen(pilot, name)
    await wait_for(pilot, lambda: screen.query_one("#table").row_count > 0, f"the {name}")
    await settled(pilot, screen)
    return screen


async def _builder(pilot):
    """The briefing builder of the meeting of 10 December 2026 (the test adds it), opened from the meetings list."""
    meetings = await _open(pilot, "5", "meetings")
    await wait_for(pilot, lambda: meetings.selected.meeting.date == dt.date(2026, 12, 10), "the meeting")
    await pilot.press("b")
    builder = await wait_screen(pilot, "BriefingScreen")
    await wait_for(pilot, lambda: builder.briefing is not None, "the briefing")
    return builder


async def test_a_question_planned_for_a_meeting_from_the_questions_screen(seeded_path):
    with Store.open(seeded_path) as store:
        december = store.meetings.add({"date": "2026-12-10"})
        january = store.meetings.add({"date": "2027-01-14"})
        question = store.questions.add(QuestionIn(text="When will crime be recorded correctly?",
                                                  status=QuestionStatus.READY))
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, "4", "questions")
        await pilot.press("g")
        picker = await wait_screen(pilot, "PickerScreen")
        await choose(pilot, picker, january)
        await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: any(f"Saved question {question}" in m for _, m in app.told), "saved")
    with Store.open(seeded_path) as store:
        assert store.questions.get(question).meeting_id == january
        from accountability_tui.services import Services

        briefings = Services(store).briefings
        assert [i.ref_id for i in briefings.build(december).section("questions").items] == []
        assert [i.ref_id for i in briefings.build(january).section("questions").items] == [question]


async def test_the_section_55_response_recorded_from_the_findings_screen(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, "3", "findings")
        assert screen.selected.inspection_code == "PEEL-2023-25"
        await pilot.press("s")
        date = await wait_screen(pilot, "DatePrompt")
        date.query_one("#date", Input).value = "09/12/2024"
        await pilot.press("enter")
        link = await wait_screen(pilot, "TextPrompt")
        link.query_one("#value", Input).value = "https://www.hertfordshire-pcc.gov.uk/peel-response"
        await pilot.press("enter")
        await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "Section 55 response published on 9 Dec 2024"
                       in static_text(screen.query_one("#finding-body")), "published, in the detail")
    with Store.open(seeded_path) as store:
        inspection = store.findings.inspection(store.findings.inspection_id("PEEL-2023-25"))
        assert inspection["s55_published_on"] == dt.date(2024, 12, 9)


async def test_lists_come_back_as_they_were_left(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        actions = await _open(pilot, "2", "actions")
        await pilot.press("o", "slash", *"victim", "enter")
        await wait_for(pilot, lambda: actions.spec.overdue and actions.spec.text == "victim"
                       and app.focused is actions.query_one("#table"), "filtered, and back on the table")
        await pilot.press("1")
        await wait_screen(pilot, "dashboard")
        await pilot.press("2")
        again = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: again.loads > 0, "the list read")
        assert again is not actions and again.spec.overdue and again.spec.text == "victim"
        assert again.query_one("#search", Input).value == "victim"
        await pilot.press("1")
        findings = await _open(pilot, "3", "findings")
        await pilot.press("o")
        await wait_for(pilot, lambda: findings.open_only, "open only")
        await pilot.press("1")
        assert (await _open(pilot, "3", "findings")).open_only


async def test_the_review_and_the_meetings_list_count_the_same_way(seeded_path):
    with Store.open(seeded_path) as store:
        meeting = store.meetings.add({"date": "2026-12-10"})
        overdue = store.actions.overdue(dt.date(2026, 12, 10))
        for action in overdue[:2]:
            store.meetings.mark_reviewed(meeting, action.id)
        done = overdue[0]  # reviewed, then completed: no longer overdue
        store.actions.update(done.id, done.version, status=done.status.COMPLETE, note="Delivered")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        meetings = await _open(pilot, "5", "meetings")
        await wait_for(pilot, lambda: meetings.selected.meeting.id == meeting, "the new meeting")
        assert "reviewed 1 of 69 overdue" in meetings.selected.preparation
        await pilot.press("r")
        review = await wait_screen(pilot, "ReviewScreen")
        await wait_for(pilot, lambda: "reviewed 1 of 69 overdue (and 1 reviewed, no longer overdue)"
                       in static_text(review.query_one("#progress")), "the same count")
        assert any("the as-of date is now its date" in m for _, m in app.told)


async def test_the_export_goes_to_the_documents_folder_and_a_missing_folder_keeps_the_prompt(seeded_path, tmp_path):
    from accountability_tui.services.briefing import export_folder

    with Store.open(seeded_path) as store:
        store.meetings.add({"date": "2026-12-10"})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _builder(pilot)
        await pilot.press("x")
        prompt = await wait_screen(pilot, "ExportPrompt")
        field = prompt.query_one("#value", Input)
        assert field.value == str(export_folder() / "briefing-2026-12-10.md")  # not where the program started
        field.value = str(tmp_path / "no such folder" / "briefing.md")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "does not exist" in static_text(prompt.query_one("#error")), "said at once")
        assert app.screen is prompt  # the prompt stays, with what was typed
        field.value = str(tmp_path / "briefing.md")
        await pilot.press("enter")
        await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: (tmp_path / "briefing.md").exists(), "the file")
        assert any(f"Briefing written to {tmp_path / 'briefing.md'}" in m for _, m in app.told)


async def test_the_builder_counts_the_performance_section_by_its_measures(seeded_path):
    """The performance section has no items to put in or out: its heading counts the measures it shows, not
    '0 of 0 in' (which read as if the briefing had no figures)."""
    with Store.open(seeded_path) as store:
        store.meetings.add({"date": "2026-12-10"})
        restricted = store.measures.list()[0]  # left out of the public version
        store.measures.update(restricted.id, restricted.version, restricted=True)
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        builder = await _builder(pilot)
        table = builder.query_one("#items")
        headings = [row[-1].split(". ", 1)[-1] for row in rows(table) if "Performance" in row[-1]]
        assert headings == ["Performance — 9 measures, 8 in the public version"], headings
