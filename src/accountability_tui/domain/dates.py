"""Dates as officers type them: one reader for the screens and the command line."""

from __future__ import annotations

import datetime as dt

FORMS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y")


def parse_date(value: str) -> dt.date:
    """YYYY-MM-DD, or DD/MM/YYYY as officers write it. Raises ValueError with a sentence to show."""
    text = value.strip()
    if not text:
        raise ValueError("enter a date, e.g. 2026-12-10")
    for form in FORMS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD or DD/MM/YYYY")
