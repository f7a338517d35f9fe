"""What every screen shares: its errors go to one handler; and what main screens share: Esc goes back, reloading
when the as-of date or the data change, lists with a detail below."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from accountability_tui.services.actions import PAGE
from accountability_tui.ui.messages import AsOfChanged, DataChanged
from accountability_tui.ui.widgets.row_table import RowTable

if TYPE_CHECKING:
    from textual.dom import DOMNode as _RoutedBase

    from accountability_tui.services import Services
    from accountability_tui.ui.shell import Shell
else:
    # A mixin, not a DOMNode: Textual takes a screen's default CSS from its first DOMNode base and that base's
    # first, so a DOMNode mixin ahead of Screen hid Screen's own (an opaque background, for one: every screen was
    # drawn through, with the one below it under it, on every frame; dialogs did not dim what they cover).
    _RoutedBase = object

__all__ = ["PAGE", "Dialog", "ListScreen", "MainScreen", "Routed"]


class Routed(_RoutedBase):
    """Every screen of the app: its workers never stop the app on an error (exit_on_error=False), and their
    failures go to the app's one handler (Shell.report), which tells the officer in one line."""

    @property
    def shell(self) -> Shell:
        return cast("Shell", self.app)

    @property
    def services(self) -> Services:
        return self.shell.services

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.shell.report(event.worker.error, self)

    def spawn(self, work: Awaitable[Any], group: str = "default", exclusive: bool = False) -> Worker[Any]:
        """Run a piece of work (a save, say) as a worker whose failure is reported, not raised."""
        return self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)


class Dialog(Routed, ModalScreen[Any]):
    """A dialog. One that shows its own errors (beside what the officer typed) defines show_error()."""


class MainScreen(Routed, Screen[None]):
    """A main screen (dashboard, actions, findings, questions). Subclasses implement reload()."""

    screen_name = ""
    BINDINGS = [Binding("escape", "back", "Back", id="screen.back")]

    _stale = False

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:  # never below the dashboard
            self.app.pop_screen()

    def reload(self) -> None:  # pragma: no cover - every screen overrides it
        raise NotImplementedError

    def forget_details(self) -> None:
        """The data changed: what was read ahead is stale (list screens)."""

    def _changed(self) -> None:
        self.forget_details()
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
    select_id: int | None = None  # the record the cursor goes to after the next list is read
    total = 0  # how many records the list has in all (a paged list holds the first len(rows))

    # --- undo: the last change to the record under the cursor -------------------------------------------------

    def undo_service(self) -> Any:
        """The service whose last_change() and undo() serve this list's records (None: nothing to undo)."""
        return None

    # --- export: the list as shown, every row of it, to CSV or XLSX (E) ------------------------------------------

    def export_sheet(self) -> tuple[str, Any] | None:
        """What the list exports: (a name for the file, a function of the services giving its Sheet, run on the
        database thread); None: nothing to export."""
        return None

    def action_export_list(self) -> None:
        from accountability_tui.ui.screens.export import export_to_file

        what = self.export_sheet()
        if what is None:
            return
        name, make = what
        services = self.services

        def sheet_and_file(path: str, force: bool) -> tuple[int, Any]:
            sheet = make(services)
            return len(sheet.rows), services.exports.write(sheet, path, force=force, dated=self.shell.as_of)

        rows = 0

        async def write(path: str, force: bool) -> Any:
            nonlocal rows
            rows, written = await self.shell.db(sheet_and_file, path, force)
            return written

        export_to_file(self, "Export the list, as shown, to",
                       self.shell.export_folder / f"{name}-{self.shell.as_of.isoformat()}.xlsx",
                       "Excel (.xlsx) or CSV (.csv, or any other name): the name's ending decides. Every row of the "
                       "list with its filters and sort, each text whole.",
                       write, lambda where: f"{rows:,} rows written to {where}", group="export-list")

    def record_name(self, record: Any) -> str:
        return f"record {record.id}"

    def action_undo(self) -> None:
        record, service = self.selected, self.undo_service()
        if record is not None and service is not None:
            self.spawn(self._ask_undo(service, record))

    async def _ask_undo(self, service: Any, record: Any) -> None:
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        change = await self.shell.db(service.last_change, record.id)
        name = self.record_name(record)
        if change is None:
            self.app.notify(f"Nothing to undo on {name}", markup=False)
            return

        async def undo() -> None:
            await self.shell.db(service.undo, record)
            self.app.notify(f"Undone on {name}: {change.describe()}", markup=False)
            self.select_id = record.id
            self.shell.data_changed()

        def answered(yes: bool | None) -> None:
            if yes:
                self.spawn(undo())

        self.app.push_screen(ConfirmScreen(f"Undo the last change to {name}?",
                                           f"{change.describe()}. The undo is a change of its own: the history keeps "
                                           "both."), answered)

    def cells(self, row) -> tuple:  # pragma: no cover - every paged list screen overrides it
        """A row of the list, as the table's cells."""
        raise NotImplementedError

    def load_more(self, offset: int) -> object:  # pragma: no cover
        """Read the page of the list that starts at offset (then show_page() it). What it returns is not
        used (a worker, when a subclass reads the page in one)."""
        raise NotImplementedError

    @property
    def has_more(self) -> bool:
        return len(self.rows) < self.total

    def show_page(self, rows: list, offset: int = 0) -> None:
        """Show a page that was read: the first replaces the list (the cursor stays on its record, or goes to
        select_id), the next ones extend it."""
        table = self.query_one("#table", RowTable)
        new = [(self.cells(row), str(row.id)) for row in rows]
        if offset:
            if offset == len(self.rows):  # not a page of a list that has since been replaced
                self.rows.extend(rows)
                table.add_rows(new)
            return
        current = self.select_id or (self.rows[table.cursor_row].id if self.rows and table.row_count else None)
        self.select_id = None
        self.rows = list(rows)
        table.clear()
        table.add_rows(new)
        self.place_cursor(current)

    @on(RowTable.RowHighlighted, "#table")
    def _maybe_more(self, event: RowTable.RowHighlighted) -> None:
        """On the last row of a list with more to read, read the next page."""
        if self.has_more and event.cursor_row == len(self.rows) - 1:
            self.load_more(len(self.rows))

    def load_detail_data(self, item_id: int) -> Any:  # pragma: no cover - every list screen overrides it
        """One record's detail (runs on the database thread)."""
        raise NotImplementedError

    def load_details(self, item_ids: list[int]) -> dict[int, Any]:  # pragma: no cover
        """Several records' details (runs on the database thread)."""
        raise NotImplementedError

    def show_detail_data(self, data) -> None:  # pragma: no cover
        raise NotImplementedError

    def show_empty(self) -> None:  # pragma: no cover
        raise NotImplementedError

    def _list_table(self) -> RowTable | DataTable[Any]:
        """The list's table (#table): a RowTable, or a DataTable (the meetings screen)."""
        table = self.query_one("#table")
        if not isinstance(table, RowTable | DataTable):
            raise TypeError(f"#table is a {type(table).__name__}, not a table")
        return table

    @property
    def selected(self):
        table = self._list_table()
        if not getattr(self, "rows", None) or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    DETAIL_DELAY = 0.12  # after a new list, the detail waits this long (typing goes on: only the last list's)

    def place_cursor(self, current_id: int | None) -> None:
        """After a load: the cursor on the record that had it (or the first), and its detail shown soon."""
        table = self._list_table()
        if not self.rows:
            self.show_empty()
            return
        index = next((n for n, row in enumerate(self.rows) if row.id == current_id), 0)
        self._placing = True
        table.move_cursor(row=index)
        self._placing = False
        self.show_detail(self.rows[index].id, delay=self.DETAIL_DELAY)

    _placing = False

    def on_mount(self) -> None:
        table = self.query_one("#table")
        if isinstance(table, RowTable):
            # the detail follows the cursor in the same frame: a RowHighlighted message reaches the screen only
            # after Textual has drawn the moved cursor, so the detail came a frame later (measured: make bench)
            self.watch(table, "cursor_row", self._cursor_moved, init=False)

    def _cursor_moved(self, row: int) -> None:
        table = self.query_one("#table", RowTable)
        if self._placing or not 0 <= row < len(table.keys):
            return
        key = table.keys[row]
        if key is not None:
            self.show_detail(int(key))

    @on(DataTable.RowHighlighted, "#table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None and not self._placing:
            self.show_detail(int(event.row_key.value))

    def show_detail(self, item_id: int, delay: float = 0.0) -> None:
        if self.detail_id == item_id and delay:
            return  # already shown (a new list that starts with the same record)
        self.detail_id = item_id
        cached = self._detail_cache.get(item_id)
        if cached is not None and not delay:  # read ahead: shown in the same frame as the cursor
            self.workers.cancel_group(self, "detail")
            self.show_detail_data(cached)
            self.call_after_refresh(self._read_ahead, item_id)  # after the frame: reading would slow drawing it
            return
        self._load_detail(item_id, delay)

    _details: dict[int, Any] | None = None

    @property
    def _detail_cache(self) -> dict[int, Any]:
        if self._details is None:
            self._details = {}
        return self._details

    def forget_details(self) -> None:
        """The data changed: details read ahead, and the one shown, are stale."""
        self._detail_cache.clear()
        self.detail_id = None

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def _load_detail(self, item_id: int, delay: float = 0.0) -> None:
        if delay:
            await asyncio.sleep(delay)  # cancelled if another record's detail is asked for meanwhile
        data = await self.shell.db(self.load_detail_data, item_id)
        self._detail_cache[item_id] = data
        if self.detail_id == item_id:
            self.show_detail_data(data)
        self._read_ahead(item_id)

    def _read_ahead(self, item_id: int) -> None:
        """Load the details of the rows next to the cursor, so that moving to them shows them at once."""
        ids = [row.id for row in getattr(self, "rows", [])]
        if item_id not in ids:
            return
        index = ids.index(item_id)
        wanted = [ids[i] for i in (index + 1, index + 2, index + 3, index - 1)
                  if 0 <= i < len(ids) and ids[i] not in self._detail_cache]
        if wanted:
            self._load_ahead(wanted)

    @work(exclusive=True, group="read-ahead", exit_on_error=False)
    async def _load_ahead(self, ids: list[int]) -> None:
        found = await self.shell.db(self.load_details, ids)
        if len(self._detail_cache) > 200:
            self._detail_cache.clear()
        self._detail_cache.update(found)
