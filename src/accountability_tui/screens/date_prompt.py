"""Ask for a date (the as-of date), validated inline."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from ..widgets.text import content


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


class DatePrompt(ModalScreen[dt.date | None]):
    DEFAULT_CSS = """
    DatePrompt { align: center middle; }
    DatePrompt > Vertical { width: 60; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    DatePrompt #error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date.cancel")]

    def __init__(self, title: str, value: dt.date, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text, style="bold"))
            if self.hint:
                yield Static(content(self.hint))
            yield Input(self.value.isoformat(), id="date", placeholder="YYYY-MM-DD", max_length=40)
            yield Static("", id="error")
            yield Static(content("Enter to set · Esc to cancel", style="dim"))
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(parse_date(event.value))
        except ValueError as exc:
            self.query_one("#error", Static).update(content(str(exc)))

    def action_cancel(self) -> None:
        self.dismiss(None)
