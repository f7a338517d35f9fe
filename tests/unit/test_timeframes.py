"""Timeframe text -> due date: every form the project's conventions name (README, "Timeframes")."""

import datetime as dt

import pytest

from accountability_tui.domain.timeframes import due_date, read_timeframe

D = dt.date


@pytest.mark.parametrize(
    ("text", "due"),
    [
        # seasons are UK meteorological
        ("Spring 2024", D(2024, 5, 31)),
        ("Summer 2023", D(2023, 8, 31)),
        ("Autumn 2023", D(2023, 11, 30)),
        ("Winter 2023", D(2024, 2, 29)),  # Dec-Feb: the last day of February of the following year (leap year)
        ("Winter 2024", D(2025, 2, 28)),
        ("Winter 2023/24", D(2024, 2, 29)),
        # ranges take their latest end
        ("Summer 2023/ Autumn 2023", D(2023, 11, 30)),
        ("Spring/ Summer 2023", D(2023, 8, 31)),
        ("Autumn 2023/ Spring 2024", D(2024, 5, 31)),
        # extra words around a season are ignored
        ("Autumn 2023 for the evaluation", D(2023, 11, 30)),
        ("Autumn 2023 and ongoing", D(2023, 11, 30)),
        ("Summer 2023 for review of the PIR.", D(2023, 8, 31)),
        ("Nest steps is to review the data. Summer 2023", D(2023, 8, 31)),
        # a bare year, or "during 2023"
        ("2023", D(2023, 12, 31)),
        ("Further aspects to be rolled out during 2023", D(2023, 12, 31)),
        ("during 2024", D(2024, 12, 31)),
        # a month is its last day
        ("March 2024", D(2024, 3, 31)),
        ("Sep '19", D(2019, 9, 30)),
        ("Sep \u201919", D(2019, 9, 30)),
        ("Feb 2024", D(2024, 2, 29)),
        ("Mar-24", D(2024, 3, 31)),
        # a full date is itself, day-first as in the UK
        ("31/03/2024", D(2024, 3, 31)),
        ("1/4/2024", D(2024, 4, 1)),
        ("2024-03-31", D(2024, 3, 31)),
        ("31 March 2024", D(2024, 3, 31)),
        # a UK financial year ends 31 March of its second year
        ("2023/24", D(2024, 3, 31)),
        ("FY 2023-24", D(2024, 3, 31)),
        ("FY23/24", D(2024, 3, 31)),
        ("2023/2024", D(2024, 3, 31)),
        # a financial quarter ends on its quarter's last day: Q1 Apr-Jun ... Q4 Jan-Mar
        ("Q1 2024/25", D(2024, 6, 30)),
        ("Q2 2024/25", D(2024, 9, 30)),
        ("Q3 2024/25", D(2024, 12, 31)),
        ("Q4 2024/25", D(2025, 3, 31)),
        ("Q1 FY2024/25", D(2024, 6, 30)),
        # no deadline
        ("Ongoing", None),
        ("", None),
        (None, None),
        (".", None),
        ("Spring", None),
    ],
)
def test_due_date(text, due):
    assert due_date(text) == due


@pytest.mark.parametrize("text", ["Ongoing", "", ".", "ongoing ", "TBC", None])
def test_no_deadline_on_purpose_is_understood(text):
    reading = read_timeframe(text)
    assert reading.due is None and reading.understood


@pytest.mark.parametrize("text", ["soon", "when funding allows", "Spring", "31/02/2024"])
def test_unreadable_timeframe_is_flagged_not_guessed(text):
    reading = read_timeframe(text)
    assert reading.due is None
    assert not reading.understood and reading.problem


def test_a_word_between_month_and_year_breaks_the_link():
    # "May" here is a verb: the year stands alone
    assert due_date("Work may finish 2024") == D(2024, 12, 31)


def test_never_raises_on_odd_text():
    for text in ["Q9 2024/25", "99/99/9999", "2024-13-45", "FY 2023-27", "\x00\x1b[31m", "[bold]Autumn[/] 2023"]:
        read_timeframe(text)
    assert due_date("[bold]Autumn[/] 2023").year == 2023
