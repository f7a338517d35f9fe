"""SVG snapshots, at 80x24 and 120x40 in the dark theme, of the dialogs and screens that test_snapshots_sizes.py
does not take: the findings' pickers and prompts, the questions' pickers, a meeting's questions, the briefing
builder's prompts, the actions' prompts and questions, the import prompt and the question before quitting
(pytest --snapshot-update to accept changes; a snapshot diff is reviewed like code).

Same database, as-of date and waits as test_snapshots_sizes.py (imported from it, fixtures re-exported by name so
that pytest finds them). Exports are suggested in a fixed folder (EXPORTS), not in the documents folder of the
machine's user, so that the paths in the prompts are the same on every machine.
"""

from pathlib import Path

import pytest
from test_snapshots_sizes import (
    ACTIONS,
    MEETING,
    QUESTIONS,
    SIZES,
    _briefing,
    _dashboard,
    _dialog,
    _meetings,
    _on,
    _question_edit,
    _review,
    snapshot,
)
from test_snapshots_sizes import plotext_in_order as plotext_in_order  # fixtures, found by pytest by name
from test_snapshots_sizes import sizes_db as sizes_db
from test_snapshots_sizes import sizes_template as sizes_template
from test_snapshots_sizes import snapshot_template as snapshot_template

from accountability_tui.domain.models import FindingStatus
from accountability_tui.services.actions import CURRENT, ActionFilter
from accountability_tui.settings import Settings

from apphelp import AS_OF, choose, make_app, settled, wait_for, wait_screen

EXPORTS = Path("/tmp/exports")  # where exports are suggested: never made (nothing is written there)
FINDINGS, PERFORMANCE = _on("findings", "3"), _on("performance", "6")


def _at_fixed_clock(path, change) -> None:
    """change(services) saved in the database at path at the fixed clock, by "officer" (as sizes_template's data),
    so that the histories it adds read the same on every run."""
    from accountability_tui.services.database import open_services

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("accountability_tui.store.core.utc_now", lambda: "2026-11-01T09:00:00+00:00")
        mp.setattr("accountability_tui.store.core.current_user", lambda: "officer")
        services = open_services(path, create=False)
        try:
            change(services)
        finally:
            services.close()


@pytest.fixture
def planned_db(sizes_db):
    """sizes_db with its one question planned for the meeting to come, so that the meeting's questions are not an
    empty list."""
    def plan(services):
        meeting = next(m for m in services.meetings.planned() if m.date == MEETING)
        (question,) = services.questions.page(None).rows
        services.questions.plan_for(question, meeting.id)

    _at_fixed_clock(sizes_db, plan)
    return sizes_db


@pytest.fixture
def changed_db(sizes_db):
    """sizes_db with a change to undo (the seed has none) on the first finding and the first action shown: the
    finding's status moved on, the action linked to it."""
    def change(services):
        finding = services.findings.page(None, False).rows[0]
        action = services.actions.page(ActionFilter(plan_code=CURRENT), AS_OF).rows[0]
        services.findings.set_status(finding, FindingStatus.EVIDENCE_SUBMITTED, AS_OF)
        assert services.findings.link(finding.id, action.id)

    _at_fixed_clock(sizes_db, change)
    return sizes_db


# --- getting there ---------------------------------------------------------------------------------------------

async def _choices(pilot, first, key: str):
    """A picker opened by key (after first), once it shows the choices for nothing typed (which may be none)."""
    picker = await _dialog(pilot, first, key, "PickerScreen")
    await wait_for(pilot, lambda: picker.shown_query == "", "the choices")
    await settled(pilot, what="the choices shown")
    return picker


async def _open_findings(pilot):
    """The findings, open only (o: the first is closed), once the list is read again and its first's detail."""
    await FINDINGS(pilot)
    screen = pilot.app.screen
    await pilot.press("o")
    await wait_for(pilot, lambda: screen.open_only and screen.rows
                   and all(f.status is not FindingStatus.CLOSED for f in screen.rows)
                   and screen.detail_id == screen.selected.id, "the open findings")
    await settled(pilot, what="the detail and what is read ahead")


async def _finding_closed(pilot):
    """An open finding's status picker, Closed chosen: the prompt for how it was closed, its draft looked for."""
    picker = await _choices(pilot, _open_findings, "t")
    await choose(pilot, picker, FindingStatus.CLOSED)
    await wait_screen(pilot, "ProsePrompt")
    await settled(pilot, what="the draft looked for")


async def _s55_link(pilot):
    """The section 55 date taken as offered (the as-of date): the prompt for where the response was published."""
    await _dialog(pilot, FINDINGS, "s", "DatePrompt")
    await pilot.press("enter")
    await wait_screen(pilot, "TextPrompt")
    await settled(pilot)


async def _meeting_questions(pilot):
    """The meeting to come's questions (a in the meetings; see planned_db), once its list and detail are read."""
    await _meetings(pilot)
    await pilot.press("a")
    screen = await wait_screen(pilot, "questions")
    await wait_for(pilot, lambda: screen.meeting_id is not None and screen.query_one("#table").row_count > 0
                   and screen.detail_id is not None, "the meeting's questions")
    await settled(pilot, what="the list, its detail and what is read ahead")


async def _briefing_item(pilot):
    """The briefing builder, its cursor moved down from the sections' headings to the first item, a row at a time
    (each move seen before the next key)."""
    builder = await _briefing(pilot)
    table = builder.query_one("#items")
    while builder.selected[1] is None:
        row = table.cursor_row
        await pilot.press("down")
        await wait_for(pilot, lambda: table.cursor_row == row + 1, "the cursor moved")
    await settled(pilot)
    return builder


async def _typed(pilot, prompt, text: str) -> None:
    """text typed into a prompt (its editor, or its line, where it replaces the value offered: selected as the
    prompt opens), once the prompt holds it."""
    field = prompt.query_one("#value")
    await pilot.press(*text)
    await wait_for(pilot, lambda: getattr(field, "text", None) == text or getattr(field, "value", None) == text,
                   f"{text!r} typed")


async def _withdraw_confirm(pilot):
    """The reason for withdrawing an action typed and saved (ctrl+s): the question before withdrawing it."""
    prompt = await _dialog(pilot, ACTIONS, "w", "ProsePrompt")
    await _typed(pilot, prompt, "Superseded by the 2025 plan")
    await pilot.press("ctrl+s")
    await wait_screen(pilot, "ConfirmScreen")
    await settled(pilot)


async def _quit_confirm(pilot):
    """A note typed in the briefing builder's prompt, then ctrl+q: the question before quitting (once the note is
    kept as a draft, which quitting does first)."""
    prompt = await _dialog(pilot, _briefing, "n", "ProsePrompt")
    await _typed(pilot, prompt, "Ask about the 101 call backlog")
    await pilot.press("ctrl+q")
    await wait_screen(pilot, "ConfirmScreen")
    await settled(pilot, what="the draft kept")


async def _replace_confirm(pilot):
    """The briefing exported to briefing.md (a name relative to the folder the test runs in, where a file of that
    name is): the question before replacing it, once the export has found the file there."""
    prompt = await _dialog(pilot, _briefing, "x", "ExportPrompt")
    await _typed(pilot, prompt, "briefing.md")
    await pilot.press("enter")
    await wait_screen(pilot, "ConfirmScreen")
    await settled(pilot, what="the export stopped at the file found")


async def _question_about(pilot, first, key: str):
    """A new question drafted from somewhere (first, then key): the form, once it shows what it is linked to."""
    dialog = await _dialog(pilot, first, key, "QuestionEditScreen")
    await wait_for(pilot, lambda: str(dialog.query_one("#links").content) not in ("…", ""), "the links")
    await settled(pilot)


UNDO = {  # on changed_db
    "finding_undo": lambda pilot: _dialog(pilot, FINDINGS, "ctrl+z", "ConfirmScreen"),
    "action_undo": lambda pilot: _dialog(pilot, ACTIONS, "ctrl+z", "ConfirmScreen"),
}

SCREENS = {
    "meeting_questions": _meeting_questions,
}

DIALOGS = {
    # findings (3)
    "finding_status": lambda pilot: _choices(pilot, FINDINGS, "t"),
    "finding_closed": _finding_closed,
    "finding_s55_date": lambda pilot: _dialog(pilot, FINDINGS, "s", "DatePrompt"),
    "finding_s55_link": _s55_link,
    "finding_link_action": lambda pilot: _choices(pilot, FINDINGS, "l"),
    "finding_unlink_action": lambda pilot: _choices(pilot, FINDINGS, "u"),
    # questions (4)
    "question_move": lambda pilot: _choices(pilot, QUESTIONS, "m"),
    "question_meeting": lambda pilot: _choices(pilot, QUESTIONS, "g"),
    "question_link": lambda pilot: _choices(pilot, _question_edit, "ctrl+l"),
    "question_follow_up": lambda pilot: _question_about(pilot, QUESTIONS, "f"),
    # the briefing builder (5, b)
    "briefing_note": lambda pilot: _dialog(pilot, _briefing, "n", "ProsePrompt"),
    "briefing_comment": lambda pilot: _dialog(pilot, _briefing_item, "c", "ProsePrompt"),
    "briefing_export": lambda pilot: _dialog(pilot, _briefing, "x", "ExportPrompt"),
    # actions (2)
    "panel_report": lambda pilot: _dialog(pilot, ACTIONS, "P", "ReportPrompt"),
    "export_list": lambda pilot: _dialog(pilot, ACTIONS, "E", "ExportPrompt"),
    "withdraw": lambda pilot: _dialog(pilot, ACTIONS, "w", "ProsePrompt"),
    "withdraw_confirm": _withdraw_confirm,
    # the review of the overdue actions (5, r)
    "review_due": lambda pilot: _dialog(pilot, _review, "d", "ActionEditScreen"),
    "review_question": lambda pilot: _question_about(pilot, _review, "q"),
    # the rest
    "performance_question": lambda pilot: _question_about(pilot, PERFORMANCE, "n"),
    "dashboard_plan": lambda pilot: _choices(pilot, _dashboard, "p"),
    "import_figures": lambda pilot: _dialog(pilot, PERFORMANCE, "i", "ImportPrompt"),
    "quit_confirm": _quit_confirm,
}


def _app(sizes_db):
    return make_app(sizes_db, settings=Settings(export_folder=EXPORTS))


# --- the snapshots ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, planned_db, screen, size):
    assert snapshot(snap_compare, _app(planned_db), SCREENS[screen], size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", DIALOGS)
def test_dialog(snap_compare, sizes_db, dialog, size):
    assert snapshot(snap_compare, _app(sizes_db), DIALOGS[dialog], size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", UNDO)
def test_undo(snap_compare, changed_db, dialog, size):
    assert snapshot(snap_compare, _app(changed_db), UNDO[dialog], size)


@pytest.mark.parametrize("size", SIZES)
def test_replace_confirm(snap_compare, sizes_db, size, monkeypatch):
    """The question shows the name as typed: a name relative to the folder the test runs in, the same on every
    machine."""
    monkeypatch.chdir(sizes_db.parent)
    (sizes_db.parent / "briefing.md").write_text("an earlier briefing\n")
    assert snapshot(snap_compare, _app(sizes_db), _replace_confirm, size)
