"""A yes/no question before something that cannot be taken back lightly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from accountability_tui.ui.screens.base import Dialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content


class ConfirmScreen(Dialog):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 80%; max-width: 90; height: auto; border: thick $warning;
                               background: $surface; padding: 1 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(content(self.question, style="bold"))
            if self.detail:
                yield Static(content(self.detail))
            yield Static(content("y yes · n no", style="dim"))
        yield AppFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
