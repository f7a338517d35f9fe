"""Messages between the app and its screens (so that no screen imports the app)."""

from __future__ import annotations

import datetime as dt

from textual.message import Message


class AsOfChanged(Message):
    """The as-of date changed: every screen that shows overdue figures reloads."""

    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of


class DataChanged(Message):
    """Something was saved: screens showing it reload."""


class OthersChanged(Message):
    """Someone else came in, left, or moved to another meeting: the dashboard says who is in (app.others)."""
