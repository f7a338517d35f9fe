"""Two officers, one database: the first save wins, the second is refused with what changed, nothing is lost;
locks are waited for, and past the timeout the officer is told, with the input kept."""

import datetime as dt
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import Select, TextArea

from accountability_tui.domain.errors import DatabaseBusy
from accountability_tui.domain.models import Rag, Status
from accountability_tui.domain.records import ActionIn, Plan, QuestionIn
from accountability_tui.services import seed
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store
from accountability_tui.ui.app import AccountabilityApp

from apphelp import make_app, settled, static_text, wait_for, wait_screen

SRC = Path(__file__).resolve().parents[2] / "src"


def other_officer(db: Path, code: str) -> str:
    """Run code as another officer, in another process (its own connection, its own login name)."""
    script = ("import sys\nfrom accountability_tui.store import Store\nfrom accountability_tui.domain.models import *\nfrom accountability_tui.domain.records import *\n"
              f"store = Store.open({str(db)!r})\nstore.who = 'colleague'\n{code}\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


async def _edit_first_overdue(pilot):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=ActionFilter(plan_code="CSCJ-2022-27", overdue=True))
    screen = await wait_screen(pilot, "actions")
    await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: screen.total == 70, "the overdue actions")
    action = screen.selected
    await pilot.press("e")
    edit = await wait_screen(pilot, "ActionEditScreen")
    await settled(pilot, edit, "the dialog reading the latest version")
    return screen, edit, action


async def test_two_officers_edit_one_action_first_save_wins_second_reloads_and_reapplies(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, edit, action = await _edit_first_overdue(pilot)
        edit.query_one("#status", Select).value = "complete"
        edit.query_one("#note", TextArea).text = "Completed: strategy published"
        # meanwhile, in another process, a colleague saves the same action (no lock is held while we type)
        other_officer(seeded_path, f"a = store.actions.get({action.id})\n"
                                   "store.actions.update(a.id, a.version, rag=Rag.RED, note='Board says it is late')")
        await pilot.press("ctrl+s")
        error = edit.query_one("#error")
        await wait_for(pilot, lambda: "Not saved" in static_text(error), "the refusal")
        message = static_text(error)
        assert "changed by colleague" in message and "RAG: — → red" in message and "Board says it is late" in message
        assert app.screen is edit  # the refused input is kept on screen
        assert edit.query_one("#note", TextArea).text == "Completed: strategy published"
        assert edit.query_one("#status", Select).value == "complete"
        await pilot.press("ctrl+r")  # reload their version, then apply ours again
        await wait_for(pilot, lambda: "Loaded version 2" in static_text(error), "reloaded")
        assert edit.query_one("#note", TextArea).text == "Completed: strategy published"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert (saved.status, saved.rag, saved.version) == (Status.COMPLETE, Rag.RED, 3)  # both changes kept
        history = [(h.version, h.who, h.field) for h in store.actions.history(action.id)][1:]
        assert history[0] == (2, "colleague", "rag") and history[-1][0] == 3 and history[-1][2] == "status"


async def test_two_officers_edit_one_question(seeded_path):
    with Store.open(seeded_path) as store:
        question_id = store.questions.add(QuestionIn(text="First wording?"))
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("4")
        questions = await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: questions.selected is not None, "the question")
        await pilot.press("e")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        editor.query_one("#text", TextArea).text = "My wording?"
        other_officer(seeded_path, f"q = store.questions.get({question_id})\n"
                                   "store.questions.update(q.id, q.version, text='Their wording?')")
        await pilot.press("ctrl+s")
        error = editor.query_one("#error")
        await wait_for(pilot, lambda: "Not saved" in static_text(error), "the refusal")
        assert "changed by colleague" in static_text(error) and "Their wording?" in static_text(error)
        assert editor.query_one("#text", TextArea).text == "My wording?"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: "Loaded version 2" in static_text(error), "reloaded")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "questions")
    with Store.open(seeded_path) as store:
        q = store.questions.get(question_id)
        assert (q.text, q.version) == ("My wording?", 3)
        assert [h["new_value"] for h in store.questions.history(question_id) if h["field"] == "text"] == [
            "Their wording?", "My wording?"]


def _hold_lock(path: Path, seconds: float, started: threading.Event) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    started.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def test_a_save_waits_for_another_writers_lock_and_succeeds(seeded_path):
    with Store.open(seeded_path) as store:
        assert store.busy_timeout_ms >= 5000
        action = store.actions.list()[0]
        started = threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(seeded_path, 1.0, started))
        holder.start()
        started.wait(5)
        began = time.monotonic()
        store.actions.update(action.id, action.version, rag=Rag.AMBER)
        waited = time.monotonic() - began
        holder.join()
        assert waited >= 0.8 and store.actions.get(action.id).rag is Rag.AMBER


def test_past_the_timeout_the_officer_is_told_the_database_is_busy(seeded_path):
    with Store.open(seeded_path, busy_timeout_ms=300) as store:
        action = store.actions.list()[0]
        before = store.dump()
        started = threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(seeded_path, 1.5, started))
        holder.start()
        started.wait(5)
        with pytest.raises(DatabaseBusy, match="the database is busy — another officer is saving; try again"):
            store.actions.update(action.id, action.version, rag=Rag.AMBER)
        holder.join()
        assert store.dump() == before


async def test_in_the_app_a_busy_database_keeps_the_input(seeded_path):
    app = AccountabilityApp(seeded_path, as_of=dt.date(2026, 11, 22), busy_timeout_ms=300)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, edit, action = await _edit_first_overdue(pilot)
        edit.query_one("#note", TextArea).text = "Typed while someone else was saving"
        edit.query_one("#rag", Select).value = "amber"
        started = threading.Event()
        holder = threading.Thread(target=_hold_lock, args=(seeded_path, 1.5, started))
        holder.start()
        started.wait(5)
        await pilot.press("ctrl+s")
        error = edit.query_one("#error")
        await wait_for(pilot, lambda: "busy" in static_text(error), "the busy message")
        assert "Your input is kept" in static_text(error)
        assert edit.query_one("#note", TextArea).text == "Typed while someone else was saving"
        holder.join()
        await pilot.press("ctrl+s")  # the lock has gone: the same input saves
        await wait_screen(pilot, "actions")
    with Store.open(seeded_path) as store:
        assert store.actions.get(action.id).rag is Rag.AMBER


def test_no_write_path_begins_with_a_plain_begin(tmp_path):
    """Trace every statement of a workload that touches every write path."""
    statements: list[str] = []
    path = tmp_path / "trace.db"
    with Store.open(path) as store:
        store.db.conn.set_trace_callback(statements.append)
        seed.build(store)
        from accountability_tui.importers import import_file

        from tablefiles import write_csv

        import_file(store, write_csv(tmp_path / "plan.csv"), plan="DP")
        plan_id = store.plans.add(Plan(code="T", title="T"))
        store.plans.set_current("T")
        action_id = store.actions.add(plan_id, ActionIn(ref="1", text="x", status=Status.IN_PROGRESS))
        a = store.actions.update(action_id, 1, status=Status.COMPLETE, note="n", due=dt.date(2027, 1, 1),
                                 due_reason="r", lead="OPCC")
        finding = store.findings.list()[0]
        store.findings.link(finding.id, action_id)
        store.findings.unlink(finding.id, action_id)
        store.findings.update_status(finding.id, finding.version, finding.status.__class__("in_progress"))
        meeting = store.meetings.add({"date": "2027-01-10"})
        q = store.questions.add(QuestionIn(text="q?", meeting_id=meeting))
        q2 = store.questions.follow_up(q, "follow?")
        question = store.questions.get(q2)
        store.questions.update(question.id, question.version, text="changed?")
        question = store.questions.get(q)
        store.questions.record_answer(question.id, question.version, "answer", dt.date(2027, 1, 10))
        store.questions.set_order([q2, q])
        store.meetings.mark_reviewed(meeting, a.id)
        store.briefings.set(meeting, "overdue", "action", a.id, discuss=True, comment="c")
        note = store.briefings.add_note(meeting, "note")
        store.briefings.edit_note(meeting, note, "note 2")
        store.briefings.reorder(meeting, "notes", [("note", note)])
        store.briefings.delete_note(meeting, note)
        store.meetings.set_section_order(meeting, ["details"])
        store.meetings.close(meeting)
        store.set_setting("k", "v")
        backup = store.backup("trace")
        store.restore(backup)
    begins = [s.strip() for s in statements if re.match(r"\s*BEGIN", s, re.I)]
    assert begins, "the workload wrote nothing?"
    assert {b.upper() for b in begins} == {"BEGIN IMMEDIATE"}


def test_the_source_never_begins_a_plain_transaction():
    src = SRC / "accountability_tui"
    for path in src.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"""["']\s*BEGIN\b([^"']*)["']""", text):
            assert "IMMEDIATE" in match.group(1).upper(), f"{path.name}: {match.group(0)}"
        assert ".atomic(" not in text, f"{path.name} uses sqlite-utils' atomic(), which begins a plain BEGIN"
