"""Keeping the tracker in the app (issue 13): add an action (a), edit every field (e), withdraw one (w), a plan's
code, title and being current, and its themes (D); each checked in the database afterwards."""

import datetime as dt

from textual.widgets import Input, Select, TextArea

from accountability_tui.domain.models import Mechanism, Status
from accountability_tui.services.actions import ActionFilter
from accountability_tui.store import Store

from apphelp import make_app, static_text, wait_for, wait_screen

PLAN = "CSCJ-2022-27"


async def _actions(pilot, spec, count=None):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    pilot.app.action_go("actions", spec=spec)
    screen = await wait_screen(pilot, "actions")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count > 0 and (count is None or screen.total == count),
                   f"{count} actions")
    return screen, table


async def test_add_an_action_with_the_next_ref_and_its_due_date_shown_as_typed(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await _actions(pilot, ActionFilter(plan_code=PLAN), 147)
        await pilot.press("a")
        form = await wait_screen(pilot, "ActionNewScreen")
        await wait_for(pilot, lambda: form.ready, "the plan's choices")
        assert form.query_one("#ref", Input).value == "148"  # the next free ref
        assert form.focused is form.query_one("#text", TextArea)
        await pilot.press("ctrl+s")  # no text: refused inline
        await wait_for(pilot, lambda: "Write the action" in static_text(form.query_one("#error")), "text required")
        await pilot.press(*"Review the knife crime programme")
        form.query_one("#timeframe", Input).focus()
        await pilot.press(*"Autumn 2027")
        await wait_for(pilot, lambda: "due 30 Nov 2027" in static_text(form.query_one("#due-preview")),
                       "the due date as typed")
        form.query_one("#lead", Input).focus()
        await pilot.press(*"Constabulary")
        form.query_one("#theme", Input).value = "Criminal Justice"
        form.query_one("#mechanism", Select).value = Mechanism.HOLD_TO_ACCOUNT.value
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: any(a.ref == "148" for a in screen.rows), "the new action in the list")
        await wait_for(pilot, lambda: screen.total == 148, "148 actions counted")
    with Store.open(seeded_path) as store:
        plan = store.plans.get(PLAN)
        new = store.actions.by_ref(plan.id, "148")
        assert (new.text, new.lead, new.theme, new.mechanism, new.status, new.due, new.baseline_due) == (
            "Review the knife crime programme", "Constabulary", "Criminal Justice", Mechanism.HOLD_TO_ACCOUNT,
            Status.NOT_STARTED, dt.date(2027, 11, 30), dt.date(2027, 11, 30))
        assert [h.field for h in store.actions.history(new.id)] == ["created"]
        # placed after the last action of its theme, in plan order
        last = max((a for a in store.actions.list() if a.plan_id == plan.id and a.theme == "Criminal Justice"
                    and a.id != new.id), key=lambda a: a.position or 0)
        assert new.position == (last.position or 0) + 1


async def test_edit_every_field_with_a_history_entry_for_each(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await _actions(pilot, ActionFilter(plan_code=PLAN), 147)
        action = screen.selected
        await pilot.press("e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        edit.query_one("#text", TextArea).focus()
        await pilot.press("end", *" (revised)")
        edit.query_one("#lead", Input).value = "OPCC"
        edit.query_one("#ref", Input).value = "1A"
        edit.query_one("#timeframe", Input).focus()
        await pilot.press("ctrl+u", *"March 2027")
        await wait_for(pilot, lambda: "due 31 Mar 2027" in static_text(edit.query_one("#due-preview")), "preview")
        edit.query_one("#mechanism", Select).value = Mechanism.PARTNERS.value
        edit.query_one("#plan_page", Input).value = "12"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: any(a.ref == "1A" for a in screen.rows), "the edited action")
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert saved.ref == "1A" and "(revised)" in saved.text and saved.lead == "OPCC"
        assert (saved.timeframe, saved.due, saved.mechanism, saved.plan_page) == (
            "March 2027", dt.date(2027, 3, 31), Mechanism.PARTNERS, "12")
        assert saved.baseline_due == (action.baseline_due or saved.due) and saved.version == action.version + 1
        entries = {h.field: h for h in store.actions.history(action.id) if h.version == saved.version}
        assert set(entries) == {"ref", "text", "lead", "timeframe", "due", "mechanism", "plan_page"}
        assert entries["due"].note == "timeframe changed to 'March 2027'"
        assert action.id in {h.item_id for h in store.search.find("revised")}  # the full-text index follows


async def test_withdraw_asks_why_then_confirms_and_leaves_it_out_of_the_counts(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await _actions(pilot, ActionFilter(plan_code=PLAN, overdue=True), 70)
        action = screen.selected
        await pilot.press("w")
        prompt = await wait_screen(pilot, "ProsePrompt")
        await pilot.press(*"No longer required after the 2024 review", "ctrl+s")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("n")  # changed their mind: nothing happens
        await wait_screen(pilot, "actions")
        with Store.open(seeded_path) as store:
            assert store.actions.get(action.id).status is action.status
        await pilot.press("w")
        prompt = await wait_screen(pilot, "ProsePrompt")
        await pilot.press(*"No longer required after the 2024 review", "ctrl+s")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: any("Withdrew" in m for _, m in app.told), "told")
        await wait_for(pilot, lambda: any(a.id == action.id and a.status is Status.WITHDRAWN for a in screen.rows),
                       "shown as withdrawn, kept in view")
        await pilot.press("x")  # filters cleared: the withdrawn action is left out of the list and its count
        await wait_for(pilot, lambda: screen.total == 146, "146 actions")
        assert all(a.id != action.id for a in screen.rows)
        for _ in Status:  # the status filter shows the withdrawn ones when asked
            if screen.spec.status == Status.WITHDRAWN.value:
                break
            await pilot.press("t")
        await wait_for(pilot, lambda: screen.total == 1 and screen.rows[0].id == action.id, "the withdrawn one")
        assert prompt is not None
    with Store.open(seeded_path) as store:
        saved = store.actions.get(action.id)
        assert saved.status is Status.WITHDRAWN and not saved.is_overdue(dt.date(2026, 11, 22))
        last = store.actions.history(action.id)[-1]
        assert (last.field, last.new_value, last.note) == ("status", "withdrawn",
                                                           "No longer required after the 2024 review")
        summary = store.actions.plan_summaries(dt.date(2026, 11, 22))[saved.plan_id]
        assert (summary["actions"], summary["overdue"]) == (146, 69)


async def test_withdraw_refused_when_someone_else_saved_first(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await _actions(pilot, ActionFilter(plan_code=PLAN), 147)
        action = screen.selected
        await pilot.press("w")
        await wait_screen(pilot, "ProsePrompt")
        with Store.open(seeded_path) as other:  # another officer saves a note meanwhile
            other.who = "colleague"
            other.actions.update(action.id, action.version, note="Update from the Constabulary")
        await pilot.press(*"Superseded", "ctrl+s")
        await wait_screen(pilot, "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: any(s == "error" and "colleague" in m for s, m in app.told), "the conflict")
    with Store.open(seeded_path) as store:
        assert store.actions.get(action.id).status is action.status


async def test_plan_details_rename_code_title_theme_and_make_current(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, _ = await _actions(pilot, ActionFilter(plan_code=PLAN), 147)
        await pilot.press("D")
        form = await wait_screen(pilot, "PlanEditScreen")
        assert form.query_one("#code", Input).value == PLAN
        await pilot.press("ctrl+u", *"ADP-2022-27")
        form.query_one("#title", Input).value = "Annual Delivery Plan 2022-27"
        form.query_one("#current", Select).value = "yes"
        theme = form.themes.index("Criminal Justice")
        form.query_one(f"#theme-{theme}", Input).value = "Justice"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.spec.plan_code == "ADP-2022-27" and screen.total == 147,
                       "the list under the new code")
    with Store.open(seeded_path) as store:
        plan = store.plans.get("ADP-2022-27")
        assert plan.title == "Annual Delivery Plan 2022-27" and plan.is_current
        assert store.plans.current().code == "ADP-2022-27"
        assert {h.field for h in store.plans.history(plan.id)} == {"code", "title", "is_current", "theme"}
        assert "Criminal Justice" not in store.actions.themes(plan.id) and "Justice" in store.actions.themes(plan.id)
        moved = [h for a in store.actions.list() if a.theme == "Justice" for h in store.actions.history(a.id)
                 if h.field == "theme"]
        assert moved and all(h.old_value == "Criminal Justice" for h in moved)
