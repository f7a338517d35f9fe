"""A light, fast table for long lists: it draws only the rows on screen, line by line (Textual's Line API).

The built-in DataTable measured 25 ms or more to repaint after a keystroke on this project's reference machine;
this table draws the same screen in a few milliseconds. It takes the cells the app already makes (Rich Text:
plain text, a style, a justification) and never parses markup, so text from the data stays text.
It offers the small part of DataTable's interface the app uses: add_column, add_row, clear, row_count,
cursor_row, move_cursor, get_row_at, and RowHighlighted / RowSelected / HeaderSelected messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass
class Column:
    label: str
    key: str
    width: int
    fixed: bool = True  # else as wide as its widest cell so far (up to cap), like DataTable's columns
    fill: bool = False  # takes the width the other columns leave (columns are dropped to leave it `least`)
    cap: int = 30
    least: int = 20
    drop: int = 0  # when the table is too narrow for every column: dropped, highest first (0: never)
    shown: bool = True


@dataclass
class _Key:
    """Looks like DataTable's RowKey/ColumnKey for the handlers that read `.value`."""

    value: str | None


@dataclass
class _ColumnKey:
    """Looks like DataTable's ColumnKey: every column has a key."""

    value: str


class RowTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    RowTable { height: 1fr; background: $surface; }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
    RowTable:blur > .row-table--cursor { background: $block-cursor-blurred-background; }
    RowTable > .row-table--even { background: $surface-lighten-1 20%; }
    """
    COMPONENT_CLASSES = {"row-table--header", "row-table--cursor", "row-table--even"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="row_table.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="row_table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="row_table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="row_table.page_down"),
        Binding("home", "edge(0)", "First", show=False, id="row_table.first"),
        Binding("end", "edge(1)", "Last", show=False, id="row_table.last"),
        Binding("enter", "select", "Select", show=False, id="row_table.select"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowHighlighted(Message):
        def __init__(self, table: RowTable, row: int, key: str | None) -> None:
            super().__init__()
            self.row_table = table
            self.cursor_row = row
            self.row_key = _Key(key)

        @property
        def control(self) -> RowTable:
            return self.row_table

    class RowSelected(RowHighlighted):
        pass

    class HeaderSelected(Message):
        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.row_table = table
            self.column_key = _ColumnKey(key)

        @property
        def control(self) -> RowTable:
            return self.row_table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[Column] = []
        self.rows: list[list[Text]] = []
        self.keys: list[str | None] = []

    # --- DataTable's interface, the part the app uses ---------------------------------------------------------

    def add_column(self, label: str, *, key: str, width: int | None = None, fill: bool = False, cap: int = 30,
                   least: int = 20, drop: int = 0) -> None:
        """A column `width` wide; without a width, as wide as its cells (up to cap); with fill, as wide as the
        other columns leave. drop: when the table is too narrow to show every column with the fill column at
        least `least` wide, the columns with the highest drop go first (lead, page...; never the text: 0)."""
        self.columns.append(Column(label, key, width or max(4, cell_len(label)), fixed=width is not None,
                                   fill=fill, cap=cap, least=least, drop=drop))
        self._resize()

    def add_columns(self, *labels: str) -> None:
        for label in labels:
            self.add_column(label, key=label)

    def add_row(self, *cells: Text | str, key: str | None = None) -> None:
        self.add_rows([(cells, key)])

    def add_rows(self, rows: Sequence[tuple[tuple[Text | str, ...], str | None]]) -> None:
        """Many rows at once, (cells, key) each: one resize and one refresh for them all."""
        fitted = [(n, c) for n, c in enumerate(self.columns) if not c.fixed and not c.fill]
        for cells, key in rows:
            row = [c if isinstance(c, Text) else Text(str(c)) for c in cells]
            for n, column in fitted:
                if n < len(row):
                    column.width = max(column.width, min(column.cap, cell_len(" ".join(row[n].plain.split()))))
            self.rows.append(row)
            self.keys.append(key)
        self._resize()

    def clear(self, columns: bool = False) -> None:
        self.rows.clear()
        self.keys.clear()
        if columns:
            self.columns.clear()
        for column in self.columns:
            if not column.fixed and not column.fill:
                column.width = max(4, cell_len(column.label))
        self.set_reactive(RowTable.cursor_row, 0)
        self.scroll_to(y=0, animate=False, immediate=True, force=True)
        self._resize()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, index: int) -> list[str]:
        return [cell.plain for cell in self.rows[index]]

    def move_cursor(self, *, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1)) if self.rows else 0

    # --- drawing ----------------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        if any(c.fill or c.drop for c in self.columns):
            self._resize()
        self._scroll_to_cursor()  # a list opened on a record far down (from the palette) shows it once laid out

    @property
    def shown_columns(self) -> list[Column]:
        return [c for c in self.columns if c.shown]

    def _resize(self) -> None:
        room = (self.size.width or self.app.size.width) - 2  # the scrollbar
        for column in self.columns:
            column.shown = True
        for column in sorted((c for c in self.columns if c.drop), key=lambda c: -c.drop):
            needed = sum((c.least if c.fill else c.width) + 2 for c in self.shown_columns)
            if needed <= room:
                break
            column.shown = False
        for column in self.shown_columns:
            if column.fill:  # what the others leave, their padding and the scrollbar counted
                others = sum(c.width + 2 for c in self.shown_columns if c is not column)
                # `least` is what the dropping aims at; once nothing more can go, the text takes what is left
                # (20 at the least) rather than push the table wider than the screen
                column.width = max(min(column.least, 20), room - others - 2)
        width = sum(c.width + 2 for c in self.shown_columns)
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.refresh()

    def _cells(self, cells: list[Text], style: Style, over: Style | None = None) -> list[Segment]:
        """The row's cells, each in its column's width; over: what goes over every cell's own style (the cursor's
        colours, so that a green "better" does not sit on the selection bar's navy in the light theme)."""
        segments = []
        for column, cell in zip(self.columns, cells, strict=False):
            if not column.shown:
                continue
            text = " ".join(cell.plain.split())
            if cell_len(text) > column.width:
                text = set_cell_size(text, column.width - 1) + "…"
            if cell.justify == "right":
                text = " " * (column.width - cell_len(text)) + text
            else:
                text = set_cell_size(text, column.width)
            cell_style = style + Style.parse(str(cell.style)) if cell.style else style
            if over is not None:
                cell_style += over
            segments.append(Segment(" " + text + " ", cell_style))
        return segments

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("row-table--header")
            segments = [Segment(" " + set_cell_size(c.label, c.width) + " ", style) for c in self.shown_columns]
            return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)
        index = scroll_y + y - 1
        if index >= len(self.rows):
            return Strip.blank(width, base)
        style, over = base, None
        if index % 2:
            style = style + self.get_component_rich_style("row-table--even")
        if index == self.cursor_row:
            over = self.get_component_rich_style("row-table--cursor")
            style = style + over
        return Strip(self._cells(self.rows[index], style, over)).crop_extend(scroll_x, scroll_x + width, style)

    # --- the cursor -------------------------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        top, visible = self.scroll_offset.y, max(1, self.size.height - 1)
        if top <= new < top + visible and 0 <= old < len(self.rows):
            self.refresh_line(old + 1)  # only the two rows that change (the header is line 0)
            self.refresh_line(new + 1)
        else:
            self._scroll_to_cursor()
            self.refresh()
        if self.rows:
            self.post_message(self.RowHighlighted(self, new, self.keys[new]))

    def _scroll_to_cursor(self) -> None:
        if not self.size.height:  # not laid out yet: on_resize scrolls when it is
            return
        visible = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True, force=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True, force=True)

    def action_cursor(self, by: int) -> None:
        if self.rows:
            self.move_cursor(row=self.cursor_row + by)

    def action_page(self, by: int) -> None:
        if self.rows:
            self.move_cursor(row=self.cursor_row + by * max(1, self.size.height - 2))

    def action_edge(self, end: int) -> None:
        if self.rows:
            self.move_cursor(row=len(self.rows) - 1 if end else 0)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.cursor_row, self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        y = event.y
        if y == 0:
            x = event.x + self.scroll_offset.x
            for column in self.shown_columns:
                if x < column.width + 2:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x -= column.width + 2
            return
        index = self.scroll_offset.y + y - 1
        if 0 <= index < len(self.rows):
            self.move_cursor(row=index)
