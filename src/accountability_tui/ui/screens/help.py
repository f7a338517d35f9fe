"""Every key of every screen, in one place (?)."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from accountability_tui.ui.registry import key_sources
from accountability_tui.ui.screens.base import Dialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, content


def _key(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter"}
    return ", ".join(names.get(k.strip(), k.strip()) for k in binding.key.split(","))


class HelpScreen(Dialog):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > #help-box { width: 90%; max-width: 100; height: 85%; border: thick $accent; background: $surface; }
    #help-box > Static { height: auto; padding: 0 1 1 1; }
    #help-box > RowTable { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="help.close")]

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        """keymap: the officer's keys by binding id (the keymap setting), listed instead of the defaults."""
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):  # the words inside the box: nothing of the screen below shows through them
            yield Static(content("Ctrl+p finds any screen, action, finding or question by its words; its 'Theme' "
                                 "command switches between dark and light."))
            yield RowTable(id="keys")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys — every screen"
        table = self.query_one("#keys", RowTable)
        # what each key does takes the width left: the box is narrower than the table was at 80 columns
        table.add_column("Where", key="where", cap=18)
        table.add_column("Key", key="key", cap=12)
        table.add_column("What it does", key="what", fill=True, least=20)
        table.add_rows([((cell(where), cell(_key(binding)), cell(binding.description)), None)
                        for where, bindings in key_sources(self.keymap) for binding in bindings
                        if binding.description and binding.action != "noop"])
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
