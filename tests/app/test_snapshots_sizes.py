"""SVG snapshots of every screen at 80x24 and 120x40, dark and light, and of every dialog (but the one-line
prompts) at both sizes in the dark theme, on a fixed database and as-of date (pytest --snapshot-update to accept
changes; a snapshot diff is reviewed like code).

The database is test_snapshots.py's (the seed data with a fixed clock and user), with a meeting still to come (so
that the meetings, the overdue review and the briefing show a meeting being prepared) and quarterly figures for two
measures (so that the performance chart shows). Every snapshot is taken once what it shows is read: the screen,
its rows and its detail, every table's columns measured, and every worker finished; notifications are cleared (a
toast times out after a few seconds, so whether it is still there would depend on how fast the machine is), text
cursors do not blink, and the chart's period labels are written in a fixed order (see plotext_in_order).
"""

import datetime as dt
import shutil

import pytest
from test_snapshots import _ready
from test_snapshots import snapshot_template as snapshot_template  # a fixture, used by sizes_template
from textual.widgets import DataTable, Input, TextArea

from accountability_tui.settings import Settings
from accountability_tui.ui.screens.form import FormDialog

from apphelp import make_app, settled, wait_for, wait_screen

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
THEMES = ("textual-dark", "textual-light")
MEETING = dt.date(2026, 12, 10)  # the meeting being prepared: after the as-of date (apphelp.AS_OF, 22 Nov 2026)

# made-up quarterly figures, as in test_snapshots.test_performance
RECORDING = {"Q1 2024/25": 83.1, "Q2 2024/25": 84.0, "Q3 2024/25": 84.6, "Q4 2024/25": 85.2, "Q1 2025/26": 85.9,
             "Q2 2025/26": 86.5}
RECORDED = {"Q2 2024/25": 25_000, "Q2 2025/26": 26_000}


@pytest.fixture(scope="module")
def sizes_template(snapshot_template, tmp_path_factory):
    """The snapshots' database, with a meeting to prepare and figures for the chart (saved at the fixed clock)."""
    from accountability_tui.domain.periods import parse_period
    from accountability_tui.domain.records import MeasureValueIn
    from accountability_tui.services.database import open_services
    from accountability_tui.services.meetings import MeetingDraft
    from accountability_tui.store import Store

    path = tmp_path_factory.mktemp("snap-sizes") / "hertfordshire.db"
    shutil.copy(snapshot_template, path)
    mp = pytest.MonkeyPatch()
    mp.setattr("accountability_tui.store.core.utc_now", lambda: "2026-11-01T09:00:00+00:00")
    mp.setattr("accountability_tui.store.core.current_user", lambda: "officer")
    services = open_services(path, create=False)
    try:
        services.meetings.save(MeetingDraft(
            date=MEETING, kind="Accountability and Performance Meeting", title=None,
            themes=("Crime data integrity", "Violence against women and girls"),
            place="Police Headquarters, Welwyn Garden City"))
        services.measures.upsert_values(
            [MeasureValueIn.of("Crime recording rate: all reported crime", parse_period(p), v)
             for p, v in RECORDING.items()]
            + [MeasureValueIn.of("Recorded crime", parse_period(p), v) for p, v in RECORDED.items()],
            source="test")
    finally:
        services.close()
        mp.undo()
    with Store.open(path) as store:  # everything in the one file, so that a copy of it has it all
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture(autouse=True)
def plotext_in_order(monkeypatch):
    """plotext (the performance chart) drops repeated ticks through a set of (tick, label) pairs, so the order in
    which it writes the period labels under the axis follows Python's string hashing, which changes from one run to
    the next; where two labels are close (80 columns) a label lands a column to the left or right. Here the labels
    keep their order (plotext's own commented-out alternative), so that the chart is the same on every run."""
    monkeypatch.setattr("plotext._utility.no_duplicates", lambda data: list(dict.fromkeys(data)))


@pytest.fixture
def sizes_db(sizes_template, tmp_path):
    folder = tmp_path / "snap"
    folder.mkdir()
    path = folder / "hertfordshire.db"
    shutil.copy(sizes_template, path)
    return path


# --- getting there ---------------------------------------------------------------------------------------------

def _on(name: str, key: str):
    """A main screen, its list and detail read."""
    return lambda pilot: _ready(pilot, name, key)


ACTIONS, QUESTIONS = _on("actions", "2"), _on("questions", "4")


async def _dashboard(pilot):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    return dashboard


async def _meetings(pilot):
    """The meetings list, its cursor on the newest meeting (the one to come) and its detail shown."""
    await _dashboard(pilot)
    await pilot.press("5")
    screen = await wait_screen(pilot, "meetings")
    await wait_for(pilot, lambda: screen.selected is not None and screen.selected.meeting.date == MEETING,
                   "the meetings")
    await settled(pilot, what="the meetings")
    return screen


async def _review(pilot):
    await _meetings(pilot)
    await pilot.press("r")
    review = await wait_screen(pilot, "ReviewScreen")
    await wait_for(pilot, lambda: review.state is not None, "the overdue actions")
    await settled(pilot, what="the first action's detail")
    assert pilot.app.as_of == MEETING  # preparing the meeting set the as-of date to its date
    return review


async def _briefing(pilot):
    await _meetings(pilot)
    await pilot.press("b")
    builder = await wait_screen(pilot, "BriefingScreen")
    await wait_for(pilot, lambda: builder.briefing is not None and builder.versions.get(False) is not None
                   and builder.versions[False].width == builder.query_one("#preview").size.width, "the preview")
    await settled(pilot, what="the preview")
    return builder


async def _help(pilot):
    await _dashboard(pilot)
    await pilot.press("question_mark")
    await wait_screen(pilot, "HelpScreen")
    await settled(pilot)


MAIN = {
    "dashboard": lambda pilot: _ready(pilot, "dashboard"),
    "actions": _on("actions", "2"),
    "findings": _on("findings", "3"),
    "questions": _on("questions", "4"),
    "meetings": _meetings,
    "performance": _on("performance", "6"),
    "help": _help,
    "review": _review,
    "briefing": _briefing,
}


async def _dialog(pilot, first, key: str, name: str):
    """Get somewhere (first), press key, and wait for the dialog and what it reads."""
    await first(pilot)
    # the screen's own toasts cleared while it is in front ("Preparing the meeting…"): once covered by the dialog,
    # they would stay in the picture until their timer ran out, which depends on the machine's speed
    pilot.app.clear_notifications()
    await wait_for(pilot, lambda: not pilot.app.screen.query("Toast"), "no toast")
    await pilot.press(key)
    dialog = await wait_screen(pilot, name)
    await settled(pilot, what=f"{name}'s own reading")
    return dialog


async def _action_new(pilot):
    dialog = await _dialog(pilot, ACTIONS, "a", "ActionNewScreen")
    await wait_for(pilot, lambda: dialog.ready, "the plan's choices")
    await settled(pilot)


async def _question_edit(pilot):
    dialog = await _dialog(pilot, QUESTIONS, "e", "QuestionEditScreen")
    await wait_for(pilot, lambda: str(dialog.query_one("#links").content) != "…", "the links")
    await settled(pilot)


async def _picker(pilot, key: str):
    picker = await _dialog(pilot, ACTIONS, key, "PickerScreen")
    await wait_for(pilot, lambda: picker.shown_query == "" and picker.values, "the choices")
    await settled(pilot)


async def _discard(pilot):
    """Esc on a form with something typed in it asks before throwing it away (once what was typed is kept as a
    draft, as it is a moment after the officer stops typing: else the draft would be saved while the app closes)."""
    form = await _dialog(pilot, _meetings, "n", "MeetingEditScreen")
    await pilot.press("tab", "tab", *"Budget")  # into the title
    app = pilot.app
    await form.keep_draft_now()  # what the draft timer does, done now: the thing itself, not a wait on the clock
    assert await app.db(app.services.drafts.get, form.draft_key) is not None
    await settled(pilot, what="the draft kept")
    await pilot.press("escape")
    await wait_screen(pilot, "ConfirmScreen")
    await settled(pilot)


async def _close_meeting(pilot):
    await _dialog(pilot, _meetings, "c", "ConfirmScreen")


async def _palette(pilot):
    """ctrl+p, and words typed: what it finds, best first. (Opened empty, it lists every command with the same
    score, in the order its sources answer, which changes from run to run: not a picture to compare.)"""
    await _dashboard(pilot)
    await settled(pilot)
    await pilot.press("ctrl+p")
    palette = await wait_screen(pilot, "CommandPalette")
    await pilot.press(*"meetings")
    await wait_for(pilot, lambda: palette.query_one("CommandInput").value == "meetings", "the words typed")
    await settled(pilot, what="the commands gathered")
    await wait_for(pilot, lambda: palette.query_one("CommandList").option_count > 0, "the commands")


DIALOGS = {
    "action_edit": lambda pilot: _dialog(pilot, ACTIONS, "e", "ActionEditScreen"),
    "action_new": _action_new,
    "action_filters": lambda pilot: _dialog(pilot, ACTIONS, "f", "ActionFiltersScreen"),
    "plan_picker": lambda pilot: _picker(pilot, "p"),
    "link_finding_picker": lambda pilot: _picker(pilot, "l"),
    "plan_edit": lambda pilot: _dialog(pilot, ACTIONS, "D", "PlanEditScreen"),
    "question_edit": _question_edit,
    "answer": lambda pilot: _dialog(pilot, QUESTIONS, "a", "AnswerScreen"),
    "meeting_edit": lambda pilot: _dialog(pilot, _meetings, "n", "MeetingEditScreen"),
    "confirm_discard": _discard,
    "confirm_close_meeting": _close_meeting,
    "command_palette": _palette,
    # the prompts: one line (a date), prose (a review's update), and a question before a decision (approval)
    "as_of_prompt": lambda pilot: _dialog(pilot, _dashboard, "a", "DatePrompt"),
    "review_update": lambda pilot: _dialog(pilot, _review, "u", "ProsePrompt"),
    "briefing_approve": lambda pilot: _dialog(pilot, _briefing, "A", "ConfirmScreen"),
}


async def _still(pilot):
    """Nothing on screen that depends on how fast the machine is: no toast, no blinking cursor (Textual blinks a
    focused Input's or TextArea's every half second, so the picture would depend on the time since the last key),
    every worker finished; and no error was told."""
    app = pilot.app
    assert not [message for severity, message in app.told if severity == "error"], app.told
    app.clear_notifications()
    for screen in app.screen_stack:
        for box in [*screen.query(Input), *screen.query(TextArea)]:
            box.cursor_blink = False  # the cursor stays shown where it is
        if isinstance(screen, FormDialog):
            # a form keeps its draft a moment after its fields change (a test may type into it): now, as quitting does,
            # so that nothing is left to run as the app closes after the snapshot
            await screen.keep_draft_now()
    await wait_for(pilot, lambda: _measured(app), "every table's columns measured")
    await settled(pilot)


def _measured(app) -> bool:
    """Every DataTable (on the screen or under a dialog) has measured the rows added to it. It does so when it is
    next idle; until then its columns are as narrow as their headings (seen: "Thu…", "Accoun…" in the meetings list
    on a busy machine). DataTable says so only in these two attributes."""
    return all(not (table._require_update_dimensions or table._updated_cells)
               for screen in app.screen_stack for table in screen.query(DataTable))


# --- the snapshots ---------------------------------------------------------------------------------------------

def snapshot(snap_compare, app, step, size: str) -> bool:
    """The app's picture at size, once step(pilot) has got there and nothing on screen depends on how fast the
    machine is (_still)."""
    async def run_before(pilot):
        await step(pilot)
        await _still(pilot)

    return snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", MAIN)
def test_screen(snap_compare, sizes_db, screen, size, theme):
    assert snapshot(snap_compare, make_app(sizes_db, settings=Settings(theme=theme)), MAIN[screen], size)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dialog", DIALOGS)
def test_dialog(snap_compare, sizes_db, dialog, size):
    assert snapshot(snap_compare, make_app(sizes_db), DIALOGS[dialog], size)
