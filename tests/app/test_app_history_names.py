"""Who did what (issue 14, item 5): every detail that shows history names the person. A finding's history (after
its links and grades) and a measure's last change, each made through the services as a named person before the
app opens."""

from __future__ import annotations

import datetime as dt
from contextlib import closing
from pathlib import Path

from accountability_tui.domain.models import FindingStatus
from accountability_tui.domain.periods import parse_period
from accountability_tui.domain.records import MeasureValueIn
from accountability_tui.services.database import open_services

from apphelp import make_app, settled, static_text, wait_for, wait_screen

AS_OF = dt.date(2026, 11, 22)


async def test_a_findings_history_names_who_changed_it(seeded_path: Path) -> None:
    with closing(open_services(seeded_path, create=False, acting_as="Alice Officer")) as services:
        finding = next(f for f in services.findings.find("") if f.status is FindingStatus.OPEN)
        services.findings.set_status(finding, FindingStatus.IN_PROGRESS, AS_OF)
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        app.open_record("finding", finding.id)
        screen = await wait_screen(pilot, "findings")
        body = screen.query_one("#finding-body")
        await wait_for(pilot, lambda: "History (" in static_text(body), "the finding's history")
        text = static_text(body)
        assert "Alice Officer  status: open → in_progress" in text
        assert text.index("Linked actions") < text.index("History (")


async def test_a_measures_detail_names_who_changed_it_last(seeded_path: Path) -> None:
    with closing(open_services(seeded_path, create=False, acting_as="Bob Analyst")) as services:
        services.measures.upsert_values([MeasureValueIn.of("Crime recording rate: all reported crime",
                                                           parse_period("2026-09"), 84.1)], source="test")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("6")
        screen = await wait_screen(pilot, "performance")
        await wait_for(pilot, lambda: screen.detail_id is not None, "a measure's detail")
        await settled(pilot, screen, "the detail")
        detail = screen.query_one("#detail")
        await wait_for(pilot, lambda: "Last change:" in detail.text, "the last change")
        assert " by Bob Analyst: 1 figure added (Sep 2026) (test)" in detail.text
    with closing(open_services(seeded_path, create=False, acting_as="Carol Analyst")) as services:
        services.measures.upsert_values([MeasureValueIn.of("Crime recording rate: all reported crime",
                                                           parse_period("2026-09"), 85.0)], source="test")
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("6")
        screen = await wait_screen(pilot, "performance")
        detail = screen.query_one("#detail")
        await wait_for(pilot, lambda: "Last change:" in detail.text, "the last change")
        assert " by Carol Analyst: figure for Sep 2026 84.1 → 85 (test)" in detail.text
