"""The briefing builder: the sections and items of a meeting's briefing beside a live Markdown preview.

Include or leave out any item, reorder items and sections, comment on an item, mark it restricted, put an overdue
action forward for discussion, add notes; export it as Markdown or Word (full, or public without restricted items
and comments); approve it (an approver: A), after which the status says whether it has changed since.

Every key shows what it did at once, in the list, with 500 items as with 5 (`make bench`): a decision changes its
row's cells in place, a move swaps two rows or sorts the table's rows, and the list draws only the lines that
changed (ItemsTable); the database is written on its thread. The preview is laid out again on that thread once the
keys stop (PREVIEW_DELAY), from the briefing in memory (it is read again only when the database has more to say),
and draws only the lines on screen (BriefingPreview). p lays out the other version once, and keeps both until the
next decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import DataTable, Markdown, Static

from accountability_tui.briefing.files import FileExists
from accountability_tui.briefing.model import Briefing, Item, PerformanceSection, Section
from accountability_tui.domain.errors import Conflict
from accountability_tui.services.briefing import ApprovalState, Version, approval_said, export_problem
from accountability_tui.ui.messages import DataChanged
from accountability_tui.ui.screens.base import Routed
from accountability_tui.ui.screens.text_prompt import TextPrompt
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import cell, clean, content, date_text
from accountability_tui.ui.widgets.title_bar import TitleBar


class BriefingPreview(Markdown):
    """The preview: the briefing's Markdown, drawn from its lines of text (briefing/text.py), only those on screen.

    Textual's Markdown widget mounts a widget for every block and every table cell: about 3,000 for a briefing of
    500 items, which took seconds to draw again after each decision while the keys waited. This one is given the
    lines, laid out on the database thread, and draws them; its `source` is the Markdown of the same version of
    the briefing (written when asked for)."""

    DEFAULT_CSS = """
    BriefingPreview { width: 1fr; height: auto; }
    BriefingPreview > .briefing-preview--h1 {
        color: $markdown-h1-color; background: $markdown-h1-background; text-style: $markdown-h1-text-style;
    }
    BriefingPreview > .briefing-preview--h2 {
        color: $markdown-h2-color; background: $markdown-h2-background; text-style: $markdown-h2-text-style;
    }
    BriefingPreview > .briefing-preview--h3 {
        color: $markdown-h3-color; background: $markdown-h3-background; text-style: $markdown-h3-text-style;
    }
    BriefingPreview > .briefing-preview--h4 {
        color: $markdown-h4-color; background: $markdown-h4-background; text-style: $markdown-h4-text-style;
    }
    BriefingPreview > .briefing-preview--header { color: $primary; text-style: bold; }
    BriefingPreview > .briefing-preview--rule { color: $foreground 30%; }
    BriefingPreview > .briefing-preview--quote { color: $primary; }
    """
    COMPONENT_CLASSES = {"briefing-preview--h1", "briefing-preview--h2", "briefing-preview--h3",
                         "briefing-preview--h4", "briefing-preview--header", "briefing-preview--rule",
                         "briefing-preview--quote"}

    class Resized(Message):
        """The preview's width changed: its lines are to be laid out again."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(None, id=id, open_links=False)
        self.version: Version | None = None
        self._height = 0
        self._strips: dict[int, Strip] = {}
        self._styles: dict[str, Style] = {}

    @property
    def source(self) -> str:
        return self.version.markdown if self.version is not None else ""

    def show(self, version: Version, height: int) -> None:
        """Show these lines, in a preview `height` lines tall."""
        self.version = version
        self._strips.clear()
        self.refresh(layout=height != self._height)  # the screen is laid out again only for a new height
        self._height = height

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._height

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        if self.version is not None and self.version.width != self.size.width:
            self.post_message(self.Resized())

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            base = self.rich_style
            if name in ("bold", "italic"):
                style = base + Style(bold=name == "bold", italic=name == "italic")
            elif name:
                style = base + self.get_component_rich_style(f"briefing-preview--{name}", partial=True)
            else:
                style = base
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        strip = self._strips.get(y)
        if strip is None:
            lines = self.version.lines if self.version is not None else []
            line = lines[y] if 0 <= y < len(lines) else ()
            strip = Strip([Segment(text, self._style(style)) for text, style in line]).crop_extend(
                0, self.size.width, self.rich_style)
            self._strips[y] = strip
        return strip


class ItemsTable(DataTable[Text]):
    """The builder's list: a DataTable whose lines are drawn here, and kept until their row changes.

    DataTable draws every row on screen again, cell by cell through Rich, whenever any cell changes or the cursor
    moves (its caches are keyed on a count of changes and on the cursor's place): 20 ms or more for each key in
    the builder. This draws the builder's cells (one line of text in one style each) itself, and keeps each line
    until its cells, the cursor on it, the widths or the styles change. Everything else is DataTable's."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row")
        self._lines: dict[int, tuple[tuple[object, ...], list[object], Strip]] = {}  # by line on screen
        self._base: Style | None = None
        self.drawn = 0  # lines drawn (not taken from what was kept): a key should draw only the rows it changed
        self._cell_styles: dict[str, Style] = {}

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._cell_styles.clear()

    def _cell_style(self, cell: object) -> Style:
        name = cell.style if isinstance(cell, Text) else ""
        if isinstance(name, Style):
            return name
        style = self._cell_styles.get(name)
        if style is None:
            style = self._cell_styles[name] = Style.parse(name) if name else Style()
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self.rich_style  # once for the lines drawn together
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        header = self.header_height if self.show_header else 0
        index = -1 if y < header else y - header + scroll_y
        base = self._base or self.rich_style
        if index >= self.row_count:
            return Strip.blank(width, base)
        columns = self.ordered_columns
        cells: list[object] = [c.label for c in columns] if index < 0 else list(self.get_row_at(index))
        cursor = index >= 0 and self.show_cursor and index == self.cursor_row
        hover = index >= 0 and getattr(self, "_show_hover_cursor", False) and index == self.hover_row
        widths = tuple(c.get_render_width(self) for c in columns)
        state = (index, cursor, hover, self.has_focus, widths, width, scroll_x, base)
        kept = self._lines.get(y)
        if kept is not None and kept[0] == state and all(a is b for a, b in zip(kept[1], cells, strict=True)):
            return kept[2]
        if index < 0:
            row_style = base + self.get_component_rich_style("datatable--header")
        elif hover and not cursor:
            row_style = base + self.get_component_rich_style("datatable--hover")
        else:
            row_style = base
        over = self.get_component_rich_style("datatable--cursor") if cursor else None
        padding = " " * self.cell_padding
        segments: list[Segment] = []
        for column, (value, size) in enumerate(zip(cells, widths, strict=True)):
            meta = Style.from_meta({"row": index, "column": column})
            text = value.plain if isinstance(value, Text) else str(value)
            room = size - 2 * len(padding)
            length = cell_len(text)
            if length > room:
                text = set_cell_size(text, room - 1) + "…" if room > 0 else ""
            elif isinstance(value, Text) and value.justify == "right":
                text = " " * (room - length) + text
            else:
                text += " " * (room - length)
            style = row_style + self._cell_style(value)
            edge = row_style
            if over is not None:
                style, edge = style + over, edge + over
            segments += [Segment(padding, edge + meta), Segment(text, style + meta), Segment(padding, edge + meta)]
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, base)
        self._lines[y] = (state, cells, strip)
        self.drawn += 1
        return strip


class BriefingScreen(Routed, Screen[None]):
    DEFAULT_CSS = """
    BriefingScreen #builder { height: 1fr; }
    BriefingScreen #items { width: 1fr; height: 1fr; }
    BriefingScreen #preview-box { width: 1fr; height: 1fr; border-left: solid $primary; overflow-y: scroll; }
    BriefingScreen.-narrow #builder { layout: vertical; }
    /* what the Commissioner will read: the larger part */
    BriefingScreen.-narrow #preview-box { height: 3fr; border-left: none; border-top: solid $primary; }
    BriefingScreen.-narrow #items { height: 2fr; }
    BriefingScreen #status { height: auto; padding: 0 1; background: $boost; }
    """
    # in the footer in this order, as far as the width goes (? lists them all): what an officer does to every
    # briefing first (in or out, a note, a comment, the export), the finer decisions after
    BINDINGS = [
        Binding("space", "toggle_included", "In/out", id="briefing.include"),
        Binding("n", "note", "Add note", id="briefing.note"),
        Binding("c", "comment", "Comment", id="briefing.comment"),
        Binding("x", "export", "Export", id="briefing.export"),
        Binding("p", "toggle_public", "Public view", id="briefing.public"),
        Binding("d", "toggle_discuss", "Discuss", id="briefing.discuss"),
        Binding("r", "toggle_restricted", "Restricted", id="briefing.restricted"),
        Binding("A", "approve", "Approve", id="briefing.approve"),
        Binding("u", "toggle_shared", "Public note", id="briefing.shared"),
        Binding("w", "export('docx')", "Export Word", id="briefing.export_word"),
        Binding("K", "move(-1)", "Move up", id="briefing.up"),
        Binding("J", "move(1)", "Move down", id="briefing.down"),
        Binding("delete", "delete_note", "Delete note", id="briefing.delete", show=False),
        Binding("escape", "leave", "Back", id="briefing.back"),
    ]

    class Built(Message):
        def __init__(self, version: Version, read: bool, decisions: int) -> None:
            super().__init__()
            self.version = version
            self.read = read  # read from the database (else laid out again from the briefing in memory)
            self.decisions = decisions  # the decisions made when it was asked for

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.briefing: Briefing | None = None
        self.versions: dict[bool, Version] = {}  # the preview laid out, full (False) or public (True)
        self._laid_out_at: dict[bool, int] = {}  # the decisions made when each was laid out
        self._status_height = 0
        self._status_shown: tuple[str, int] | None = None
        self.public = False
        self.rows: list[tuple[str, Item | None]] = []  # (section key, item or None for the section's own row)
        self._shown: list[tuple[str, str, str, int]] = []  # what each row shows: (in, flags, label, label width)
        self.cursor_key: str | None = None
        self._preview_timer: Timer | None = None
        self._decisions = 0  # decisions made: a preview started before the latest one is out of date
        self._read_again = True  # the next preview reads the briefing from the database

    @property
    def markdown(self) -> str:
        """The Markdown of the version the preview shows."""
        version = self.versions.get(self.public)
        return version.markdown if version is not None else ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Building the briefing…", id="status")
        with Horizontal(id="builder"):
            yield ItemsTable(id="items")
            with VerticalScroll(id="preview-box"):
                yield BriefingPreview(id="preview")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#items", DataTable)
        for label, key in (("In", "in"), ("Flags", "flags"), ("Item", "item")):
            table.add_column(label, key=key)
        table.focus()
        self.set_class(self.app.size.width < 140, "-narrow")
        self.call_after_refresh(self.rebuild)  # once laid out: the preview's width is known

    def on_data_changed(self, message: DataChanged) -> None:
        """Another officer saved (the app looks every two seconds): the briefing as it is now, and so whether it
        has changed since its approval (two people preparing one meeting see each other's decisions)."""
        self.rebuild()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 140, "-narrow")
        self.call_after_refresh(self._show_status)  # its height at the new width

    def _preview_width(self) -> int:
        width = self.query_one(BriefingPreview).size.width
        if width > 0:
            return width
        box = self.size.width if self.has_class("-narrow") else self.size.width // 2 - 1
        return max(20, box - 2 - 4)  # its scroll bar, the Markdown's padding

    @work(exclusive=True, group="briefing", exit_on_error=False)
    async def rebuild(self) -> None:
        """Read the briefing from the database, and lay out the version of it the preview shows."""
        self._read_again = True
        decisions = self._decisions
        version = await self.shell.db(self.services.briefings.preview, self.meeting_id, public=self.public,
                                      width=self._preview_width())
        if decisions == self._decisions:  # else a decision came meanwhile: its save brings the next preview
            self.post_message(self.Built(version, read=True, decisions=decisions))

    @work(exclusive=True, group="briefing", exit_on_error=False)
    async def rerender(self) -> None:
        """Lay out the preview again from the briefing in memory: after a decision that the list shows already
        and the database holds (reading the briefing again would give the same), for p, or at a new width."""
        briefing, decisions = self.briefing, self._decisions
        if briefing is None:
            return
        version = await self.shell.db(self.services.briefings.rendered, briefing, public=self.public,
                                      width=self._preview_width())
        if decisions == self._decisions:
            self.post_message(self.Built(version, read=False, decisions=decisions))

    def on_briefing_preview_resized(self, message: BriefingPreview.Resized) -> None:
        self._preview_now()

    def on_briefing_screen_built(self, message: Built) -> None:
        version = message.version
        if message.read:
            self._read_again = False
            self._show_rows(version.briefing)
        elif version.briefing is not self.briefing:
            return  # laid out from a briefing since read again
        # the other version stays (p shows it at once, and lays it out again if decisions were made since), if
        # laid out at the same width
        self.versions = {public: v for public, v in self.versions.items() if v.width == version.width}
        self.versions[version.public] = version
        self._laid_out_at[version.public] = message.decisions
        self._show_status()
        self._show_preview()

    def _show_rows(self, briefing: Briefing) -> None:
        """The list, for the briefing as read: only the cells that differ are drawn again if its rows are the
        same; else it is made again, the cursor kept on its row."""
        self.briefing = briefing
        table = self.query_one("#items", DataTable)
        rows: list[tuple[str, Item | None]] = []
        for section in briefing.sections:
            rows.append((section.key, None))
            rows += [(section.key, item) for item in section.items]
        keys = [self._key(*row) for row in rows]
        width = self._label_width()
        if self.cursor_key is None and keys == [self._key(*row) for row in self.rows]:
            self.rows = rows
            for at in range(len(rows)):
                self._draw(table, at, width)
        else:
            keep = self.cursor_key or (self._key(*self.rows[table.cursor_row]) if self.rows else None)
            self.cursor_key = None
            table.clear()
            self.rows, self._shown = rows, []
            for at, row in enumerate(rows):
                self._shown.append(shown := self._cells(*row, width=width))
                table.add_row(*(self._renderable(column, shown) for column in range(3)), key=keys[at])
            table.move_cursor(row=keys.index(keep) if keep in keys else 0)

    def _status(self, public: bool) -> str:
        assert self.briefing is not None
        m = self.briefing.meeting
        items = self.briefing.item_count()
        view = "public" if public else "full"  # the public version's first lines say what it leaves out
        approval = f" — {approval_said(self.briefing.approval)}" if m else ""
        # one line at 120 columns if it can (the meeting's title is the preview's first line; the keys are in the
        # footer and ?): the rest is the preview's room
        return (f"Briefing for {date_text(m.date) if m else 'an ad-hoc meeting'} — {items} items{approval} — "
                f"preview: {view}")

    def _show_status(self) -> None:
        """The status, as tall as its longer version: p changes its words, not the screen's layout."""
        if self.briefing is None:
            return
        status = self.query_one("#status", Static)
        text = self._status(self.public)
        width = status.size.width or self.size.width - 2
        height = max(content(self._status(public)).get_height({}, width) for public in (False, True))
        if height != self._status_height:
            self._status_height = height
            status.styles.height = height  # the screen is laid out again
        if (text, width) != self._status_shown:
            self._status_shown = (text, width)
            status.update(content(text), layout=False)  # its size is set above

    def _current(self) -> bool:
        """The version the preview is to show is laid out, with every decision, at the preview's width."""
        version = self.versions.get(self.public)
        return (version is not None and self._laid_out_at.get(self.public) == self._decisions
                and not self._read_again and version.width == self._preview_width())

    def _show_preview(self) -> None:
        """Show the version asked for (p) if it is laid out; lay it out now if it is not, or not as it is now."""
        version = self.versions.get(self.public)
        if version is not None:  # as tall as the longest version laid out: p changes lines, not the screen's layout
            self.query_one(BriefingPreview).show(version, max(len(v.lines) for v in self.versions.values()))
        if version is None or version.width != self._preview_width():
            self._preview_now()

    @staticmethod
    def _key(section: str, item: Item | None) -> str:
        return f"{section}" if item is None else f"{section}:{item.kind}:{item.ref_id}"

    @property
    def selected(self) -> tuple[str, Item | None] | None:
        table = self.query_one("#items", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # --- the rows ----------------------------------------------------------------------------------------------

    def _cells(self, section_key: str, item: Item | None, width: int | None = None) -> tuple[str, str, str, int]:
        """What a row shows: its mark, its flags and its label (cut to the width)."""
        if item is None:
            assert self.briefing is not None
            number, section = next((n, s) for n, s in enumerate(self.briefing.sections, start=1)
                                   if s.key == section_key)
            return ("§", "", self._section_label(section, number).plain, 0)
        return (*self._marks(item), item.label, width or self._label_width())

    @staticmethod
    def _renderable(column: int, shown: tuple[str, str, str, int]) -> Text:
        mark, flags, label, width = shown
        if column == 0:
            return Text(mark, style="bold" if mark == "§" else "green" if mark == "✓" else "red")
        if column == 1:
            return Text(flags)
        return Text(label, style="bold") if mark == "§" else cell(label, limit=width)

    def _draw(self, table: DataTable[Text], at: int, width: int | None = None) -> None:
        """Show row `at` as it is now: only the cells that changed are drawn again."""
        shown = self._cells(*self.rows[at], width=width)
        before = self._shown[at]
        for column in range(3):
            if shown[column] != before[column] or (column == 2 and shown[3] != before[3]):
                table.update_cell_at(Coordinate(at, column), self._renderable(column, shown))
        self._shown[at] = shown

    def _section_row(self, section_key: str) -> int:
        return next(n for n, (key, item) in enumerate(self.rows) if key == section_key and item is None)

    # --- decisions -------------------------------------------------------------------------------------------

    @staticmethod
    def _marks(item: Item) -> tuple[str, str]:
        flags = ("P" if item.public and (item.comment or item.kind == "note") else "·") + \
                ("R" if item.restricted else "·") + ("C" if item.comment else "·") + ("D" if item.discuss else "·")
        return ("✓" if item.included else "✗", flags)

    @staticmethod
    def _section_label(section: Section, number: int) -> Text:
        shown = sum(1 for i in section.items if i.included)
        count = f" — {shown} of {len(section.items)} in" if section.key != "details" else ""
        if isinstance(section, PerformanceSection):  # no items to put in or out: its measures are all in
            measures = sum(len(o.measures) for o in section.objectives)
            public = sum(len(o.measures) for o in section.public_objectives)
            count = f" — {measures} measure{'' if measures == 1 else 's'}" if measures else " — no measures yet"
            if public != measures:
                count += f", {public} in the public version"
        return Text(f"{number}. {section.title}{count}", style="bold")

    PREVIEW_DELAY = 0.4  # the preview is written again once the keys stop (each key shows at once in the list)

    def preview_later(self, read: bool = False) -> None:
        """The preview, once the keys stop: read from the database if this or an earlier request needs it."""
        self._read_again |= read
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(self.PREVIEW_DELAY, self._preview_now)

    def _preview_now(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        if self._read_again:
            self.rebuild()
        elif not self._current():
            self.rerender()

    async def _saved(self, save: Callable[..., None], *args: object, read: bool = False) -> None:
        """Write a decision on the database thread; then the preview. read: the preview needs more than the
        briefing in memory has (the questions' asking order, after they are moved). A decision refused (a read-only
        file, say) is read back: the list shows what the database holds."""
        try:
            await self.shell.db(save, *args)
        except Exception:
            self.preview_later(read=True)
            raise
        self.preview_later(read)

    def _set(self, **changes: bool | str) -> None:
        """A decision about the item under the cursor: shown in its row at once, saved, the preview after."""
        selected = self.selected
        if selected is None or selected[1] is None or self.briefing is None:
            self.app.notify("Move to an item first (section rows can only be moved)", markup=False)
            return
        item = selected[1]
        for name, value in changes.items():
            setattr(item, name, (value or None) if name == "comment" else value)
        self._decisions += 1
        table = self.query_one("#items", DataTable)
        self._draw(table, table.cursor_row)
        self._draw(table, self._section_row(selected[0]))
        save = partial(self.services.briefings.set, self.meeting_id, item, **changes)  # type: ignore[arg-type]
        self.spawn(self._saved(save), group="decide")

    def action_toggle_included(self) -> None:
        if self.selected and self.selected[1] is not None:
            self._set(included=not self.selected[1].included)

    def action_toggle_shared(self) -> None:
        """A note, or an item's comment, goes into the public version (they are internal until marked)."""
        item = self.selected[1] if self.selected else None
        if item is None:
            return
        if item.kind != "note" and not item.comment:
            self.app.notify("Only notes and comments are internal until marked public (c adds a comment)",
                            markup=False)
            return
        self._set(public=not item.public)

    def action_toggle_restricted(self) -> None:
        if self.selected and self.selected[1] is not None:
            self._set(restricted=not self.selected[1].restricted)

    def action_toggle_discuss(self) -> None:
        if self.selected and self.selected[1] is not None:
            if self.selected[0] != "overdue":
                self.app.notify("Only overdue actions are put forward for discussion", markup=False)
                return
            self._set(discuss=not self.selected[1].discuss)

    def action_comment(self) -> None:
        from accountability_tui.ui.screens.text_prompt import ProsePrompt

        if not self.selected or self.selected[1] is None:
            return
        item = self.selected[1]

        def done(text: str | None) -> None:
            if text is not None:
                self._set(comment=text)

        self.app.push_screen(ProsePrompt(f"Comment on: {clean(item.label, one_line=True, limit=80)}",
                                         value=item.comment or "", required=False,
                                         hint="Shown in the full briefing, left out of the public one. Empty removes it.",
                                         what="comment",
                                         draft_key=f"briefing-comment:{self.meeting_id}:{item.section}:{item.kind}:"
                                                   f"{item.ref_id}"),
                             done)

    def action_note(self) -> None:
        from accountability_tui.ui.screens.text_prompt import ProsePrompt

        async def add(text: str) -> None:
            self._decisions += 1
            note_id = await self.shell.db(self.services.briefings.add_note, self.meeting_id, text)
            self.cursor_key = f"notes:note:{note_id}"
            self.rebuild()

        def done(text: str | None) -> None:
            if text:
                self.spawn(add(text))

        self.app.push_screen(ProsePrompt("A note for the briefing", hint="It goes into 'Officer's notes'.", what="note",
                                         draft_key=f"briefing-note:{self.meeting_id}"), done)

    def action_delete_note(self) -> None:
        selected = self.selected
        if selected and selected[1] is not None and selected[1].kind == "note":
            note_id = selected[1].ref_id

            async def delete() -> None:
                self._decisions += 1
                await self.shell.db(self.services.briefings.delete_note, self.meeting_id, note_id)
                self.rebuild()

            self.spawn(delete(), group="decide")

    def action_move(self, by: int) -> None:
        """K/J: the item (or, on a section's row, the section) changes places with the one above or below, in the
        list at once; then saved."""
        selected = self.selected
        if selected is None or self.briefing is None:
            return
        section_key, item = selected
        briefings = self.services.briefings
        table = self.query_one("#items", DataTable)
        if item is None:  # the whole section
            order = [s.key for s in self.briefing.sections]
            index = order.index(section_key)
            target = index + by
            if not 0 <= target < len(order):
                return
            order[index], order[target] = order[target], order[index]
            self._decisions += 1
            self.briefing.sections = [self.briefing.section(key) for key in order]
            self._reorder(table, order)
            table.move_cursor(row=self._section_row(section_key))
            self.spawn(self._saved(briefings.move_section, self.meeting_id, order), group="decide")
        else:
            items = self.briefing.section(section_key).items
            index = next(n for n, i in enumerate(items) if i is item)
            target = index + by
            if not 0 <= target < len(items):
                return
            items[index], items[target] = items[target], items[index]
            self._decisions += 1
            # the two rows change places in the list, and the cursor goes with the item
            row = table.cursor_row
            other = row + (target - index)
            self.rows[row], self.rows[other] = self.rows[other], self.rows[row]
            for at in (row, other):
                self._draw(table, at)
            table.move_cursor(row=other)
            self.spawn(self._saved(briefings.move_item, self.meeting_id, section_key, [i.key for i in items],
                                   read=section_key == "questions"), group="decide")

    def _reorder(self, table: DataTable[Text], order: list[str]) -> None:
        """The list's rows in the sections' new order: the table's rows are sorted, not made again."""
        rows: dict[str, list[int]] = {key: [] for key in order}
        for at, (key, _) in enumerate(self.rows):
            rows[key].append(at)
        moved = [at for key in order for at in rows[key]]  # the row now at n was at moved[n]
        place = {id(table.get_cell_at(Coordinate(at, 2))): n for n, at in enumerate(moved)}
        table.sort("item", key=lambda label: place[id(label)])
        self.rows = [self.rows[at] for at in moved]
        self._shown = [self._shown[at] for at in moved]
        for key in order:  # their numbers
            self._draw(table, self._section_row(key))

    def _label_width(self) -> int:
        return max(30, (self.size.width if self.has_class("-narrow") else self.size.width // 2) - 16)

    def action_toggle_public(self) -> None:
        """The preview shows the other version at once, as last laid out; if decisions were made since (or it
        never was), it is laid out now, once on screen (the preview waiting for the keys to stop is not needed any
        more)."""
        self.public = not self.public
        self._show_status()
        if self.briefing is None:
            self.rebuild()
            return
        version = self.versions.get(self.public)
        if version is not None:
            self.query_one(BriefingPreview).show(version, max(len(v.lines) for v in self.versions.values()))
        if not self._current():  # once it is on screen: laying out takes the processor the screen needs
            self.call_after_refresh(self._preview_now)

    def action_export(self, format: str = "md") -> None:
        """Ask where to write the briefing: the name's ending decides its format (.docx is Word, else Markdown);
        w suggests a .docx name, x a .md one."""
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        if self.briefing is None:
            return
        day = self.briefing.meeting.date if self.briefing.meeting else dt.date.today()
        suffix = ".docx" if format == "docx" else ".md"
        suggested = str(self.shell.export_folder / f"briefing-{day.isoformat()}{'-public' if self.public else ''}"
                        f"{suffix}")
        public = self.public

        async def write(path: str, force: bool) -> None:
            try:
                written = await self.shell.db(self.services.briefings.export, self.meeting_id, path, public=public,
                                              force=force)
            except FileExists:
                def confirmed(yes: bool | None) -> None:
                    if yes:
                        self.spawn(write(path, True))

                self.app.push_screen(ConfirmScreen(f"{path} already exists. Replace it?"), confirmed)
                return
            self.app.notify(f"Briefing written to {written}", markup=False, timeout=12)

        def chosen(path: str | None) -> None:
            if path:
                self.spawn(write(path, False), group="export")

        self.app.push_screen(ExportPrompt(f"Export the {'public' if public else 'full'} briefing to", value=suggested,
                                        hint="A Word file (.docx) or Markdown (.md, or any other name): the name's "
                                             "ending decides. Press p first for the public version.",
                                        precious=False),
                             chosen)

    def action_approve(self) -> None:
        """A: approve the briefing as the database holds it now, after a question that says what it was before.
        Only an approver may: the services refuse anyone else (one line, as every refusal)."""
        self.spawn(self._approve(), group="approve", exclusive=True)

    async def _approve(self) -> None:
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        briefings = self.services.briefings
        await self.shell.db(self.services.access.require_approver)  # refused at once, not after the question
        state: ApprovalState = await self.shell.db(briefings.approval, self.meeting_id)  # after the saves queued
        shown = self.briefing
        if shown is None or await self.shell.db(briefings.fingerprint, shown) != state.fingerprint:
            self.rebuild()  # another officer's change, say: the approver approves only what they have seen
            self.app.notify("The briefing has changed since it was shown: look at it again, then press A to approve "
                            "it", severity="warning", markup=False)
            return
        earlier = "; ".join(f"{a.who} on {a.on:%-d %B %Y}" + (" (other content)" if a.changed else "")
                            for a in state.history[-4:-1])  # before the latest, which "Now" says
        detail = (f"Now: {state.says()}." + (f" Approved before by {earlier}." if earlier else "")
                  + " Your name and today's date go into the briefing; any change to what it contains afterwards "
                    "shows as changed since approval until it is approved again.")

        async def approve() -> None:
            try:
                approval = await self.shell.db(briefings.approve, self.meeting_id, seen=state.fingerprint)
            except Conflict:  # changed meanwhile: the approver sees it as it is now before approving
                self.rebuild()
                raise
            self.app.notify(f"Briefing approved by {approval.who}", markup=False)
            self.rebuild()

        def answered(yes: bool | None) -> None:
            if yes:
                self.spawn(approve(), group="approve")

        self.app.push_screen(ConfirmScreen("Approve this briefing as it stands?", detail), answered)

    def action_leave(self) -> None:
        self.shell.data_changed()
        self.app.pop_screen()


class ExportPrompt(TextPrompt):
    """The file to export to: a folder that does not exist is said at once, and the prompt stays open."""

    def parse(self, value: str) -> str:
        path = super().parse(value)
        problem = export_problem(path, self.shell.export_folder)
        if problem:
            raise ValueError(problem)
        return path

