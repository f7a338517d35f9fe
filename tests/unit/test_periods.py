"""Periods of performance figures as packs write them (domain.md, "Performance measures"): every form, and a clear
sentence for anything else."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accountability_tui.domain.periods import Period, PeriodError, PeriodKind, month_of, parse_period

D = dt.date
FY, FQ, MONTH, ROLLING, CY, SPAN = (PeriodKind.FINANCIAL_YEAR, PeriodKind.FINANCIAL_QUARTER, PeriodKind.MONTH,
                                    PeriodKind.ROLLING_YEAR, PeriodKind.CALENDAR_YEAR, PeriodKind.SPAN)


@pytest.mark.parametrize("text, start, end, kind, label", [
    # a financial year, 1 April to 31 March
    ("2024/25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("FY 2024-25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("FY2024/25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("FY24/25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("FY2425", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("2024-25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("2024/2025", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("24/25", D(2024, 4, 1), D(2025, 3, 31), FY, "2024/25"),
    ("Financial year 2099/00", D(2099, 4, 1), D(2100, 3, 31), FY, "2099/00"),
    # a financial quarter: Q1 Apr-Jun ... Q4 Jan-Mar
    ("Q1 2024/25", D(2024, 4, 1), D(2024, 6, 30), FQ, "Q1 2024/25"),
    ("Q2 2024/25", D(2024, 7, 1), D(2024, 9, 30), FQ, "Q2 2024/25"),
    ("Q3 2024/25", D(2024, 10, 1), D(2024, 12, 31), FQ, "Q3 2024/25"),
    ("Q4 2024/25", D(2025, 1, 1), D(2025, 3, 31), FQ, "Q4 2024/25"),
    ("2024/25 Q1", D(2024, 4, 1), D(2024, 6, 30), FQ, "Q1 2024/25"),
    ("2024/25 - Q4", D(2025, 1, 1), D(2025, 3, 31), FQ, "Q4 2024/25"),
    ("q1 fy 2024-25", D(2024, 4, 1), D(2024, 6, 30), FQ, "Q1 2024/25"),
    ("Quarter 3 2024/25", D(2024, 10, 1), D(2024, 12, 31), FQ, "Q3 2024/25"),
    ("FY24/25 Q2", D(2024, 7, 1), D(2024, 9, 30), FQ, "Q2 2024/25"),
    # a month
    ("Apr 2025", D(2025, 4, 1), D(2025, 4, 30), MONTH, "Apr 2025"),
    ("April 2025", D(2025, 4, 1), D(2025, 4, 30), MONTH, "Apr 2025"),
    ("2025-04", D(2025, 4, 1), D(2025, 4, 30), MONTH, "Apr 2025"),
    ("2024-02", D(2024, 2, 1), D(2024, 2, 29), MONTH, "Feb 2024"),
    ("04/2025", D(2025, 4, 1), D(2025, 4, 30), MONTH, "Apr 2025"),
    ("Apr-25", D(2025, 4, 1), D(2025, 4, 30), MONTH, "Apr 2025"),
    ("Sept. 2025", D(2025, 9, 1), D(2025, 9, 30), MONTH, "Sep 2025"),
    ("Dec '24", D(2024, 12, 1), D(2024, 12, 31), MONTH, "Dec 2024"),
    ("  march   2023 ", D(2023, 3, 1), D(2023, 3, 31), MONTH, "Mar 2023"),
    # a rolling year ending on that month's last day
    ("12 months to Sep 2025", D(2024, 10, 1), D(2025, 9, 30), ROLLING, "12 months to Sep 2025"),
    ("year to September 2023", D(2022, 10, 1), D(2023, 9, 30), ROLLING, "12 months to Sep 2023"),
    ("Year ending Mar 2025", D(2024, 4, 1), D(2025, 3, 31), ROLLING, "12 months to Mar 2025"),
    ("Rolling 12 months to 29 February 2024", D(2023, 3, 1), D(2024, 2, 29), ROLLING, "12 months to Feb 2024"),
    ("12 months to Jan-26", D(2025, 2, 1), D(2026, 1, 31), ROLLING, "12 months to Jan 2026"),
    # a calendar year
    ("2024", D(2024, 1, 1), D(2024, 12, 31), CY, "2024"),
    ("CY 2024", D(2024, 1, 1), D(2024, 12, 31), CY, "2024"),
    # a span of whole months
    ("Apr–Jun 2025", D(2025, 4, 1), D(2025, 6, 30), SPAN, "Apr–Jun 2025"),
    ("Apr-Jun 2025", D(2025, 4, 1), D(2025, 6, 30), SPAN, "Apr–Jun 2025"),
    ("Apr - Jun 2025", D(2025, 4, 1), D(2025, 6, 30), SPAN, "Apr–Jun 2025"),
    ("April to June 2025", D(2025, 4, 1), D(2025, 6, 30), SPAN, "Apr–Jun 2025"),
    ("Nov–Jan 2025", D(2024, 11, 1), D(2025, 1, 31), SPAN, "Nov 2024–Jan 2025"),
    ("Nov 2024 — Jan 2025", D(2024, 11, 1), D(2025, 1, 31), SPAN, "Nov 2024–Jan 2025"),
])
def test_every_form(text, start, end, kind, label):
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.label) == (start, end, kind, label)
    assert period.text == text.strip()  # kept as written
    assert parse_period(period.label) == period  # its label reads back as the same period


@pytest.mark.parametrize("text, says", [
    ("", "no period is given"),
    ("   ", "no period is given"),
    ("hello", "'hello' is not a period this app reads; write it as one of 2024/25, Q1 2024/25"),
    ("Q1 2024", "financial or a calendar quarter: write Q1 2024/25 for the financial quarter, or Jan-Mar 2024"),
    ("2024 Q3", "write Q3 2024/25 for the financial quarter, or Jul-Sep 2024"),
    ("2011-12", "could be the financial year 2011/12 or Dec 2011"),
    ("2024/26", "'2024/26' is not a financial year: its two years must follow each other, as in 2024/25"),
    ("FY 2024-2026", "is not a financial year"),
    ("2025-13", "neither a financial year"),
    ("13/2025", "there is no month 13"),
    ("2025-04-01", "'2025-04-01' is a date, not a period"),
    ("01/04/2025", "is a date, not a period"),
    ("1 April 2025", "is a date, not a period"),
    ("Apr 25", "could be a day of the month or a year: write Apr 2025"),
    ("12 months to 15 Sep 2025", "does not end on the last day of a month"),
    ("YTD Sep 2025", "is a year to date"),
    ("Q5 2024/25", "is not a period this app reads"),
    ("Jun-Apr 2025 2026", "is not a period this app reads"),
    ("Apr 2025 - Mar 2024", "ends before it starts"),
    ("1066", "1066 is not a year a figure can be for"),
])
def test_anything_else_is_one_clear_sentence(text, says):
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_period_is_its_span_however_it_is_written():
    assert parse_period("Q1 2024/25") == parse_period("2024/25 Q1") == parse_period("Apr-Jun 2024")
    assert parse_period("2024/25") == parse_period("12 months to Mar 2025") == parse_period("Apr 2024 - Mar 2025")
    assert parse_period("Q1 2024/25") != parse_period("Q2 2024/25")
    assert len({parse_period("Q1 2024/25"), parse_period("2024/25 Q1")}) == 1
    assert parse_period("Q1 2024/25").written == "Q1 2024/25" and str(parse_period("Apr-25")) == "Apr-25"


def test_the_same_period_a_year_earlier():
    assert parse_period("Q4 2024/25").year_earlier() == parse_period("Q4 2023/24")
    assert parse_period("Feb 2024").year_earlier() == Period(D(2023, 2, 1), D(2023, 2, 28), MONTH)
    assert parse_period("12 months to Feb 2024").year_earlier().label == "12 months to Feb 2023"
    assert parse_period("Nov-Jan 2025").year_earlier().label == "Nov 2023–Jan 2024"
    assert parse_period("2024").year_earlier().label == "2023"


def test_periods_made_from_dates():
    assert month_of(D(2025, 4, 17)) == parse_period("Apr 2025")
    assert month_of(D(2025, 4, 17)).label == "Apr 2025" and month_of(D(2025, 4, 17)).written == "Apr 2025"
    assert Period.financial_quarter(4, 2024).label == "Q4 2024/25"
    assert Period.rolling_year(2025, 9).months == 12 and Period.financial_quarter(1, 2024).months == 3
    with pytest.raises(PeriodError):
        Period.financial_quarter(5, 2024)


MAKERS = {
    FY: lambda y, m, n: Period.financial_year(y),
    FQ: lambda y, m, n: Period.financial_quarter(1 + m % 4, y),
    MONTH: lambda y, m, n: Period.month(y, m),
    ROLLING: lambda y, m, n: Period.rolling_year(y, m),
    CY: lambda y, m, n: Period.calendar_year(y),
    SPAN: lambda y, m, n: Period.span((y, m), ((y * 12 + m - 1 + n) // 12, (m - 1 + n) % 12 + 1)),
}


@given(kind=st.sampled_from(list(PeriodKind)), year=st.integers(1995, 2090), month=st.integers(1, 12),
       months=st.integers(1, 23))
def test_every_label_reads_back_as_its_period(kind, year, month, months):
    period = MAKERS[kind](year, month, months)
    again = parse_period(period.label)
    assert again == period
    assert again.start.day == 1 and (again.end + dt.timedelta(days=1)).day == 1  # whole months
    assert again.year_earlier() == Period(D(year - 1, period.start.month, 1) if period.start.year == year else
                                          D(period.start.year - 1, period.start.month, 1),
                                          again.year_earlier().end, kind)


@given(st.text(max_size=40))
def test_any_text_is_a_period_or_a_period_error(text):
    try:
        period = parse_period(text)
    except PeriodError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert period.start <= period.end
