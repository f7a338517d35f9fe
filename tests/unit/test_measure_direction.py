"""Better or worse depends on the measure's direction (domain.md, "Performance measures"): a value is compared with
the one a year earlier, with the baseline and with the target."""

import datetime as dt

import pytest

from accountability_tui.domain.models import (
    Direction,
    MeasureRow,
    MeasureSummary,
    MeasureValueRow,
    Movement,
    Unit,
    difference,
    measure_key,
    movement,
)
from accountability_tui.domain.periods import parse_period

HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
BETTER, WORSE, SAME = Movement.BETTER, Movement.WORSE, Movement.SAME


@pytest.mark.parametrize("direction, value, reference, expected", [
    (HIGHER, 90.0, 82.5, BETTER),  # more crime recorded: better
    (HIGHER, 80.0, 82.5, WORSE),
    (LOWER, 25_000, 27_000, BETTER),  # less crime: better
    (LOWER, 28_000, 27_000, WORSE),
    (HIGHER, 82.5, 82.5, SAME),
    (LOWER, 82.5, 82.5, SAME),
    (HIGHER, 0.1 + 0.2, 0.3, SAME),  # binary noise is not a change
    (LOWER, -1.0, 0.0, BETTER),
    (HIGHER, 90.0, None, None),  # nothing to compare with
    (HIGHER, None, 82.5, None),
    (None, 90.0, 82.5, None),  # direction not known (a measure an import made): never guessed
])
def test_movement_follows_the_direction(direction, value, reference, expected):
    assert movement(direction, value, reference) is expected


def _measure(direction=HIGHER, baseline=None, target=None, unit=Unit.PERCENT, note=None):
    return MeasureRow(id=1, force="Hertfordshire", name="Crime recording rate", unit=unit, direction=direction,
                      objective_id=None, objective_number=None, objective_title=None, priority_id=None,
                      priority_number=None, baseline_value=baseline, baseline_period=None, baseline_source=None,
                      baseline_note=note, target_value=target, target_note=None, source_note=None, restricted=False,
                      demo=False, position=None, version=1, updated_at="2026-01-01T00:00:00+00:00")


def _value(period, value, target=None):
    p = parse_period(period)
    return MeasureValueRow(id=0, measure_id=1, period=period, kind=p.kind, start=p.start, end=p.end, value=value,
                           target=target, source=None, restricted=False, demo=False, imported_by="t",
                           imported_at="2026-01-01T00:00:00+00:00")


AS_OF = dt.date(2025, 11, 1)


def test_a_summary_compares_the_latest_with_a_year_earlier_the_baseline_and_the_target():
    s = MeasureSummary(_measure(HIGHER, baseline=82.5, target=90.0), AS_OF, _value("Q2 2025/26", 92.5),
                       _value("Q2 2024/25", 88.9))
    assert s.change_year == 3.6 and s.versus_year is BETTER  # exactly 3.6: no binary noise
    assert s.change_baseline == 10.0 and s.versus_baseline is BETTER
    assert s.target == 90.0 and s.versus_target is BETTER
    worse = MeasureSummary(_measure(LOWER, baseline=82.5, target=90.0), AS_OF, _value("Q2 2025/26", 92.5),
                           _value("Q2 2024/25", 88.9))
    assert (worse.versus_year, worse.versus_baseline, worse.versus_target) == (WORSE, WORSE, WORSE)


def test_a_periods_own_target_comes_before_the_measures():
    s = MeasureSummary(_measure(LOWER, target=30_000), AS_OF, _value("Q2 2025/26", 25_480, target=25_000), None)
    assert s.target == 25_000 and s.versus_target is WORSE
    assert s.change_year is None and s.versus_year is None  # no value a year earlier


def test_no_latest_value_compares_with_nothing():
    s = MeasureSummary(_measure(HIGHER, baseline=82.5, target=90.0), AS_OF, None, None)
    assert (s.change_year, s.versus_year, s.change_baseline, s.versus_baseline, s.versus_target) == (None,) * 5
    assert s.target == 90.0


def test_a_pending_baseline_compares_with_nothing():
    measure = _measure(LOWER, unit=Unit.COUNT, note="The starting point will be known once ...")
    assert measure.baseline_pending and not measure.is_percent
    assert not _measure(baseline=82.5).baseline_pending and _measure(baseline=82.5).is_percent
    assert not _measure().baseline_pending  # no baseline at all is not "pending"
    s = MeasureSummary(measure, AS_OF, _value("Q2 2025/26", 25_480), _value("Q2 2024/25", 27_280))
    assert s.versus_baseline is None and s.versus_year is BETTER and s.change_year == -1800


def test_difference_has_no_noise_and_no_negative_zero():
    assert difference(92.5, 88.9) == 3.6 and difference(0.3, 0.1 + 0.2) == 0.0
    assert str(difference(-0.0, 0.0)) == "0.0"


@pytest.mark.parametrize("a, b", [
    ("Charge/summons rate", "charge / summons  RATE"),
    ("Clare's Law right-to-know applications", "Clare’s Law right–to–know applications"),
    ("  Recorded crime ", "RECORDED\tCRIME"),
    ("Crime recording rate: all reported crime", "crime recording rate:all reported crime"),
])
def test_a_measure_is_found_by_its_name_with_case_and_spacing_ignored(a, b):
    assert measure_key(a) == measure_key(b)


def test_different_names_are_different_measures():
    assert measure_key("Recorded crime") != measure_key("Recorded crimes")
    assert measure_key("Crime recording rate: sexual offences") != measure_key("Crime recording rate: all crime")
