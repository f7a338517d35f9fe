"""Ask for a date (the as-of date), validated inline."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding

from .text_prompt import TextPrompt


def parse_date(value: str) -> dt.date:
    """YYYY-MM-DD, or DD/MM/YYYY as officers write it. Raises ValueError with a sentence to show."""
    text = value.strip()
    if not text:
        raise ValueError("enter a date, e.g. 2026-12-10")
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; use YYYY-MM-DD or DD/MM/YYYY")


class DatePrompt(TextPrompt):
    DEFAULT_CSS = """
    DatePrompt > Vertical { width: 60; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date.cancel")]
    INPUT_ID = "date"
    PLACEHOLDER = "YYYY-MM-DD"
    MAX_LENGTH = 40
    CONFIRM = "Enter to set · Esc to cancel"

    def __init__(self, title: str, value: dt.date, hint: str = "") -> None:
        super().__init__(title, value=value.isoformat(), hint=hint)

    def parse(self, value: str) -> dt.date:
        return parse_date(value)
