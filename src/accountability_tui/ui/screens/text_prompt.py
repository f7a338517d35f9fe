"""Ask for one line of text (a file name, a link), or for prose (an update, a note, a comment) in an editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

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
    # ctrl+s saves here as in every form (Enter does too); declared here, before Esc, so that a prose prompt, which
    # shows it, says "^s Save  esc Cancel" as the forms do
    BINDINGS = [Binding("ctrl+s", "save", "Save", show=False, id="prompt.save"),
                Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
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
            yield self.field()
            yield Static("", id="error")
            yield Static(content(self.CONFIRM, style="dim"))
        yield AppFooter()

    def field(self) -> Widget:
        """What the answer is typed into: one line here."""
        return Input(self.value, id=self.INPUT_ID, placeholder=self.PLACEHOLDER, max_length=self.MAX_LENGTH)

    def on_mount(self) -> None:
        self.query_one(f"#{self.INPUT_ID}").focus()
        self.form_ready()

    def parse(self, value: str):
        value = value.strip()
        if self.required and not value:
            raise ValueError("This cannot be empty.")
        return value

    def submit(self, value: str) -> None:
        """Save what parse() makes of the value, or show why not and stay."""
        try:
            answer = self.parse(value)
        except ValueError as exc:
            self.query_one("#error", Static).update(content(str(exc)))
            return
        self.saved(answer)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit(event.value)

    def action_save(self) -> None:
        self.submit(self.query_one(f"#{self.INPUT_ID}", Input).value)


class ProsePrompt(TextPrompt):
    """Prose (an update, a note, a comment, a reason): an editor that grows with what is typed, from four lines to
    nine, then scrolls; nine keep the dialog on an 80×24 terminal with a five-line hint above them (the 200
    characters of an action's text, say). Enter starts a new line; ctrl+s saves, checked by parse() just as a
    TextPrompt's Enter is."""

    DEFAULT_CSS = """
    ProsePrompt TextArea { height: auto; min-height: 6; max-height: 11; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="prompt.save")]
    CONFIRM = "ctrl+s to save · Enter for a new line · Esc to cancel"

    def field(self) -> Widget:
        return TextArea(self.value, id=self.INPUT_ID, soft_wrap=True)

    def on_mount(self) -> None:
        editor = self.query_one(f"#{self.INPUT_ID}", TextArea)
        editor.move_cursor(editor.document.end)  # after a comment already there, as a one-line prompt has it
        super().on_mount()

    def action_save(self) -> None:
        text = self.query_one(f"#{self.INPUT_ID}", TextArea).text
        if len(text) > self.MAX_LENGTH:
            self.query_one("#error", Static).update(
                content(f"This is too long: {len(text):,} characters, at most {self.MAX_LENGTH:,}."))
            return
        self.submit(text)
