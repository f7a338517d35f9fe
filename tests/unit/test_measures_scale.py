"""Performance figures stay fast as they grow (issue 12: 43 forces × 40 measures × 10 years of monthly values,
about 200,000). As tests/unit/test_scale.py does, these count SQLite's work rather than time it: on two data sets,
one four times the other, a force's summaries, a measure's values and a search by name must cost the same; the
nation's summaries may grow with the number of measures, no faster. Time bounds are loose, at ten times a target.
"""

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from accountability_tui.domain.periods import Period
from accountability_tui.domain.records import MeasureValueIn
from accountability_tui.store import Store

MEASURES, MONTHS = 40, 120
SMALL, LARGE = 3, 12  # forces
AS_OF = dt.date(2024, 11, 1)
PERIODS = [Period.month(2015 + (i + 3) // 12, (i + 3) % 12 + 1) for i in range(MONTHS)]  # Apr 2015 - Mar 2025


def force_values(force: int) -> list[MeasureValueIn]:
    return [MeasureValueIn.of(f"Measure {m}", p, float(force + m + i % 12)) for m in range(MEASURES)
            for i, p in enumerate(PERIODS)]


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    paths = {}
    for forces in (SMALL, LARGE):
        path = tmp_path_factory.mktemp("measures") / f"forces-{forces}.db"
        with Store.open(path) as store:
            with store.write():
                for force in range(forces):
                    store.measures.upsert_values(force_values(force), source="test", force=f"Force {force}")
            store.analyze()
        paths[forces] = path
    return paths


def steps(store: Store, read: Callable[[], object]) -> int:
    """SQLite virtual-machine steps (in thousands) that read() takes."""
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


def cost(path: Path, read: Callable[[Store], object]) -> int:
    with Store.open(path) as store:
        read(store)  # the first read also parses the schema
        return steps(store, lambda: read(store))


READS: dict[str, Callable[[Store], object]] = {
    "a force's summaries": lambda s: s.measures.summaries(AS_OF, force="Force 1"),
    "a force's measures": lambda s: s.measures.list(force="Force 1"),
    "a measure's values": lambda s: s.measures.values(s.measures.find("Measure 7", "Force 1").id),
    "a force's values": lambda s: s.measures.values_of(m.id for m in s.measures.list(force="Force 1")),
    "a measure by name": lambda s: s.measures.find("measure  7", "Force 2"),
}


@pytest.mark.parametrize("name", list(READS))
def test_a_forces_reads_cost_the_same_whatever_the_number_of_forces(datasets, name):
    small, large = cost(datasets[SMALL], READS[name]), cost(datasets[LARGE], READS[name])
    assert large <= small * 1.5 + 5, f"{name}: {small}k steps at {SMALL} forces, {large}k at {LARGE}"


def test_the_nations_summaries_grow_no_faster_than_the_measures(datasets):
    def read(s: Store) -> object:
        return s.measures.summaries(AS_OF)

    small, large = cost(datasets[SMALL], read), cost(datasets[LARGE], read)
    assert large <= small * (LARGE / SMALL) * 1.5 + 5
    with Store.open(datasets[LARGE]) as store:
        summaries = store.measures.summaries(AS_OF)
        assert len(summaries) == LARGE * MEASURES
        s = summaries[0]
        assert (s.latest.label, s.year_earlier.label) == ("Oct 2024", "Oct 2023")
        assert store.scalar("SELECT count(*) FROM measure_values") == LARGE * MEASURES * MONTHS


def test_ten_thousand_figures_are_upserted_well_within_a_second_each_way(tmp_path):
    values = [MeasureValueIn.of(f"Measure {m}", p, float(m + i)) for m in range(84) for i, p in enumerate(PERIODS)]
    values = values[:10_000]
    with Store.open(tmp_path / "upsert.db") as store:
        start = time.perf_counter()
        first = store.measures.upsert_values(values, source="test")
        made = time.perf_counter() - start
        start = time.perf_counter()
        again = store.measures.upsert_values(values, source="test")
        checked = time.perf_counter() - start
    assert (first.new, again.unchanged) == (10_000, 10_000)
    assert made < 5 and checked < 5, (made, checked)  # ten times the import's 1 s target, for the store's part
