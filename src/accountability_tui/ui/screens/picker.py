"""Pick one item from a list that narrows as you type (plans, findings, actions, statuses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from accountability_tui.ui.screens.base import Dialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import clean, content

Choice = tuple[Any, str]  # (value, label)


class PickerScreen(Dialog):
    """Returns the chosen value, or None. `load(query)` runs in a thread and returns the choices for the query."""

    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen > Vertical { width: 90%; max-width: 120; height: 90%; border: thick $accent; background: $surface;
                              padding: 0 1; }
    PickerScreen OptionList { height: 1fr; }
    PickerScreen #count { color: $text-muted; height: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "down", "Next", id="picker.down", show=False),
        Binding("up", "up", "Previous", id="picker.up", show=False),
    ]

    class Loaded(Message):
        def __init__(self, query: str, choices: list[Choice]) -> None:
            super().__init__()
            self.query = query
            self.choices = choices

    def __init__(self, title: str, load: Callable[[str], list[Choice]], *, placeholder: str = "Type to narrow",
                 hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.load = load
        self.placeholder = placeholder
        self.hint = hint
        self.values: list[Any] = []
        self.shown_query: str | None = None  # the query the list on screen answers
        self.choose_when_loaded = False  # Enter came before the list for the typed query arrived

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text, style="bold"))
            yield Input(placeholder=self.placeholder, id="query")
            yield Static("", id="count")
            yield OptionList(id="choices")
            yield Static(content(self.hint or "↑↓ to move · Enter to choose · Esc to cancel", style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.refresh_choices("")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_choices(event.value)

    @work(exclusive=True, group="picker", exit_on_error=False)
    async def refresh_choices(self, query: str) -> None:
        self.post_message(self.Loaded(query, await self.shell.db(self.load, query)))

    def on_picker_screen_loaded(self, message: Loaded) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        self.values = [value for value, _ in message.choices]
        limit = self.label_limit(options)
        options.add_options([Option(Text(clean(label, one_line=True, limit=limit))) for _, label in message.choices])
        if self.values:
            options.highlighted = 0
        self.shown_query = message.query
        self.query_one("#count", Static).update(content(f"{len(self.values)} shown"))
        if self.choose_when_loaded and message.query == self.query_one("#query", Input).value:
            self.choose_when_loaded = False
            self._choose(options.highlighted)

    def label_limit(self, options: OptionList) -> int:
        """How much of a choice is shown: three lines of the list (two in a short terminal), so that a long finding
        does not fill the list on its own (at 80×24 one and a half findings were shown)."""
        lines = 2 if self.app.size.height < 30 else 3
        width = options.scrollable_content_region.width or 60
        return max(60, lines * (width - 8))  # less a word a line: the lines wrap at words

    def action_down(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.action_cursor_down()

    def action_up(self) -> None:
        options = self.query_one("#choices", OptionList)
        options.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value != self.shown_query:  # the list for what was typed is still loading: choose when it comes
            self.choose_when_loaded = True
            return
        self._choose(self.query_one("#choices", OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.values):
            self.dismiss(self.values[index])

    def action_cancel(self) -> None:
        self.dismiss(None)
