"""The Textual application: the shell around the screens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from .store import Store


class AccountabilityApp(App[None]):
    """accountability-tui. Opens on the dashboard of the current plan."""

    TITLE = "accountability-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, db_path: str | Path, as_of: dt.date | None = None):
        super().__init__()
        self.db_path = Path(db_path)
        self.as_of = as_of or dt.date.today()
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The app's store; each thread (worker) gets its own SQLite connection from it."""
        if self._store is None:
            self._store = Store.open(self.db_path, create=False)
        return self._store

    def on_mount(self) -> None:
        from .screens.dashboard import DashboardScreen

        self.update_sub_title()
        self.push_screen(DashboardScreen())

    def update_sub_title(self) -> None:
        self.sub_title = f"{self.db_path.name} · as of {self.as_of:%-d %B %Y}"

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()
