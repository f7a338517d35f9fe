"""What every main screen shares: Esc goes back, and reloading when the as-of date or the data change."""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from ..app import AsOfChanged, DataChanged
from ..errors import AppError


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


class ListScreen(MainScreen):
    """A main screen with a table of records (#table) and the highlighted record's detail below it.

    Subclasses say how to load one record's detail (load_detail_data, on the database thread) and show it
    (show_detail_data), and what to say when the list is empty (show_empty).
    """

    rows: list
    detail_id: int | None = None

    def load_detail_data(self, store, item_id: int):  # pragma: no cover - every list screen overrides it
        raise NotImplementedError

    def show_detail_data(self, data) -> None:  # pragma: no cover
        raise NotImplementedError

    def show_empty(self) -> None:  # pragma: no cover
        raise NotImplementedError

    @property
    def selected(self):
        table = self.query_one("#table", DataTable)
        if not getattr(self, "rows", None) or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def place_cursor(self, current_id: int | None) -> None:
        """After a load: the cursor on the record that had it (or the first), and its detail shown."""
        table = self.query_one("#table", DataTable)
        if not self.rows:
            self.show_empty()
            return
        index = next((n for n, row in enumerate(self.rows) if row.id == current_id), 0)
        table.move_cursor(row=index)
        self.show_detail(self.rows[index].id)

    @on(DataTable.RowHighlighted, "#table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None:
            self.show_detail(int(event.row_key.value))

    def show_detail(self, item_id: int) -> None:
        self.detail_id = item_id
        self._load_detail(item_id)

    @work(exclusive=True, group="detail")
    async def _load_detail(self, item_id: int) -> None:
        try:
            data = await self.app.db(self.load_detail_data, self.app.store, item_id)
        except AppError as exc:
            self.app.report(exc)
            return
        if self.detail_id == item_id:
            self.show_detail_data(data)
