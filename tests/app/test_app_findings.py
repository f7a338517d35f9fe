"""Findings: by kind and status, detail with inspection grades and section 55, link and unlink, status."""

from textual.widgets import Input

from accountability_tui.domain.models import FindingStatus
from accountability_tui.store import Store

from apphelp import choose, make_app, rows, static_text, wait_for, wait_screen


async def _findings(pilot, count):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press("3")
    screen = await wait_screen(pilot, "findings")
    table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
    await wait_for(pilot, lambda: table.row_count == count, f"{count} findings")
    return screen, table


def _detail(screen) -> str:
    return static_text(screen.query_one("#finding-body"))


async def test_findings_by_kind_with_grades_and_section_55(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _findings(pilot, 5)
        assert [r[2] for r in rows(table)][:2] == ["Cause of concern", "Area for improvement"]
        await wait_for(pilot, lambda: "Inadequate" in _detail(screen), "the grades")
        text = _detail(screen)
        assert "Recording data about crime" in text and "Closed 11 Jul 2025" in text
        assert "Section 55 response due 11 Dec 2024 (published 16 Oct 2024 + 56 days): passed 711 days ago" in text
        await pilot.press("k")  # causes of concern
        await wait_for(pilot, lambda: table.row_count == 1, "causes of concern")
        await pilot.press("k")  # recommendations
        await wait_for(pilot, lambda: rows(table)[0][1] == "JTAI-referrals", "recommendations")
        assert rows(table)[0][4] == "date unknown"
        await wait_for(pilot, lambda: "publication date is not recorded" in _detail(screen), "s55 unknown")
        await pilot.press("k", "o")  # areas for improvement, open only
        await wait_for(pilot, lambda: table.row_count == 3 and screen.open_only, "open areas for improvement")


async def test_link_and_unlink_an_action_from_a_finding(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _findings(pilot, 5)
        finding = screen.selected
        await wait_for(pilot, lambda: "Linked actions (1)" in _detail(screen), "one linked action")
        await pilot.press("l")
        picker = await wait_screen(pilot, "PickerScreen")
        picker.query_one("#query", Input).value = "crime recording"
        await wait_for(pilot, lambda: picker.shown_query == "crime recording" and picker.values,
                       "actions found by their words")
        chosen = picker.values[0]
        await pilot.press("enter")
        await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "Linked actions (2)" in _detail(screen), "two linked actions")
        with Store.open(seeded_path) as store:
            assert chosen in store.findings.linked_action_ids(finding.id)
        await pilot.press("u")
        picker = await wait_screen(pilot, "PickerScreen")
        await wait_for(pilot, lambda: len(picker.values) == 2, "the linked actions")
        await choose(pilot, picker, chosen)
        await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "Linked actions (1)" in _detail(screen), "back to one")
    with Store.open(seeded_path) as store:
        assert chosen not in store.findings.linked_action_ids(finding.id)


async def test_close_a_finding_says_how(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _findings(pilot, 5)
        table.move_cursor(row=[f.ref for f in screen.rows].index("AFI-workforce"))
        await wait_for(pilot, lambda: screen.selected.ref == "AFI-workforce", "the workforce finding")
        finding = screen.selected
        await pilot.press("t")
        picker = await wait_screen(pilot, "PickerScreen")
        await wait_for(pilot, lambda: FindingStatus.CLOSED in picker.values, "the statuses")
        await choose(pilot, picker, FindingStatus.CLOSED)
        prompt = await wait_screen(pilot, "ProsePrompt")
        await pilot.press("ctrl+s")  # empty: refused
        await wait_for(pilot, lambda: "cannot be empty" in static_text(prompt.query_one("#error")), "required")
        await pilot.press(*"HMICFRS revisit letter", "ctrl+s")
        await wait_screen(pilot, "findings")
        await wait_for(pilot, lambda: "Closed 22 Nov 2026: HMICFRS revisit letter" in _detail(screen), "closed")
    with Store.open(seeded_path) as store:
        saved = store.findings.get(finding.id)
        assert (saved.status, saved.closed_how, saved.version) == (FindingStatus.CLOSED, "HMICFRS revisit letter", 2)


async def test_a_linked_actions_status_says_when_it_was_reported(seeded_path):
    with Store.open(seeded_path) as store:  # CSCJ action 7: in progress, as at 2 Feb 2023 (the ADP's date)
        plan = next(p for p in store.plans.list() if p.code == "CSCJ-2022-27")
        action = store.actions.by_ref(plan.id, "7")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _findings(pilot, 5)
        finding = screen.selected
        with Store.open(seeded_path) as store:
            store.findings.link(finding.id, action.id)
        app.data_changed()
        await wait_for(pilot, lambda: "Linked actions (2)" in _detail(screen), "the action linked")
        line = next(x for x in _detail(screen).splitlines() if x.startswith("• CSCJ-2022-27 7 "))
        assert f"[{action.status.label}, as at 2 Feb 2023 (stale)" in line, line
