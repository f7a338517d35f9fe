"""Ask for one line of text (why a finding was closed, say)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content


class TextPrompt(FormDialog):
    """One line, checked by parse() when Enter is pressed: what it returns is the answer, a ValueError's words
    are shown under the line and the prompt stays."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 80%; max-width: 100; height: auto; border: thick $accent; background: $surface;
                            padding: 1 2; }
    TextPrompt #error { color: $error; height: auto; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    INPUT_ID = "value"
    PLACEHOLDER = ""
    MAX_LENGTH = 10_000
    CONFIRM = "Enter to confirm · Esc to cancel"

    def __init__(self, title: str, *, value: str = "", required: bool = True, hint: str = "", what: str = "text",
                 draft_key: str | None = None, precious: bool = True) -> None:
        """what: what is typed, for "Discard your unsaved note?"; draft_key: keep it as a draft under this key;
        precious=False: nothing worth asking about (a file name, say)."""
        super().__init__()
        self.WHAT = what
        self.draft_key = draft_key
        self.ASK_BEFORE_DISCARD = precious
        self.title_text = title
        self.value = value
        self.required = required
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(content(self.title_text, style="bold"))
            if self.hint:
                yield Static(content(self.hint))
            yield Input(self.value, id=self.INPUT_ID, placeholder=self.PLACEHOLDER, max_length=self.MAX_LENGTH)
            yield Static("", id="error")
            yield Static(content(self.CONFIRM, style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.INPUT_ID}", Input).focus()
        self.form_ready()

    def parse(self, value: str):
        value = value.strip()
        if self.required and not value:
            raise ValueError("This cannot be empty.")
        return value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            answer = self.parse(event.value)
        except ValueError as exc:
            self.query_one("#error", Static).update(content(str(exc)))
            return
        self.saved(answer)

