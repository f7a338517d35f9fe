"""SVG snapshots of the main screens at 120x40 on the seed data (pytest --snapshot-update to accept changes)."""

import shutil

import pytest

from accountability_tui.services import seed
from accountability_tui.store import Store

from apphelp import make_app, settled, wait_for, wait_screen

SIZE = (120, 40)


@pytest.fixture(scope="module")
def snapshot_template(tmp_path_factory):
    """The seed data with a fixed clock and user, so that histories look the same on every machine."""
    mp = pytest.MonkeyPatch()
    mp.setattr("accountability_tui.store.core.utc_now", lambda: "2026-11-01T09:00:00+00:00")
    mp.setattr("accountability_tui.store.core.current_user", lambda: "officer")
    path = tmp_path_factory.mktemp("snap") / "hertfordshire.db"
    try:
        with Store.open(path) as store:
            seed.build(store)
            store.questions.add({"text": "How will the force raise its use of Clare's Law right-to-know "
                                         "disclosures to the top quartile, and by when?",
                                 "rationale": "PEEL 2024: lowest use in the country", "demo": True})
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        mp.undo()
    return path


@pytest.fixture
def snapshot_db(snapshot_template, tmp_path):
    folder = tmp_path / "snap"
    folder.mkdir()
    path = folder / "hertfordshire.db"
    shutil.copy(snapshot_template, path)
    return path


async def _ready(pilot, name, *keys):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    if keys:
        await pilot.press(*keys)
    screen = await wait_screen(pilot, name)
    if name != "dashboard":
        table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
        await wait_for(pilot, lambda: table.row_count > 0 and screen.detail_id is not None, "the rows")
    await settled(pilot, what="the list, its detail and what is read ahead")


def test_dashboard(snap_compare, snapshot_db):
    async def run_before(pilot):
        await _ready(pilot, "dashboard")

    assert snap_compare(make_app(snapshot_db), terminal_size=SIZE, run_before=run_before)


def test_actions_overdue(snap_compare, snapshot_db):
    async def run_before(pilot):
        await _ready(pilot, "actions", "down", "right", "right", "enter")

    assert snap_compare(make_app(snapshot_db), terminal_size=SIZE, run_before=run_before)


def test_findings(snap_compare, snapshot_db):
    async def run_before(pilot):
        await _ready(pilot, "findings", "3")

    assert snap_compare(make_app(snapshot_db), terminal_size=SIZE, run_before=run_before)


def test_questions(snap_compare, snapshot_db):
    async def run_before(pilot):
        await _ready(pilot, "questions", "4")

    assert snap_compare(make_app(snapshot_db), terminal_size=SIZE, run_before=run_before)


def test_performance(snap_compare, snapshot_db):
    """The measures by objective, with made-up quarterly figures for the recording rates (docs' sample file's
    first measure) so that the chart, its baseline line and the colours show."""
    from accountability_tui.domain.periods import parse_period
    from accountability_tui.domain.records import MeasureValueIn
    from accountability_tui.services.database import open_services

    figures = {"Q1 2024/25": 83.1, "Q2 2024/25": 84.0, "Q3 2024/25": 84.6, "Q4 2024/25": 85.2, "Q1 2025/26": 85.9,
               "Q2 2025/26": 86.5}
    services = open_services(snapshot_db, create=False)
    try:
        services.measures.upsert_values(
            [MeasureValueIn.of("Crime recording rate: all reported crime", parse_period(p), v)
             for p, v in figures.items()]
            + [MeasureValueIn.of("Recorded crime", parse_period(p), v)
               for p, v in (("Q2 2024/25", 25_000), ("Q2 2025/26", 26_000))], source="test")
    finally:
        services.close()

    async def run_before(pilot):
        await _ready(pilot, "performance", "6")

    assert snap_compare(make_app(snapshot_db), terminal_size=SIZE, run_before=run_before)
