"""Timeframe text -> due date, as the project's conventions say (see README, "Timeframes").

The source text is always kept as written; this module only derives a due date from it:

* seasons are UK meteorological: Spring ends 31 May, Summer 31 August, Autumn 30 November, Winter (Dec-Feb) the
  last day of February of the following year;
* a range ("Summer 2023/ Autumn 2023", "Spring/ Summer 2023") takes its latest end;
* a bare year or "during 2023" is 31 December;
* a month ("March 2024", "Sep '19", "Mar-24") is its last day; a full date ("31/03/2024" day-first, "2024-03-31",
  "31 March 2024") is itself;
* a UK financial year ("2023/24", "FY 2023-24") ends 31 March of its second year; a financial quarter ("Q1 2024/25";
  Q1 Apr-Jun ... Q4 Jan-Mar) ends on its quarter's last day; "Q2 2024" (one year) is a calendar quarter;
* "Ongoing", blank, or anything without a year has no due date; words around a date are ignored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Reading", "read_timeframe", "due_date"]

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEASON_END_MONTH = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11}

# Phrases that mean "no deadline" on purpose: read, not a warning.
_NO_DEADLINE = re.compile(
    r"^\W*(ongoing|on-going|continuous|continuing|business as usual|bau|n/?a|none|no deadline|tbc|tbd|"
    r"to be confirmed|to be determined)\W*$"
)

_TOKEN = re.compile(
    rf"""
    (?P<iso>\b(?P<iso_y>\d{{4}})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})\b)
  | (?P<uk>\b(?P<uk_d>\d{{1,2}})[/.](?P<uk_m>\d{{1,2}})[/.](?P<uk_y>\d{{4}}|\d{{2}})\b)
  | (?P<dmy>\b(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmy_m>{_MONTH_RE})\.?,?\s+(?P<dmy_y>\d{{4}})\b)
  | (?P<fq>\bq(?P<fq_q>[1-4])\s*(?:of\s+)?(?:fy\s*)?(?P<fq_a>\d{{4}}|\d{{2}})\s*[/-]\s*(?P<fq_b>\d{{4}}|\d{{2}})\b)
  | (?P<cq>\bq(?P<cq_q>[1-4])\s*(?P<cq_y>\d{{4}})\b)
  | (?P<fy>(?:\bfy\s*)?\b(?P<fy_a>\d{{4}})\s*[/-]\s*(?P<fy_b>\d{{4}}|\d{{2}})\b|\bfy\s*(?P<fy_c>\d{{2}})\s*[/-]?\s*(?P<fy_d>\d{{2}})\b)
  | (?P<my>\b(?P<my_m>{_MONTH_RE})\b\.?(?:\s*(?:'|-)\s*(?P<my_yy>\d{{2}})\b|,?\s+(?P<my_y>\d{{4}})\b))
  | (?P<month>\b(?P<month_m>{_MONTH_RE})\b)
  | (?P<season>\b(?P<season_s>spring|summer|autumn|fall|winter)\b)
  | (?P<year>\b(?P<year_y>(?:19|20)\d{{2}})\b)
  | (?P<sep>\s*(?:/|-|–|&|,|\+|\band\b|\bor\b|\bto\b|\bthrough\b)\s*|\s+)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Reading:
    """What a timeframe says: its due date (None: no deadline) and whether the text was understood."""

    due: dt.date | None
    understood: bool
    problem: str | None = None


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _full_year(two_or_four: str, near: int | None = None) -> int:
    value = int(two_or_four)
    if len(two_or_four) == 4:
        return value
    if near is not None:
        return near - near % 100 + value if value >= near % 100 else near - near % 100 + 100 + value
    return 2000 + value


def _fy_years(a: str, b: str) -> tuple[int, int] | None:
    first = _full_year(a)
    second = _full_year(b, near=first)
    return (first, second) if second == first + 1 else None


def _season_end(season: str, year: int) -> dt.date:
    if season == "winter":
        return _last_day(year + 1, 2)
    return _last_day(year, _SEASON_END_MONTH[season])


def _quarter_end(quarter: int, fy_start: int) -> dt.date:
    # UK financial year starting April fy_start: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar.
    month = 3 + 3 * quarter
    year = fy_start
    if month > 12:
        month -= 12
        year += 1
    return _last_day(year, month)


def read_timeframe(text: str | None) -> Reading:
    """Read a timeframe as written. Never raises."""
    if text is None:
        return Reading(None, True)
    norm = text.strip().lower().replace("\u2019", "'").replace("\u2018", "'")
    if not re.search(r"[a-z0-9]", norm) or _NO_DEADLINE.match(norm):
        return Reading(None, True)
    ends: list[dt.date] = []
    pending: list[tuple[str, str]] = []  # seasons/months still waiting for their year: (kind, name)
    problem = None

    def settle(year: int | None, fy: tuple[int, int] | None = None) -> None:
        for kind, name in pending:
            if kind == "season":
                if fy is not None:
                    ends.append(_last_day(fy[1], 2) if name == "winter" else _season_end(name, fy[0]))
                elif year is not None:
                    ends.append(_season_end(name, year))
            elif kind == "month":
                y = year if year is not None else (fy[1] if fy and _MONTHS[name] <= 3 else fy[0] if fy else None)
                if y is not None:
                    ends.append(_last_day(y, _MONTHS[name]))
        pending.clear()

    try:
        for m in _TOKEN.finditer(norm):
            kind = m.lastgroup
            if kind is None:
                continue
            if kind == "sep":
                continue
            if kind == "other":
                # a word between a season or month and a year breaks the link: "May finish 2024" is 2024
                pending.clear()
                continue
            groups = {k: v for k, v in m.groupdict().items() if v is not None}
            if kind == "iso":
                settle(None)
                ends.append(dt.date(int(groups["iso_y"]), int(groups["iso_m"]), int(groups["iso_d"])))
            elif kind == "uk":
                settle(None)
                year = _full_year(groups["uk_y"])
                ends.append(dt.date(year, int(groups["uk_m"]), int(groups["uk_d"])))
            elif kind == "dmy":
                settle(None)
                ends.append(dt.date(int(groups["dmy_y"]), _MONTHS[groups["dmy_m"]], int(groups["dmy_d"])))
            elif kind == "fq":
                settle(None)
                years = _fy_years(groups["fq_a"], groups["fq_b"])
                if years is None:
                    problem = f"{m.group().strip()!r} is not a financial year quarter"
                    continue
                ends.append(_quarter_end(int(groups["fq_q"]), years[0]))
            elif kind == "cq":
                settle(None)
                ends.append(_last_day(int(groups["cq_y"]), 3 * int(groups["cq_q"])))
            elif kind == "fy":
                a, b = (groups["fy_a"], groups["fy_b"]) if "fy_a" in groups else (groups["fy_c"], groups["fy_d"])
                years = _fy_years(a, b)
                if years is None:
                    # "2023/2025" is not a financial year: read it as a range of two years.
                    first, second = _full_year(a), _full_year(b, near=_full_year(a))
                    settle(second)
                    ends.append(dt.date(max(first, second), 12, 31))
                    continue
                if pending:
                    settle(None, fy=years)
                else:
                    ends.append(dt.date(years[1], 3, 31))
            elif kind == "my":
                settle(None)
                year = int(groups["my_y"]) if "my_y" in groups else _full_year(groups["my_yy"])
                ends.append(_last_day(year, _MONTHS[groups["my_m"]]))
            elif kind == "month":
                pending.append(("month", groups["month_m"]))
            elif kind == "season":
                pending.append(("season", groups["season_s"]))
            elif kind == "year":
                year = int(groups["year_y"])
                if pending:
                    settle(year)
                else:
                    ends.append(dt.date(year, 12, 31))
    except ValueError as exc:  # an impossible date such as 31/02/2024
        return Reading(None, False, f"{text.strip()!r} is not a real date ({exc})")
    if not ends:
        if problem:
            return Reading(None, False, problem)
        return Reading(None, False, f"timeframe {text.strip()[:60]!r} has no year, so no due date was set")
    return Reading(max(ends), True, problem)


def due_date(text: str | None) -> dt.date | None:
    """The due date a timeframe gives, or None for no deadline."""
    return read_timeframe(text).due
