"""A date cell's value as the spreadsheet shows it: rendered through its Excel number format.

A tracker's "Timescale" cell typed as "March 2016" is saved as the number 42430 with a format such as "mmm-yy"
(Excel) or "MM/DD/YY" (LibreOffice); the person saw "Mar-16" or "03/01/16", never "2016-03-01". This renders a date
through the common date formats (and the rest of their grammar: quoted text, backslash escapes, [colours and
locales], padding), so an import can keep what the person saw:

    yyyy yy          year (four or two digits; "e" is four)
    mmmmm mmmm mmm   month: its initial, its name, its abbreviation (English, as the office's spreadsheets show)
    mm m             month with or without a leading zero (minutes when after an hour or before seconds)
    dddd ddd dd d    weekday name, its abbreviation, day with or without a leading zero
    hh h mm ss s     hours (12-hour with AM/PM or A/P), minutes, seconds; ".0" to ".000" after the seconds

Excel's built-in short date (format 14, "mm-dd-yy" in the file) is shown as Excel shows it in the UK: dd/mm/yyyy.
A date with no time of day (midnight, as programs save dates) is shown without the time part of a date-and-time
format: "yyyy-mm-dd h:mm:ss" shows 31 March 2025 as "2025-03-31", not "2025-03-31 00:00:00".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

__all__ = ["BUILTIN_DISPLAY", "render_date"]

# Built-in formats whose code in the file is not what Excel shows: it shows them in the system's (UK) style.
BUILTIN_DISPLAY: dict[int, str] = {14: "dd/mm/yyyy", 22: "dd/mm/yyyy hh:mm"}

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"?'  # "text" (an unclosed quote runs to the end)
    r"|\\(?P<escaped>.)"  # \x
    r"|\[(?P<bracket>[^\]]*)\]"  # [Red], [$-809], [$€-809], [h]
    r"|_(?P<pad>.)"  # _x: a space as wide as x
    r"|\*(?P<fill>.)"  # *x: repeat x to fill the cell
    r"|(?P<ampm>am/pm|a/p)"
    r"|(?P<code>y+|e+|m+|d+|h+|s+|\.0+|g+|b+)"
    r"|(?P<literal>.)",
    re.IGNORECASE | re.DOTALL,
)

_Part = tuple[str, str]  # (kind, text): kind is "literal", a date/time letter ("y", "m", "n" minutes, "d", ...)


@lru_cache(maxsize=256)
def _compile(code: str) -> tuple[_Part, ...]:
    """A format code's first section as parts, with each m told apart: month ("m") or minutes ("n")."""
    section = _first_section(code)
    parts: list[_Part] = []
    for match in _TOKEN.finditer(section):
        kind = match.lastgroup
        text = match.group(kind) if kind else ""
        if kind in ("quoted", "escaped"):
            parts.append(("literal", text))
        elif kind == "pad":
            parts.append(("literal", " "))
        elif kind == "bracket":
            lowered = text.lower()
            if lowered in ("h", "hh", "m", "mm", "s", "ss"):  # elapsed time: shown as the time of day here
                parts.append((lowered[0] if lowered[0] != "m" else "n", lowered))
            elif lowered.startswith("$") and "-" in text:  # [$€-809]: a currency symbol before the locale
                parts.append(("literal", text[1:text.index("-")]))
        elif kind == "ampm":
            parts.append(("ampm", text))
        elif kind == "code":
            letter = text[0].lower()
            if letter in "gb":  # Era (g) and Buddhist year (b) codes: not in the office's formats
                parts.append(("literal", ""))
            elif letter == ".":
                parts.append(("fraction", text))
            else:
                parts.append(("y" if letter == "e" else letter, text.lower()))
        elif kind == "literal":
            parts.append(("literal", text))
    # An m is minutes right after an hour or right before seconds (literals between ignored), else the month.
    letters = [i for i, (kind, _) in enumerate(parts) if kind in ("y", "m", "d", "h", "n", "s")]
    for position, index in enumerate(letters):
        kind, text = parts[index]
        if kind != "m" or len(text) > 2:
            continue
        before = parts[letters[position - 1]][0] if position else ""
        after = parts[letters[position + 1]][0] if position + 1 < len(letters) else ""
        if before == "h" or after == "s":
            parts[index] = ("n", text)
    return tuple(parts)


def _first_section(code: str) -> str:
    """The format's first section (what a positive number shows): up to the first ';' outside quotes."""
    quoted = escaped = False
    for index, char in enumerate(code):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == ";" and not quoted:
            return code[:index]
    return code


def _has_date(parts: tuple[_Part, ...]) -> bool:
    return any(kind in ("y", "m", "d") for kind, _ in parts)


def _time_start(parts: tuple[_Part, ...]) -> int | None:
    """Where a date-and-time format's time part begins (its first hour, minute, second or AM/PM after a date)."""
    seen_date = False
    for index, (kind, _) in enumerate(parts):
        if kind in ("y", "m", "d"):
            seen_date = True
        elif kind in ("h", "n", "s", "ampm", "fraction") and seen_date:
            return index
    return None


def render_date(value: dt.date | dt.datetime, code: str) -> str:
    """A date (or date and time) as a cell with number format `code` shows it."""
    parts = _compile(code)
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    if not _has_date(parts) and not any(kind in ("h", "n", "s") for kind, _ in parts):
        return moment.date().isoformat()  # not a date format at all ("General", "0.00"): say the date plainly
    if moment.time() == dt.time():
        start = _time_start(parts)
        if start is not None:
            parts = parts[:start]
            while parts and parts[-1][0] == "literal" and not parts[-1][1].strip(" ,T@-"):
                parts = parts[:-1]
    twelve = any(kind == "ampm" for kind, _ in parts)
    out: list[str] = []
    for kind, text in parts:
        if kind == "literal":
            out.append(text)
        elif kind == "y":
            out.append(f"{moment.year % 100:02d}" if len(text) <= 2 else f"{moment.year:04d}")
        elif kind == "m":
            name = _MONTHS[moment.month - 1]
            out.append({1: str(moment.month), 2: f"{moment.month:02d}", 3: name[:3], 4: name}.get(len(text), name[0]))
        elif kind == "d":
            weekday = _DAYS[moment.weekday()]
            out.append({1: str(moment.day), 2: f"{moment.day:02d}", 3: weekday[:3]}.get(len(text), weekday))
        elif kind == "h":
            hour = (moment.hour % 12 or 12) if twelve else moment.hour
            out.append(f"{hour:02d}" if len(text) >= 2 else str(hour))
        elif kind == "n":
            out.append(f"{moment.minute:02d}" if len(text) >= 2 else str(moment.minute))
        elif kind == "s":
            out.append(f"{moment.second:02d}" if len(text) >= 2 else str(moment.second))
        elif kind == "fraction":
            digits = len(text) - 1
            out.append("." + f"{moment.microsecond:06d}"[:digits])
        elif kind == "ampm":
            morning = moment.hour < 12
            if text.lower() == "a/p":
                letter = "a" if morning else "p"
                out.append(letter.upper() if text[0].isupper() else letter)
            else:
                out.append("AM" if morning else "PM")
    return "".join(out).strip()
