"""Every key of every screen, in one place (?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Static

from ..widgets.text import cell, content


def key_sources() -> list[tuple[str, list]]:
    from ..app import AccountabilityApp
    from .action_edit import ActionEditScreen
    from .action_filters import ActionFiltersScreen
    from .actions import ActionsScreen
    from .answer import AnswerScreen
    from .base import MainScreen
    from .briefing import BriefingScreen
    from .confirm import ConfirmScreen
    from .dashboard import DashboardScreen
    from .findings import FindingsScreen
    from .meeting_edit import MeetingEditScreen
    from .meetings import MeetingsScreen
    from .picker import PickerScreen
    from .question_edit import QuestionEditScreen
    from .questions import QuestionsScreen
    from .review import ReviewScreen

    return [
        ("Everywhere", AccountabilityApp.BINDINGS + MainScreen.BINDINGS),
        ("Dashboard", DashboardScreen.BINDINGS + [Binding("enter", "", "Open the list behind a figure")]),
        ("Actions", ActionsScreen.BINDINGS),
        ("Edit an action", ActionEditScreen.BINDINGS),
        ("Filter actions", ActionFiltersScreen.BINDINGS),
        ("Findings", FindingsScreen.BINDINGS),
        ("Questions", QuestionsScreen.BINDINGS),
        ("Write a question", QuestionEditScreen.BINDINGS),
        ("Record an answer", AnswerScreen.BINDINGS),
        ("Meetings", MeetingsScreen.BINDINGS),
        ("A meeting's details", MeetingEditScreen.BINDINGS),
        ("Overdue review", ReviewScreen.BINDINGS),
        ("Briefing builder", BriefingScreen.BINDINGS),
        ("Confirm", ConfirmScreen.BINDINGS),
        ("Pick from a list", PickerScreen.BINDINGS),
    ]


def _key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in binding.key.split(","))


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > DataTable { width: 90%; max-width: 100; height: 85%; border: thick $accent; }
    HelpScreen > Static { width: 90%; max-width: 100; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        yield Static(content("Keys — every screen. Ctrl+p finds any screen, action, finding or question by its "
                             "words; its 'Theme' command switches between dark and light.", style="bold"))
        yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#keys", DataTable)
        table.add_columns("Where", "Key", "What it does")
        for where, bindings in key_sources():
            for binding in bindings:
                if binding.description and binding.action != "noop":
                    table.add_row(cell(where), cell(_key(binding)), cell(binding.description))
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
