"""Errors are handled in one place: whatever fails, the officer gets one line, the app keeps running.

Every service call a screen can make is made to fail once (a raw SQLite error, as a damaged disk gives), then every
screen is driven through its keys; and the same keys are pressed on a read-only database. No traceback, the app
still running, every failure told to the officer, and a read-only file left exactly as it was.
"""

from __future__ import annotations

import inspect
import sqlite3
from pathlib import Path

from textual.widgets import TextArea

from accountability_tui.store import Store
from accountability_tui.ui.screens.base import MainScreen

from apphelp import make_app, settled, wait_for, wait_screen

SERVICES = ("actions", "findings", "questions", "meetings", "briefings", "dashboard", "search")


def fail_once(app) -> list[str]:
    """Make every public method of every service the screens use raise a raw SQLite error the first time it is
    called. Returns the list the names of the calls that failed are added to."""
    failed: list[str] = []
    for name in SERVICES:
        service = getattr(app.services, name)
        for attr, method in inspect.getmembers(service, inspect.ismethod):
            if attr.startswith("_"):
                continue

            def once(*args, _method=method, _name=f"{name}.{attr}", **kwargs):
                if _name not in failed:
                    failed.append(_name)
                    raise sqlite3.OperationalError(f"disk I/O error (injected into {_name})")
                return _method(*args, **kwargs)

            setattr(service, attr, once)
    return failed


async def back_to(pilot, name: str) -> None:
    """Close whatever dialog is open (Esc) until the main screen `name` shows."""
    app = pilot.app
    for _ in range(6):
        await settled(pilot)
        if isinstance(app.screen, MainScreen) and app.screen.screen_name == name:
            return
        discarding = on(pilot, "ConfirmScreen") and app.screen.question.startswith("Discard")
        await pilot.press("y" if discarding else "escape")
    raise AssertionError(f"could not get back to {name}; on {app.screen}")


async def open_screen(pilot, key: str, name: str) -> MainScreen:
    """Open a main screen, twice: the first reading may be the one that fails."""
    for _ in range(2):
        await pilot.press("1")
        await wait_screen(pilot, "dashboard")
        await pilot.press(key)
        await wait_screen(pilot, name)
        await settled(pilot)
    return pilot.app.screen


async def save(pilot, times: int = 2) -> None:
    """ctrl+s, and again if the first save was refused (the dialog stays open, with what was typed)."""
    for _ in range(times):
        screen = pilot.app.screen
        await pilot.press("ctrl+s")
        await settled(pilot)
        if pilot.app.screen is not screen:
            return


async def press_and_settle(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settled(pilot)


def on(pilot, dialog: str) -> bool:
    return type(pilot.app.screen).__name__ == dialog


async def type_into(pilot, dialog: str, field: str, text: str) -> bool:
    """Type into a field of the dialog, if that dialog is open."""
    if not on(pilot, dialog):
        return False
    widget = pilot.app.screen.query_one(field)
    if isinstance(widget, TextArea):
        widget.text = text
    else:
        widget.value = text
    return True


async def drive_every_screen(pilot, export_to: Path, attempts: int = 1) -> None:
    """Every screen, and every key on it that reads or writes data; each flow `attempts` times (a call that fails
    the first time is then seen to work, and a flow that needs two calls reaches the second)."""
    await wait_screen(pilot, "dashboard")
    await press_and_settle(pilot, "r", "r")  # the dashboard's figures (read again)
    await press_and_settle(pilot, "p")  # the plans to choose from
    await back_to(pilot, "dashboard")

    # actions: the list, filters, an edit, a link to a finding, a question
    await open_screen(pilot, "2", "actions")
    for _ in range(attempts):
        await press_and_settle(pilot, "f")
        await back_to(pilot, "actions")
        await press_and_settle(pilot, "e")
        if await type_into(pilot, "ActionEditScreen", "#note", "Update from the Constabulary"):
            await save(pilot)
        await back_to(pilot, "actions")
        await press_and_settle(pilot, "l", "enter")
        await back_to(pilot, "actions")
        await press_and_settle(pilot, "n")
        if await type_into(pilot, "QuestionEditScreen", "#text", "How will the backlog be cleared, and when?"):
            await save(pilot)
        await back_to(pilot, "actions")

    # findings: link, unlink, status
    await open_screen(pilot, "3", "findings")
    for _ in range(attempts):
        for key in ("l", "u", "t"):
            await press_and_settle(pilot, key, "enter")
            await back_to(pilot, "findings")

    # questions: move on, answer
    await open_screen(pilot, "4", "questions")
    for _ in range(attempts):
        await press_and_settle(pilot, "m", "enter")
        await back_to(pilot, "questions")
        await press_and_settle(pilot, "a")
        if await type_into(pilot, "AnswerScreen", "#answer", "By the end of March."):
            await save(pilot)
        await back_to(pilot, "questions")

    # meetings: a new one, the review, the briefing (with export), closing
    await open_screen(pilot, "5", "meetings")
    await press_and_settle(pilot, "n")
    if await type_into(pilot, "MeetingEditScreen", "#date", "2026-12-10"):
        await save(pilot)
    await back_to(pilot, "meetings")
    await open_screen(pilot, "5", "meetings")
    for _ in range(attempts):
        await press_and_settle(pilot, "r", "right", "b", "u")
        if await type_into(pilot, "ProsePrompt", "#value", "Chased the lead officer"):
            await press_and_settle(pilot, "ctrl+s")
        await back_to(pilot, "meetings")
    for _ in range(attempts):
        await press_and_settle(pilot, "b", "p", "p")  # the builder, its preview read again
        for key in ("down", "down", "down", "space", "space", "r", "J", "K"):
            await press_and_settle(pilot, key)
        await press_and_settle(pilot, "n")
        told = len(pilot.app.reported)
        if await type_into(pilot, "ProsePrompt", "#value", "Ask for the recording audit"):
            await press_and_settle(pilot, "ctrl+s")
            # the save is a worker the closing prompt starts: wait for the note's row (end then reaches it) or
            # for its failure to be told, not for workers that may not have started yet
            builder = pilot.app.screen
            await wait_for(pilot, lambda: len(pilot.app.reported) > told or on(pilot, "ProsePrompt") or any(
                section == "notes" and item for section, item in getattr(builder, "rows", [])), "the note saved")
        if on(pilot, "ProsePrompt"):
            await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "end", "delete", "x")
        if await type_into(pilot, "ExportPrompt", "#value", str(export_to)):
            await press_and_settle(pilot, "enter")
        if on(pilot, "ConfirmScreen"):
            await press_and_settle(pilot, "y")
        await back_to(pilot, "meetings")
    for _ in range(attempts):
        await press_and_settle(pilot, "c", "y")
        await back_to(pilot, "meetings")

    # the palette's search
    await press_and_settle(pilot, "ctrl+p", *"cuckooing")
    await back_to(pilot, "meetings")


async def test_every_service_call_failing_once_is_told_and_the_app_carries_on(seeded_path, tmp_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        failed = fail_once(app)
        await drive_every_screen(pilot, tmp_path / "briefing.md", attempts=2)
        assert app.is_running and app.return_code is None
        called = set(failed)
        # the calls every screen makes when it opens and when a key is pressed, all of them made
        for name in ("dashboard.load", "dashboard.plans", "actions.page", "actions.detail", "actions.get",
                     "actions.update", "actions.filter_choices", "findings.find", "findings.link",
                     "findings.linked_actions", "findings.unlink", "findings.set_status", "questions.page",
                     "questions.save", "questions.move", "questions.record_answer", "meetings.lines",
                     "meetings.save", "meetings.review", "meetings.mark_reviewed", "meetings.close",
                     "briefings.preview", "briefings.set", "briefings.add_note", "briefings.delete_note",
                     "briefings.move_item", "briefings.export", "search.find"):
            assert name in called, f"{name} was never called: the drive missed a screen or a key"
        # and each failure was told to the officer, once, in words (never swallowed, never a traceback)
        injected = [m for m in app.reported if "injected" in m or "disk I/O" in m]
        assert len(injected) >= len(failed) - 1, (failed, app.reported)  # a search typed over may be cancelled
        assert not any("Traceback" in m for m in app.reported)


async def test_a_read_only_database_refuses_every_change_on_every_screen_without_a_traceback(seeded_path,
                                                                                          tmp_path):
    with Store.open(seeded_path) as store:
        before = store.dump()
    app = make_app(seeded_path, readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await drive_every_screen(pilot, tmp_path / "briefing.md")
        assert app.is_running and app.return_code is None
        refusals = [m for m in app.reported if "read-only" in m]
        assert len(refusals) >= 10, app.reported
        assert all("read-only" in m for m in app.reported), app.reported
    with Store.open(seeded_path) as store:
        assert store.dump() == before
