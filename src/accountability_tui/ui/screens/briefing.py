"""The briefing builder: the sections and items of a meeting's briefing beside a live Markdown preview.

Include or leave out any item, reorder items and sections, comment on an item, mark it restricted, put an overdue
action forward for discussion, add notes; export it as Markdown or Word (full, or public without restricted items
and comments).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Markdown, Static

from accountability_tui.briefing.files import FileExists
from accountability_tui.briefing.model import Briefing, Item, Section
from accountability_tui.services.briefing import Preview, export_folder, export_problem
from accountability_tui.ui.screens.base import Routed
from accountability_tui.ui.screens.text_prompt import TextPrompt
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import cell, clean, content
from accountability_tui.ui.widgets.title_bar import TitleBar


class BriefingScreen(Routed, Screen[None]):
    DEFAULT_CSS = """
    BriefingScreen #builder { height: 1fr; }
    BriefingScreen #items { width: 1fr; height: 1fr; }
    BriefingScreen #preview-box { width: 1fr; height: 1fr; border-left: solid $primary; }
    BriefingScreen.-narrow #builder { layout: vertical; }
    BriefingScreen.-narrow #preview-box { border-left: none; border-top: solid $primary; }
    BriefingScreen #status { height: auto; padding: 0 1; background: $boost; }
    """
    BINDINGS = [
        Binding("space", "toggle_included", "In/out", id="briefing.include"),
        Binding("r", "toggle_restricted", "Restricted", id="briefing.restricted"),
        Binding("c", "comment", "Comment", id="briefing.comment"),
        Binding("d", "toggle_discuss", "Discuss", id="briefing.discuss"),
        Binding("K", "move(-1)", "Move up", id="briefing.up"),
        Binding("J", "move(1)", "Move down", id="briefing.down"),
        Binding("n", "note", "Add note", id="briefing.note"),
        Binding("delete", "delete_note", "Delete note", id="briefing.delete", show=False),
        Binding("u", "toggle_shared", "Public note", id="briefing.shared"),
        Binding("p", "toggle_public", "Public view", id="briefing.public"),
        Binding("x", "export", "Export", id="briefing.export"),
        Binding("w", "export('docx')", "Export Word", id="briefing.export_word"),
        Binding("escape", "leave", "Back", id="briefing.back"),
    ]

    class Built(Message):
        def __init__(self, preview: Preview) -> None:
            super().__init__()
            self.briefing = preview.briefing
            self.markdown = preview.markdown

    def __init__(self, meeting_id: int) -> None:
        super().__init__()
        self.meeting_id = meeting_id
        self.briefing: Briefing | None = None
        self.markdown = ""
        self.public = False
        self.rows: list[tuple[str, Item | None]] = []  # (section key, item or None for the section's own row)
        self.cursor_key: str | None = None
        self._preview_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Building the briefing…", id="status")
        with Horizontal(id="builder"):
            yield DataTable(id="items", cursor_type="row")
            with VerticalScroll(id="preview-box"):
                yield Markdown("", id="preview", open_links=False)
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#items", DataTable)
        for label, key in (("In", "in"), ("Flags", "flags"), ("Item", "item")):
            table.add_column(label, key=key)
        table.focus()
        self.set_class(self.app.size.width < 140, "-narrow")
        self.rebuild()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 140, "-narrow")

    @work(exclusive=True, group="briefing", exit_on_error=False)
    async def rebuild(self) -> None:
        self.post_message(self.Built(await self.shell.db(self.services.briefings.preview, self.meeting_id,
                                                         public=self.public)))

    async def on_briefing_screen_built(self, message: Built) -> None:
        self.briefing = message.briefing
        self.markdown = message.markdown
        table = self.query_one("#items", DataTable)
        keep = self.cursor_key or (self._key(*self.rows[table.cursor_row]) if self.rows else None)
        self.cursor_key = None
        table.clear()
        self.rows = []
        width = max(30, (self.size.width if self.has_class("-narrow") else self.size.width // 2) - 16)
        for number, section in enumerate(self.briefing.sections, start=1):
            self.rows.append((section.key, None))
            table.add_row(Text("§", style="bold"), Text(""), self._section_label(section, number),
                          key=self._key(section.key, None))
            for item in section.items:
                self.rows.append((section.key, item))
                table.add_row(*self._marks(item), cell(item.label, limit=width), key=self._key(section.key, item))
        index = next((n for n, row in enumerate(self.rows) if self._key(*row) == keep), 0)
        table.move_cursor(row=index)
        m = self.briefing.meeting
        items = self.briefing.item_count()
        view = ("public view (no restricted items; only the notes and comments marked public)" if self.public
                else "full view")
        self.query_one("#status", Static).update(content(
            f"Briefing for {m.label if m else 'an ad-hoc meeting'} — {items} items — preview: {view}\n"
            "space in/out · r restricted · c comment · u public note/comment · d discuss · K/J move · n note · "
            "p public view · "
            "x export (.md or .docx) · w export Word"))
        await self.query_one("#preview", Markdown).update(self.markdown)

    @staticmethod
    def _key(section: str, item: Item | None) -> str:
        return f"{section}" if item is None else f"{section}:{item.kind}:{item.ref_id}"

    @property
    def selected(self) -> tuple[str, Item | None] | None:
        table = self.query_one("#items", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # --- decisions -------------------------------------------------------------------------------------------

    @staticmethod
    def _marks(item: Item) -> tuple[Text, Text]:
        flags = ("P" if item.public and (item.comment or item.kind == "note") else "·") + \
                ("R" if item.restricted else "·") + ("C" if item.comment else "·") + ("D" if item.discuss else "·")
        return (Text("✓" if item.included else "✗", style="green" if item.included else "red"), Text(flags))

    @staticmethod
    def _section_label(section: Section, number: int) -> Text:
        shown = sum(1 for i in section.items if i.included)
        count = f" — {shown} of {len(section.items)} in" if section.key != "details" else ""
        return Text(f"{number}. {section.title}{count}", style="bold")

    PREVIEW_DELAY = 0.4  # the preview is written again once the keys stop (each key shows at once in the list)

    def preview_later(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(self.PREVIEW_DELAY, self.rebuild)

    def _set(self, **changes: bool | str) -> None:
        """A decision about the item under the cursor: shown in its row at once, saved, the preview after."""
        selected = self.selected
        if selected is None or selected[1] is None or self.briefing is None:
            self.app.notify("Move to an item first (section rows can only be moved)", markup=False)
            return
        item = selected[1]
        for name, value in changes.items():
            setattr(item, name, (value or None) if name == "comment" else value)
        table = self.query_one("#items", DataTable)
        row = table.cursor_row
        marks = self._marks(item)
        table.update_cell_at(Coordinate(row, 0), marks[0])
        table.update_cell_at(Coordinate(row, 1), marks[1])
        numbers = [s.key for s in self.briefing.sections]
        section_row = next(n for n, (key, it) in enumerate(self.rows) if key == selected[0] and it is None)
        table.update_cell_at(Coordinate(section_row, 2), self._section_label(self.briefing.section(selected[0]),
                                                                             numbers.index(selected[0]) + 1))

        async def save() -> None:
            await self.shell.db(self.services.briefings.set, self.meeting_id, item, **changes)  # type: ignore[arg-type]
            self.preview_later()

        self.spawn(save(), group="decide")

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
        from accountability_tui.ui.screens.text_prompt import TextPrompt

        if not self.selected or self.selected[1] is None:
            return
        item = self.selected[1]

        def done(text: str | None) -> None:
            if text is not None:
                self._set(comment=text)

        self.app.push_screen(TextPrompt(f"Comment on: {clean(item.label, one_line=True, limit=80)}",
                                        value=item.comment or "", required=False,
                                        hint="Shown in the full briefing, left out of the public one. Empty removes it.",
                                        what="comment",
                                        draft_key=f"briefing-comment:{self.meeting_id}:{item.section}:{item.kind}:"
                                                  f"{item.ref_id}"),
                             done)

    def action_note(self) -> None:
        from accountability_tui.ui.screens.text_prompt import TextPrompt

        async def add(text: str) -> None:
            note_id = await self.shell.db(self.services.briefings.add_note, self.meeting_id, text)
            self.cursor_key = f"notes:note:{note_id}"
            self.rebuild()

        def done(text: str | None) -> None:
            if text:
                self.spawn(add(text))

        self.app.push_screen(TextPrompt("A note for the briefing", hint="It goes into 'Officer's notes'.", what="note",
                                        draft_key=f"briefing-note:{self.meeting_id}"), done)

    def action_delete_note(self) -> None:
        selected = self.selected
        if selected and selected[1] is not None and selected[1].kind == "note":
            note_id = selected[1].ref_id

            async def delete() -> None:
                await self.shell.db(self.services.briefings.delete_note, self.meeting_id, note_id)
                self.rebuild()

            self.spawn(delete(), group="decide")

    def action_move(self, by: int) -> None:
        selected = self.selected
        if selected is None or self.briefing is None:
            return
        section_key, item = selected
        briefings = self.services.briefings
        if item is None:  # move the whole section
            order = [s.key for s in self.briefing.sections]
            index = order.index(section_key)
            target = index + by
            if not 0 <= target < len(order):
                return
            order[index], order[target] = order[target], order[index]
            self.cursor_key = section_key
            self.spawn(self._moved(briefings.move_section, self.meeting_id, order), group="decide")
        else:
            keys = [i.key for i in self.briefing.section(section_key).items]
            index = keys.index(item.key)
            target = index + by
            if not 0 <= target < len(keys):
                return
            keys[index], keys[target] = keys[target], keys[index]
            self.cursor_key = self._key(section_key, item)
            # shown at once: the two rows change places in the list, and the cursor goes with the item
            section = self.briefing.section(section_key)
            items = section.items
            items[index], items[target] = items[target], items[index]
            row = self.rows.index((section_key, item))
            other = row + (target - index)
            self.rows[row], self.rows[other] = self.rows[other], self.rows[row]
            table = self.query_one("#items", DataTable)
            for at in (row, other):
                moved = self.rows[at][1]
                if moved is not None:
                    marks = self._marks(moved)
                    for column, value in enumerate((*marks, cell(moved.label, limit=self._label_width()))):
                        table.update_cell_at(Coordinate(at, column), value)
            table.move_cursor(row=other)
            self.spawn(self._moved(briefings.move_item, self.meeting_id, section_key, keys), group="decide")

    def _label_width(self) -> int:
        return max(30, (self.size.width if self.has_class("-narrow") else self.size.width // 2) - 16)

    async def _moved(self, move: Callable[..., None], *args: object) -> None:
        await self.shell.db(move, *args)
        self.preview_later()

    def action_toggle_public(self) -> None:
        self.public = not self.public
        self.rebuild()

    def action_export(self, format: str = "md") -> None:
        """Ask where to write the briefing: the name's ending decides its format (.docx is Word, else Markdown);
        w suggests a .docx name, x a .md one."""
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        if self.briefing is None:
            return
        day = self.briefing.meeting.date if self.briefing.meeting else dt.date.today()
        suffix = ".docx" if format == "docx" else ".md"
        suggested = str(export_folder() / f"briefing-{day.isoformat()}{'-public' if self.public else ''}{suffix}")
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

    def action_leave(self) -> None:
        self.shell.data_changed()
        self.app.pop_screen()


class ExportPrompt(TextPrompt):
    """The file to export to: a folder that does not exist is said at once, and the prompt stays open."""

    def parse(self, value: str) -> str:
        path = super().parse(value)
        problem = export_problem(path)
        if problem:
            raise ValueError(problem)
        return path

