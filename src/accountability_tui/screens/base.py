"""What every main screen shares: Esc goes back, and reloading when the as-of date or the data change."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from ..app import AsOfChanged, DataChanged


class MainScreen(Screen[None]):
    """A main screen (dashboard, actions, findings, questions). Subclasses implement reload()."""

    screen_name = ""
    BINDINGS = [Binding("escape", "back", "Back", id="screen.back")]

    _stale = False

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:  # never below the dashboard
            self.app.pop_screen()

    def reload(self) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def _changed(self) -> None:
        if self.app.screen is self:
            self.reload()
        else:
            self._stale = True

    def on_as_of_changed(self, message: AsOfChanged) -> None:
        self._changed()

    def on_data_changed(self, message: DataChanged) -> None:
        self._changed()

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload()
