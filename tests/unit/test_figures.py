"""Performance figures as cells write them (domain.md, "Performance measures"): "84.1%", "84.1", "1,234", "0.841"
for a % measure (read as 84.1, with a warning that says so), and blanks or "n/a" as no value, with the reason."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountability_tui.domain.values import fractions_in, read_figure


@pytest.mark.parametrize("cell, percent, value, sign", [
    ("84.1%", True, 84.1, True),
    ("84.1 %", True, 84.1, True),
    ("84.1", True, 84.1, False),
    ("1,234", False, 1234.0, False),
    ("1,234,567.5", None, 1234567.5, False),
    ("-3.2", None, -3.2, False),
    ("\u22123.2", None, -3.2, False),  # a typographic minus
    ("+7", None, 7.0, False),
    (".5", False, 0.5, False),
    ("\u00a012\u00a0", None, 12.0, False),
    ("0", True, 0.0, False),  # nought is nought either way: no warning
    ("0.841%", True, 0.841, True),  # a % sign says it is a percentage already
    (1234, None, 1234.0, False),  # numbers from a spreadsheet
    (84.1, True, 84.1, False),
    (Decimal("12.50"), False, 12.5, False),
])
def test_figures_as_written(cell, percent, value, sign):
    figure = read_figure(cell, percent=percent)
    assert figure.value == value and figure.percent_sign is sign
    assert figure.warning is None and figure.missing is None


def test_a_fraction_for_a_percent_measure_is_read_as_a_percentage_with_a_warning():
    figure = read_figure("0.841", percent=True)
    assert figure.value == 84.1  # exactly: no binary noise from scaling
    assert figure.assumed == "0.841 read as 84.1% (a fraction of one); if it means 0.841%, write 0.841%"
    assert figure.warning == figure.assumed
    assert read_figure(0.5, percent=True).value == 50.0 and read_figure(0.5, percent=True).assumed
    assert read_figure("1", percent=True).value == 100.0 and read_figure("1", percent=True).assumed


def test_a_column_says_how_its_percentages_are_written():
    assert fractions_in(["0.841", "0.79", "", "n/a", 0.9]) is True
    assert fractions_in(["84.1", "0.5", "79%"]) is False
    assert fractions_in(["", "n/a", "84%"]) is None
    assert fractions_in(["0", "0"]) is None  # noughts say nothing
    # the column decides, without a warning per cell (the importer warns once for the column)
    assert read_figure("0.841", percent=True, fractions=True).value == 84.1
    assert read_figure("0.841", percent=True, fractions=True).assumed is None
    assert read_figure("0.5", percent=True, fractions=False).value == 0.5
    assert read_figure("0.5", percent=True, fractions=False).assumed is None


def test_a_cell_formatted_as_a_percentage_is_read_as_shown():
    figure = read_figure(0.841, percent=True, percent_format=True)
    assert (figure.value, figure.percent_sign, figure.warning) == (84.1, True, None)
    assert read_figure(0.841, percent=None, percent_format=True).value == 84.1  # a new measure: a % measure
    counted = read_figure(0.5, percent=False, percent_format=True)
    assert counted.value == 50.0 and "shown as a percentage, but the measure is not one" in counted.assumed


def test_a_percent_sign_on_a_measure_that_is_not_a_percentage_is_a_warning():
    figure = read_figure("12%", percent=False)
    assert figure.value == 12.0 and figure.percent_sign
    assert figure.assumed == "12% has a % sign, but the measure is not a percentage; read as 12"
    unknown = read_figure("12%", percent=None)  # a measure an import is making: the sign gives its unit
    assert unknown.value == 12.0 and unknown.percent_sign and unknown.warning is None


@pytest.mark.parametrize("cell, reason", [
    (None, "blank"), ("", "blank"), ("   ", "blank"),
    ("n/a", "'n/a': no figure given"), ("N/A", "'N/A': no figure given"), ("-", "'-': no figure given"),
    ("–", "'–': no figure given"), ("..", "'..': no figure given"), ("*", "'*': no figure given"),
    ("TBC", "'TBC': no figure given"), ("not available", "'not available': no figure given"),
    ("x", "'x': no figure given"),
])
def test_blanks_and_no_figure_are_no_value_with_the_reason(cell, reason):
    figure = read_figure(cell, percent=True)
    assert figure.value is None and figure.missing == reason
    assert figure.problem is None and figure.warning is None  # on purpose: not a warning


@pytest.mark.parametrize("cell, says", [
    ("eighty", "'eighty' is not a figure"),
    ("12,5", "'12,5' is not a figure; a comma separates thousands here (1,234), write a decimal point as a point"),
    ("1,23,456", "is not a figure"),
    ("£1,234", "is not a figure"),
    ("84.1%%", "is not a figure"),
    (float("nan"), "is not a figure"),
    (float("inf"), "is not a figure"),
    (True, "True is not a figure"),
    ("9" * 400, "is too large to be a figure"),
    (10 ** 400, "is too large to be a figure"),
    pytest.param(10 ** 5000, "is too large to be a figure", id="an integer too long to write out"),
])
def test_what_is_not_a_figure_is_a_warning_never_a_guess(cell, says):
    figure = read_figure(cell, percent=True)
    assert figure.value is None and figure.problem is not None and says in figure.problem
    assert figure.warning == figure.problem


@given(st.one_of(st.text(max_size=20), st.floats(), st.integers(), st.none()), st.sampled_from([True, False, None]),
       st.booleans())
def test_read_figure_never_raises(cell, percent, percent_format):
    figure = read_figure(cell, percent=percent, percent_format=percent_format)
    assert (figure.value is None) == (figure.missing is not None or figure.problem is not None)
