"""Hostile text: markup, [@click=...], ANSI escapes, control characters, right-to-left overrides, 100 kB of one word."""

import time

from accountability_tui.importers import import_file
from accountability_tui.services import Services
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store

from apphelp import make_app, rows, static_text, wait_for, wait_screen

WORD = "x" * 100_000


def test_control_characters_are_stripped_on_import_with_a_warning_naming_the_row(store, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("Ref,Action,Status\nA1,Ask the \x1b[31mChief\x1b[0m Constable\x07,In progress\n"
                    "A2,\u202eReversed text,Completed\nA3,[bold]Markup[/bold] stays as written,Completed\n",
                    encoding="utf-8")
    report = import_file(store, path, plan="H")
    warnings = [(w.ref, w.row, w.message) for w in report.warnings]
    assert ("A1", 2, "control characters removed from column 'Action'") in warnings
    assert ("A2", 3, "control characters removed from column 'Action'") in warnings
    plan = store.plans.get("H").id
    assert store.actions.by_ref(plan, "A1").text == "Ask the [31mChief[0m Constable"
    assert store.actions.by_ref(plan, "A2").text == "Reversed text"
    assert store.actions.by_ref(plan, "A3").text == "[bold]Markup[/bold] stays as written"  # stored as written


async def test_a_100_kb_word_and_escapes_typed_into_the_data_are_harmless_on_screen(seeded_path):
    with Store.open(seeded_path) as store:
        plan = store.plans.get("CSCJ-2022-27")
        action = store.actions.by_ref(plan.id, "1")
        store.db.conn.execute("UPDATE actions SET text = ?, explanation = ? WHERE id = ?",
                              (WORD, "\x1b]0;pwned\x07 \x1b[2J [@click=app.quit]bye[/] \u202eRTL", action.id))
        store.questions.add({"text": WORD, "action_id": action.id})
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        began = time.monotonic()
        app.action_go("actions", spec=ActionFilter(plan_code="CSCJ-2022-27"))
        screen = await wait_screen(pilot, "actions")
        table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
        await wait_for(pilot, lambda: screen.total == 147, "the actions")
        detail = screen.query_one("#detail")
        await wait_for(pilot, lambda: "[@click=app.quit]bye[/]" in static_text(detail), "the detail")
        assert time.monotonic() - began < 5
        text = static_text(detail)
        assert "\x1b" not in text and "\u202e" not in text and "␛]0;pwned" in text
        assert "x" * 1000 in text and "…" in text  # a long word is shown, cut with an ellipsis
        cell = rows(table)[0][[c.key for c in table.columns].index("text")]
        assert cell.startswith("xxxx") and len(cell) <= 300
        await pilot.press("4")
        questions = await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: "x" * 1000 in static_text(questions.query_one("#question-body")), "question")
        assert app.is_running


def test_the_export_escapes_hostile_text(seeded):
    plan = seeded.plans.get("CSCJ-2022-27")
    action = seeded.actions.overdue(__import__("datetime").date(2026, 12, 10), plan.id)[0]
    seeded.db.conn.execute("UPDATE actions SET text = ? WHERE id = ?",
                           ("| pipe \x1b[31m [x](javascript:alert(1)) <img src=x onerror=alert(1)>", action.id))
    text = Services(seeded).briefings.markdown(None, __import__("datetime").date(2026, 12, 10))
    line = next(line for line in text.splitlines() if "pipe" in line)
    assert "\\| pipe" in line and "\x1b" not in line and "\\[x\\](javascript" in line and "\\<img" in line
