"""Ask for one line of text (why a finding was closed, say)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, Static

from ..widgets.text import content


class TextPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 80%; max-width: 100; height: auto; border: thick $accent; background: $surface;
                            padding: 1 2; }
    TextPrompt #error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, title: str, *, value: str = "", required: bool = True, hint: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text, style="bold"))
            if self.hint:
                yield Static(content(self.hint))
            yield Input(self.value, id="value", max_length=10_000)
            yield Static("", id="error")
            yield Static(content("Enter to confirm · Esc to cancel", style="dim"))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if self.required and not value:
            self.query_one("#error", Static).update(content("This cannot be empty."))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
