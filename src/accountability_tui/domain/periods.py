"""The period of a performance figure, as performance packs write it -> its start and end dates and kind.

domain.md, "Performance measures":

* "2024/25", "2024-25", "FY 2024-25", "FY24/25": a UK financial year, 1 April to 31 March;
* "Q1 2024/25", "2024/25 Q1", "Q1 FY 2024-25", "Quarter 1 2024/25": a financial quarter (Q1 Apr-Jun, Q2 Jul-Sep,
  Q3 Oct-Dec, Q4 Jan-Mar);
* "Apr 2025", "April 2025", "Apr-25", "Apr '25", "2025-04", "04/2025": a month;
* "12 months to Sep 2025", "year to September 2023", "rolling 12 months ending Sep 2025": the twelve months ending
  on that month's last day;
* "2024", "CY 2024": a calendar year;
* "Apr-Jun 2025", "Apr–Jun 2025", "April to June 2025", "Nov 2024 - Jan 2025", "Nov-Jan 2025" (Nov 2024 to Jan
  2025): a span of whole months.

Anything else raises PeriodError with one sentence that says what was written and how to write it, rather than a
guess: "Q1 2024" (calendar or financial?), "2011-12" (a financial year or December 2011?) and a full date are
refused. Two periods are the same period when they span the same dates, however they are written
(``Period.__eq__`` compares start and end only); a period is shown by its ``label``.

Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Period", "PeriodError", "PeriodKind", "month_of", "parse_period"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ABBR = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FIRST_YEAR, LAST_YEAR = 1990, 2100  # a year outside these is a typing mistake, not a period
FORMS = "2024/25, Q1 2024/25, Apr 2025, 12 months to Sep 2025, 2024 or Apr-Jun 2025"


class PeriodError(ValueError):
    """The text is not a period this project reads; the message says what was written and what to write."""


class PeriodKind(StrEnum):
    FINANCIAL_YEAR = "financial_year"
    FINANCIAL_QUARTER = "financial_quarter"
    MONTH = "month"
    ROLLING_YEAR = "rolling_year"
    CALENDAR_YEAR = "calendar_year"
    SPAN = "span"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


def _last_day(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True)
class Period:
    """A period of whole months: first day of its first month to last day of its last, both inclusive.

    Equal to another period with the same start and end, whatever its kind or how it was written."""

    start: dt.date
    end: dt.date
    kind: PeriodKind = field(compare=False)
    text: str = field(default="", compare=False)  # as written; empty when made from dates

    # --- making one ----------------------------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int, text: str = "") -> Period:
        return cls(dt.date(year, month, 1), _last_day(year, month), PeriodKind.MONTH, text)

    @classmethod
    def financial_year(cls, first_year: int, text: str = "") -> Period:
        """The financial year that starts on 1 April of first_year (2024 -> 2024/25)."""
        return cls(dt.date(first_year, 4, 1), dt.date(first_year + 1, 3, 31), PeriodKind.FINANCIAL_YEAR, text)

    @classmethod
    def financial_quarter(cls, quarter: int, first_year: int, text: str = "") -> Period:
        """Quarter 1-4 of the financial year that starts in first_year (Q1 Apr-Jun ... Q4 Jan-Mar)."""
        if not 1 <= quarter <= 4:
            raise PeriodError(f"there is no quarter {quarter}; a financial year has Q1 to Q4")
        year, month = _add_months(first_year, 4, 3 * (quarter - 1))
        end_year, end_month = _add_months(year, month, 2)
        return cls(dt.date(year, month, 1), _last_day(end_year, end_month), PeriodKind.FINANCIAL_QUARTER, text)

    @classmethod
    def rolling_year(cls, year: int, month: int, text: str = "") -> Period:
        """The twelve months ending with this month."""
        first_year, first_month = _add_months(year, month, -11)
        return cls(dt.date(first_year, first_month, 1), _last_day(year, month), PeriodKind.ROLLING_YEAR, text)

    @classmethod
    def calendar_year(cls, year: int, text: str = "") -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodKind.CALENDAR_YEAR, text)

    @classmethod
    def span(cls, first: tuple[int, int], last: tuple[int, int], text: str = "") -> Period:
        """From the month first (year, month) to the month last, both whole."""
        if last < first:
            raise PeriodError(f"{text or 'the span'!r} ends before it starts")
        return cls(dt.date(first[0], first[1], 1), _last_day(*last), PeriodKind.SPAN, text)

    # --- reading one ---------------------------------------------------------------------------------------------

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def label(self) -> str:
        """The period written the one way this project writes it: "2024/25", "Q1 2024/25", "Apr 2025",
        "12 months to Sep 2025", "2024", "Apr–Jun 2025" (en dash)."""
        s, e = self.start, self.end
        if self.kind is PeriodKind.FINANCIAL_YEAR:
            return f"{s.year}/{(s.year + 1) % 100:02d}"
        if self.kind is PeriodKind.FINANCIAL_QUARTER:
            first = s.year if s.month >= 4 else s.year - 1
            return f"Q{(s.month - 4) % 12 // 3 + 1} {first}/{(first + 1) % 100:02d}"
        if self.kind is PeriodKind.MONTH:
            return f"{_ABBR[s.month]} {s.year}"
        if self.kind is PeriodKind.ROLLING_YEAR:
            return f"12 months to {_ABBR[e.month]} {e.year}"
        if self.kind is PeriodKind.CALENDAR_YEAR:
            return str(s.year)
        if self.months == 1:
            return f"{_ABBR[s.month]} {s.year}"
        if s.year == e.year:
            return f"{_ABBR[s.month]}–{_ABBR[e.month]} {e.year}"
        return f"{_ABBR[s.month]} {s.year}–{_ABBR[e.month]} {e.year}"

    @property
    def written(self) -> str:
        """As written, else its label."""
        return self.text or self.label

    def year_earlier(self) -> Period:
        """The same period a year before (what a value is compared with: "change on a year earlier")."""
        start = dt.date(self.start.year - 1, self.start.month, 1)
        return Period(start, _last_day(self.end.year - 1, self.end.month), self.kind)

    def __str__(self) -> str:
        return self.written


def month_of(day: dt.date) -> Period:
    """The month a date falls in (a date cell in a period column, formatted to show only month and year)."""
    return Period.month(day.year, day.month)


# --- parsing ---------------------------------------------------------------------------------------------------

def _normal(text: str) -> str:
    value = text.strip().lower()
    for dash in ("\u2013", "\u2014", "\u2012", "\u2212", "\u2010", "\u2011"):
        value = value.replace(dash, "-")
    value = value.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    value = re.sub(r"\s+", " ", value)
    value = re.sub(r"\s*-\s*", "-", value)  # "Apr - Jun 2025" -> "apr-jun 2025"
    value = re.sub(r"\bquarter\s*(?=[1-4]\b)", "q", value)
    value = re.sub(r"\b(?:financial|fiscal) year\b\s*", "fy ", value)
    value = re.sub(r"\bf/y\b\s*", "fy ", value)
    return value.strip()


def _year(digits: str, original: str) -> int:
    year = int(digits) if len(digits) == 4 else 2000 + int(digits)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{original!r}: {year} is not a year a figure can be for")
    return year


def _fy_start(a: str, b: str, original: str) -> int:
    """The first year of the financial year written a/b ("2024/25", "24/25", "2024/2025")."""
    first = _year(a, original)
    second = int(b) if len(b) == 4 else first - first % 100 + int(b) + (100 if int(b) < first % 100 else 0)
    if second != first + 1:
        raise PeriodError(f"{original!r} is not a financial year: its two years must follow each other, as in "
                          f"{first}/{(first + 1) % 100:02d}")
    return first


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".")]


# The forms, as patterns that re compiles on first use and keeps (importing this module compiles nothing).
_Y = r"(?P<{}>\d{{4}}|\d{{2}})"
_ROLLING = (
    rf"(?:rolling )?(?:12 ?months?|twelve months|1 ?year|year) (?:to|ending|ended|until|up to) "
    rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)? )?(?P<m>{_MONTH}),? ?(?:'|-)?(?P<y>\d{{4}}|\d{{2}})")
_FQ = rf"q(?P<q>[1-4]) ?(?:of )?(?:fy ?)?{_Y.format('a')} ?[/-] ?{_Y.format('b')}"
_FQ_AFTER = rf"(?:fy ?)?{_Y.format('a')} ?[/-] ?{_Y.format('b')}(?: ?[,-] ?| )q(?P<q>[1-4])"
_FY = r"(?P<fy>fy ?)?(?P<a>\d{4}|\d{2}) ?(?P<sep>[/-]) ?(?P<b>\d{4}|\d{2})"
_FY_RUN = r"fy ?(?P<a>\d{2})(?P<b>\d{2})"  # "FY2425"
_MONTH_YEAR = rf"(?P<m>{_MONTH})(?:,? (?P<y>\d{{4}})|(?: ?'|-| )(?P<yy>\d{{2}})|-(?P<y4>\d{{4}}))"
_ISO_MONTH = r"(?P<y>\d{4})-(?P<m>\d{1,2})"
_UK_MONTH = r"(?P<m>\d{1,2})/(?P<y>\d{4})"
_SPAN = rf"(?P<m1>{_MONTH})(?: (?P<y1>\d{{4}}))?(?:-| to | - )(?P<m2>{_MONTH}) (?P<y2>\d{{4}})"
_CALENDAR_YEAR = r"(?:cy ?|calendar year )?(?P<y>\d{4})"
_CALENDAR_QUARTER = r"q(?P<q>[1-4]) ?(?P<y>\d{4})|(?P<y2>\d{4}) ?q(?P<q2>[1-4])"
_DATE = r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2} " + _MONTH + r" \d{4}"


def parse_period(text: str) -> Period:
    """The period written in text (see the module's docstring for the forms). Raises PeriodError, whose message
    is one sentence to show beside the cell, for anything else."""
    if not isinstance(text, str):
        raise PeriodError(f"{text!r} is not a period; write it as one of {FORMS}")
    original = text.strip()
    if not original:
        raise PeriodError(f"no period is given; write it as one of {FORMS}")
    norm = _normal(original)

    if m := re.fullmatch(_ROLLING, norm):
        year, month = _year(m["y"], original), _month(m["m"])
        if m["day"] and int(m["day"]) != _last_day(year, month).day:
            raise PeriodError(f"{original!r} does not end on the last day of a month; periods here are whole "
                              f"months, as in 12 months to {_ABBR[month]} {year}")
        return Period.rolling_year(year, month, original)
    if (m := re.fullmatch(_FQ, norm)) or (m := re.fullmatch(_FQ_AFTER, norm)):
        return Period.financial_quarter(int(m["q"]), _fy_start(m["a"], m["b"], original), original)
    if m := re.fullmatch(_CALENDAR_QUARTER, norm):
        quarter, year = int(m["q"] or m["q2"]), int(m["y"] or m["y2"])
        first_month = 3 * quarter - 2
        raise PeriodError(
            f"{original!r} does not say whether it is a financial or a calendar quarter: write "
            f"Q{quarter} {year}/{(year + 1) % 100:02d} for the financial quarter, or "
            f"{_ABBR[first_month]}-{_ABBR[first_month + 2]} {year} for those months")
    if m := re.fullmatch(_FY_RUN, norm):
        return Period.financial_year(_fy_start(m["a"], m["b"], original), original)
    if m := re.fullmatch(_FY, norm):
        a, b = m["a"], m["b"]
        if m["fy"] or m["sep"] == "/" or len(b) == 4:
            if m["sep"] == "/" and len(a) == 2 and len(b) == 4 and not m["fy"]:
                pass  # "04/2025": a month, below
            else:
                return Period.financial_year(_fy_start(a, b, original), original)
        elif len(a) == 4:  # "2024-25" (a financial year) or "2025-04" (a month)
            first = int(a)
            next_year = (first + 1) % 100 == int(b)
            month = 1 <= int(b) <= 12
            if next_year and month:
                raise PeriodError(
                    f"{original!r} could be the financial year {first}/{b} or {_ABBR[int(b)]} {first}: write "
                    f"{first}/{b} or FY {first}-{b} for the year, or {_ABBR[int(b)]} {first} for the month")
            if next_year:
                return Period.financial_year(_fy_start(a, b, original), original)
            if month:
                return Period.month(_year(a, original), int(b), original)
            raise PeriodError(f"{original!r} is neither a financial year (as in {first}-{(first + 1) % 100:02d}) "
                              f"nor a month (as in {first}-04)")
        else:  # "24-25"
            return Period.financial_year(_fy_start(a, b, original), original)
    if m := re.fullmatch(_UK_MONTH, norm):
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{original!r}: there is no month {month}")
        return Period.month(_year(m["y"], original), month, original)
    if m := re.fullmatch(_ISO_MONTH, norm):
        month = int(m["m"])
        if not 1 <= month <= 12:
            raise PeriodError(f"{original!r}: there is no month {month}")
        return Period.month(_year(m["y"], original), month, original)
    if m := re.fullmatch(_MONTH_YEAR, norm):
        if m["yy"] and " " in norm and "'" not in norm:
            raise PeriodError(f"{original!r} could be a day of the month or a year: write "
                              f"{_ABBR[_month(m['m'])]} 20{m['yy']} for the month")
        year = _year(m["y"] or m["y4"] or m["yy"], original)
        return Period.month(year, _month(m["m"]), original)
    if m := re.fullmatch(_SPAN, norm):
        first_month, last_month = _month(m["m1"]), _month(m["m2"])
        last_year = _year(m["y2"], original)
        first_year = _year(m["y1"], original) if m["y1"] else last_year - (1 if first_month > last_month else 0)
        if first_month == last_month and first_year == last_year and m["y1"] is None:
            return Period.month(last_year, last_month, original)
        return Period.span((first_year, first_month), (last_year, last_month), original)
    if m := re.fullmatch(_CALENDAR_YEAR, norm):
        return Period.calendar_year(_year(m["y"], original), original)
    if re.fullmatch(_DATE, norm):
        raise PeriodError(f"{original!r} is a date, not a period: write the month it stands for, as in Apr 2025, "
                          "or the period")
    if re.search(r"\bytd\b|year to date", norm):
        raise PeriodError(f"{original!r} is a year to date, whose start is not written: write the months it "
                          "spans, as in Apr-Sep 2025")
    raise PeriodError(f"{original!r} is not a period this app reads; write it as one of {FORMS}")
