"""The slowest paths stay fast as the data grows (issue 6; the figures themselves are measured by `make bench`).

Timings are noisy, so these tests count work instead: SQLite's virtual-machine steps for each read the app makes
while an officer types or moves, on two demonstration data sets, one four times the other. Reading a page of a list
must cost about the same whatever the size of the data (a regression that scans or sorts every action grows 4×);
the dashboard reads every plan's figures, so it may grow with the data but no faster. The loose time bounds below
are for the whole-file paths (import, export), at ten times their targets.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from accountability_tui.importers import import_file
from accountability_tui.services import Services
from accountability_tui.services.actions import COUNT_CAP, PAGE, ActionFilter
from accountability_tui.services.dashboard import load_dashboard
from accountability_tui.services.demo import generate
from accountability_tui.store import Store
from accountability_tui.store.actions import Actions

from apphelp import make_app, wait_for, wait_screen

AS_OF = dt.date(2026, 11, 22)
SMALL, LARGE = 43 * 40, 43 * 160  # actions


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    paths = {}
    for actions in (SMALL, LARGE):
        path = tmp_path_factory.mktemp("scale") / f"demo-{actions}.db"
        with Store.open(path) as store:
            generate(store, actions=actions, findings=actions // 10, questions=actions // 5, meetings=20, seed=7)
            store.analyze()
        paths[actions] = path
    return paths


def steps(store: Store, read: Callable[[], object]) -> int:
    """SQLite virtual-machine steps (in thousands) that read() takes on this thread's connection."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    store.conn.set_progress_handler(tick, 1000)
    try:
        read()
    finally:
        store.conn.set_progress_handler(None, 0)
    return count


def page(spec: ActionFilter, sort: str = "position", descending: bool = False) -> Callable[[Store], object]:
    def read(store: Store) -> object:
        result = Services(store).actions.page(spec, AS_OF, sort, descending)
        assert len(result.rows) <= PAGE
        return result
    return read


def count(spec: ActionFilter) -> Callable[[Store], object]:
    return lambda store: store.actions.count(spec.to_filters(store, AS_OF), cap=1000)


def detail(store: Store) -> object:
    first = store.actions.list(limit=1)[0]
    return store.actions.get(first.id), store.actions.history(first.id)


# what the app reads as an officer types or moves: (the read, a budget in thousands of SQLite steps at the larger
# size, about twice what it takes today, and whether it may grow with the data: a text search reads its matches
# from the full-text index, and a capped count counts up to its cap, so those grow, but no faster than the data)
READS = {
    "the whole list in plan order": (page(ActionFilter()), 10, False),
    "a common word (victims)": (page(ActionFilter(text="victims")), 28, True),
    "two common words": (page(ActionFilter(text="chief constable")), 50, True),
    "a rare word": (page(ActionFilter(text="cuckooing")), 30, True),
    "a word being typed (vic)": (page(ActionFilter(text="vic")), 40, True),
    "overdue only": (page(ActionFilter(overdue=True)), 10, False),
    "in progress and overdue": (page(ActionFilter(status="in_progress", overdue=True)), 15, False),
    "complete and overdue (never)": (page(ActionFilter(status="complete", overdue=True)), 5, False),
    "sorted by due date": (page(ActionFilter(), sort="due"), 15, False),
    "overdue, sorted by due date": (page(ActionFilter(overdue=True), sort="due"), 15, False),
    "sorted by days overdue": (page(ActionFilter(overdue=True), sort="days_overdue", descending=True), 15, False),
    "counting a common word (capped)": (count(ActionFilter(text="victims")), 60, True),
    "counting everything (capped)": (count(ActionFilter()), 25, False),
    "an action's detail": (detail, 5, False),
}


@pytest.mark.parametrize("name", list(READS))
def test_what_a_keystroke_reads_stays_small_as_the_data_grows(datasets, name, monkeypatch):
    # filters matching more than Actions.DENSE actions are read in plan order, a page at a time; at national scale
    # the common words and statuses do; here the threshold is scaled down with the data so that they do too
    monkeypatch.setattr(Actions, "DENSE", 100)
    read, budget, grows = READS[name]
    work = {}
    for actions, path in datasets.items():
        with Store.open(path) as store:
            read(store)  # the first read also parses the schema
            work[actions] = steps(store, lambda store=store: read(store))
    said = f"{name}: {work[SMALL]:,}k steps at {SMALL:,} actions, {work[LARGE]:,}k at {LARGE:,}"
    assert work[LARGE] <= budget, f"{said}; the budget is {budget}k"
    assert work[LARGE] <= (4.5 if grows else 1.5) * work[SMALL] + 5, f"{said}: it grows faster than it should"


def test_the_dashboard_grows_no_faster_than_the_data(datasets):
    work = {}
    for actions, path in datasets.items():
        with Store.open(path) as store:
            load_dashboard(store, None, AS_OF)
            work[actions] = steps(store, lambda store=store: load_dashboard(store, None, AS_OF))
    assert work[LARGE] <= 4.5 * work[SMALL] + 60, work


def test_a_list_holds_one_page_however_long_the_list(datasets):
    with Store.open(datasets[LARGE]) as store:
        first = Services(store).actions.page(ActionFilter(), AS_OF, "position", False)
        assert len(first.rows) == PAGE and first.total == -1  # more than a page: counted afterwards
        assert store.actions.count(cap=1000) == 1000 and store.actions.count() == LARGE
        second = Services(store).actions.page(ActionFilter(), AS_OF, "position", False, offset=PAGE)
        assert len(second.rows) == PAGE
        assert not {r.id for r in first.rows} & {r.id for r in second.rows}


def test_import_and_export_stay_well_inside_their_targets(tmp_path, seeded_path):
    """10,000-row import ≤ 2 s and 500-item export ≤ 200 ms are the targets; these bounds are ten times looser
    and on smaller work, so only a large regression fails them."""
    rows = 2_000
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ref", "Action", "Status", "Explanation", "Timeframe", "Lead"])
        for n in range(rows):
            writer.writerow([f"A{n}", f"Ask the Chief Constable to review the plan {n}", "In progress",
                             "Progress update " * (n % 30), "Autumn 2023", "Constabulary"])
    with Store.open(seeded_path) as store:
        began = time.perf_counter()
        report = import_file(store, path, plan="BIG")
        imported = time.perf_counter() - began
        assert report.created == rows
        assert imported < 4.0, f"importing {rows:,} rows took {imported:.1f} s (target: 10,000 in 2 s)"
        meeting = store.meetings.add({"date": "2026-12-10"})
        items = Services(store).briefings.build(meeting).item_count()
        assert items > 100
        began = time.perf_counter()
        Services(store).briefings.markdown(meeting)
        exported = time.perf_counter() - began
        assert exported < 2.0, f"exporting a briefing of {items} items took {exported:.2f} s (target: 500 in 0.2 s)"


async def test_the_actions_screen_pages_a_national_list(datasets, tmp_path):
    """All plans at once: the table holds a page, the last row brings the next, the count follows."""
    path = tmp_path / "national.db"
    shutil.copy(datasets[LARGE], path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("2")
        screen = await wait_screen(pilot, "actions")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: table.row_count > 0, "the current plan's actions")
        await pilot.press("p")
        await wait_screen(pilot, "PickerScreen")
        await pilot.press(*"all plans", "enter")
        await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.spec.plan_code is None, "all plans chosen")
        await wait_for(pilot, lambda: table.row_count == PAGE and screen.total >= 0, "the first page, counted")
        summary = str(screen.query_one("#summary").content)
        assert f"{COUNT_CAP:,}+ actions, {PAGE} shown" in summary and "all plans" in summary  # counting stops there
        table.move_cursor(row=PAGE - 1)
        await wait_for(pilot, lambda: table.row_count == 2 * PAGE, "the next page")
        assert len({row.id for row in screen.rows}) == 2 * PAGE


@pytest.mark.parametrize("key, name, said", [("3", "findings", "findings"), ("4", "questions", "questions (all)")])
async def test_the_findings_and_questions_screens_page_too(datasets, tmp_path, key, name, said):
    path = tmp_path / "national.db"
    shutil.copy(datasets[LARGE], path)
    with Store.open(path) as store:
        total = store.findings.count() if name == "findings" else store.questions.count()
    assert total > 2 * PAGE
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press(key)
        screen = await wait_screen(pilot, name)
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: table.row_count == PAGE, "the first page")
        summary = str(screen.query_one(f"#{name}-summary").content)
        assert f"{total:,} {said}, {PAGE} shown" in summary
        await pilot.press("end")
        await wait_for(pilot, lambda: table.row_count == 2 * PAGE, "the next page")
        assert len({row.id for row in screen.rows}) == 2 * PAGE
