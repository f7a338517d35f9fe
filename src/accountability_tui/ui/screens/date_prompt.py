"""Ask for a date (the as-of date), validated inline."""

from __future__ import annotations

import datetime as dt

from textual.binding import Binding

from accountability_tui.domain.dates import parse_date
from accountability_tui.ui.screens.text_prompt import TextPrompt


class DatePrompt(TextPrompt):
    DEFAULT_CSS = """
    DatePrompt > Vertical { max-width: 72; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date.cancel")]
    INPUT_ID = "date"
    PLACEHOLDER = "YYYY-MM-DD"
    MAX_LENGTH = 40
    CONFIRM = "Enter to set · Esc to cancel"

    def __init__(self, title: str, value: dt.date, hint: str = "") -> None:
        super().__init__(title, value=value.isoformat(), hint=hint, what="date", precious=False)

    def parse(self, value: str) -> dt.date:
        return parse_date(value)
