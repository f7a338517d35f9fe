"""The officer's stale_days setting in the app: an action reported 45 days before the as-of date is flagged stale in
the actions list's "As at" cell and its detail (and in a finding's linked actions) at stale_days = 30, and not at
the default 90."""

import datetime as dt

import pytest

from accountability_tui.domain.models import STALE_DAYS
from accountability_tui.services import Services
from accountability_tui.services.actions import ActionFilter
from accountability_tui.settings import Settings
from accountability_tui.store import Store

from apphelp import make_app, static_text, wait_for, wait_screen

PLAN = "CSCJ-2022-27"
REF = "2"  # the second action of the ADP in plan order: in progress, overdue, as at 2 February 2023
GAP = 45  # days from its report to the as-of date: more than 30, not more than 90


def _reported(path) -> tuple[int, dt.date, dt.date]:
    """Action 2 reported on today (a note): (its id, the day reported, the as-of date GAP days later)."""
    with Store.open(path) as store:
        services = Services(store)
        plan = store.plans.get(PLAN)
        action = services.actions.add_note(store.actions.by_ref(plan.id, REF), "Update from the Constabulary")
        assert action.status_as_at is not None
        return action.id, action.status_as_at, action.status_as_at + dt.timedelta(days=GAP)


def _day(value: dt.date) -> str:
    return value.strftime("%-d %b %Y")


@pytest.mark.parametrize("days", [30, None])
async def test_the_actions_list_and_detail_judge_staleness_by_the_setting(seeded_path, days):
    action_id, reported, as_of = _reported(seeded_path)
    settings = Settings(stale_days=days) if days else None
    app = make_app(seeded_path, as_of=as_of, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.services.stale_days == (days or STALE_DAYS)
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        app.action_go("actions", spec=ActionFilter(plan_code=PLAN))
        screen = await wait_screen(pilot, "actions")
        table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
        await wait_for(pilot, lambda: screen.total == 147 and table.row_count > 1, "the plan's actions")
        index = next(n for n, a in enumerate(screen.rows) if a.id == action_id)
        row = table.get_row_at(index)
        if days:
            assert f"{_day(reported)}!" in row, row
        else:
            assert _day(reported) in row and f"{_day(reported)}!" not in row, row
        table.move_cursor(row=index)
        detail = screen.query_one("#detail")
        await wait_for(pilot, lambda: detail.shown_id == action_id, "the action's detail")
        status = next(x for x in static_text(detail).splitlines() if x.startswith("Status: "))
        said = f"Status: In progress, as at {_day(reported)}"
        if days:
            assert status.startswith(f"{said} (stale: no update for over 30 days)"), status
        else:
            assert status.startswith(said) and "stale" not in status, status


@pytest.mark.parametrize("days", [30, None])
async def test_a_findings_linked_action_is_flagged_by_the_setting(seeded_path, days):
    action_id, reported, as_of = _reported(seeded_path)
    settings = Settings(stale_days=days) if days else None
    app = make_app(seeded_path, as_of=as_of, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("3")
        screen = await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: screen.selected is not None, "a finding")
        finding = screen.selected
        with Store.open(seeded_path) as store:
            store.findings.link(finding.id, action_id)
        app.data_changed()
        body = screen.query_one("#finding-body")
        prefix = f"• {PLAN} {REF} ["
        await wait_for(pilot, lambda: prefix in static_text(body), "the action linked")
        line = next(x for x in static_text(body).splitlines() if x.startswith(prefix))
        said = f"[In progress, as at {_day(reported)}"
        if days:
            assert f"{said} (stale)" in line, line
        else:
            assert f"{said}," in line and "stale" not in line, line
