"""Actions: a filterable, sortable table of a plan's actions, with the chosen action's detail below it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from accountability_tui.domain.models import ActionRow, Rag, Status
from accountability_tui.services.actions import (
    COUNT_CAP,
    CURRENT,
    ActionDetailData,
    ActionFilter,
    ActionsPage,
)
from accountability_tui.ui.screens.action_tracker import TrackerKeys
from accountability_tui.ui.screens.base import ListScreen
from accountability_tui.ui.widgets.action_detail import ActionDetail
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, content, date_text
from accountability_tui.ui.widgets.title_bar import TitleBar

COLUMNS = [("Ref", "ref"), ("Priority / theme", "priority"), ("Action", "text"), ("Lead", "lead"),
           ("Status", "status"), ("As at", "as_at"), ("RAG", "rag"), ("Due", "due"), ("Days over", "days_overdue")]


OPTIONAL = ("lead", "priority", "rag", "as_at")  # the columns that go, in this order, to leave the text its room
TEXT_ROOM = 48  # characters of action text worth more than any optional column


def column_widths(width: int) -> dict[str, int]:
    """Widths that fit the terminal: the action text takes what the other columns leave, and where it can at
    least 45% of the width up to TEXT_ROOM (30 at the least); the lead, then the priority, the RAG and the as-at
    date go first to give it that (the detail below says each). Ref, status, due and days overdue always stay.
    The priority is wider on a wide screen only when the text keeps its room: a wider terminal never shows
    fewer columns."""
    widths = {"ref": 5, "priority": 16, "lead": 14, "status": 11, "as_at": 12, "rag": 5, "due": 11,
              "days_overdue": 9}
    target = min(TEXT_ROOM, max(30, width * 45 // 100))

    def left() -> int:
        return width - sum(widths.values()) - 2 * (len(widths) + 1) - 4  # cell padding, and the scrollbar

    for key in OPTIONAL:
        if left() >= target:
            break
        del widths[key]
    if "priority" in widths and width >= 140 and left() - 8 >= target:
        widths["priority"] = 24
    widths["text"] = max(20, left())
    return widths


RAG_STYLE: dict[Rag | None, str] = {Rag.RED: "bold red", Rag.AMBER: "bold yellow", Rag.GREEN: "bold green"}


class ActionsScreen(TrackerKeys, ListScreen):
    screen_name = "actions"
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        # in the footer in this order, as far as the width goes (? lists them all): what is done to the action
        # under the cursor first
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("n", "new_question", "Question", id="actions.question"),
        Binding("l", "link_finding", "Link finding", id="actions.link"),
        Binding("slash", "search", "Search", id="actions.search", key_display="/"),
        Binding("f", "filters", "Filters", id="actions.filters"),
        Binding("o", "toggle_overdue", "Overdue only", id="actions.overdue"),
        Binding("p", "plan", "Plan", id="actions.plan"),
        Binding("a", "new_action", "New action", id="actions.new"),
        Binding("t", "cycle_status", "Status filter", id="actions.status"),
        Binding("x", "clear_filters", "Clear", id="actions.clear"),
        Binding("s", "sort", "Sort", id="actions.sort"),
        Binding("S", "reverse", "Reverse", id="actions.reverse", show=False),
        Binding("w", "withdraw", "Withdraw", id="actions.withdraw", show=False),
        Binding("D", "plan_details", "Plan details", id="actions.plan_details"),
        Binding("P", "panel_report", "Panel report", id="actions.panel_report", show=False),
        Binding("z", "zoom", "Zoom detail", id="actions.zoom", show=False),
        Binding("ctrl+z", "undo", "Undo", id="actions.undo", key_display="^z"),
        Binding("E", "export_list", "Export list", id="actions.export"),
    ]

    class Loaded(Message):
        def __init__(self, page: ActionsPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, spec: ActionFilter | None = None, select_id: int | None = None) -> None:
        super().__init__()
        self.remembers = spec is None and select_id is None  # opened plainly: as it was left, while the app is open
        self.spec = spec or ActionFilter(plan_code=None)
        self.open_id = select_id  # opened on this action (from the palette): show its plan, unfiltered
        self.select_id = select_id
        self.sort = "position"
        self.descending = False
        self.rows: list[ActionRow] = []
        self.detail_id: int | None = None
        self.keep: set[int] = set()  # edited here: stay in view until the filters change

    def export_sheet(self) -> tuple[str, Any]:
        spec, sort, descending, as_of = replace(self.spec), self.sort, self.descending, self.shell.as_of
        return "actions", lambda services: services.exports.actions(spec, as_of, sort, descending)

    def undo_service(self) -> Any:
        return self.services.actions

    def record_name(self, record: Any) -> str:
        return f"action {record.plan_code} {record.ref}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="list"):
            yield Static("", id="summary")
            yield Input(placeholder="/ search the text of actions", id="search")
            yield RowTable(id="table")
        yield ActionDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.remembers and "actions" in self.shell.memory:
            self.spec, self.sort, self.descending = self.shell.memory["actions"]
        if self.spec.plan_code is None:
            self.spec.plan_code = self.shell.plan_code or CURRENT
        self.query_one("#search", Input).value = self.spec.text
        self._columns()
        self.query_one("#table", RowTable).focus()
        self.reload()

    def _columns(self) -> None:
        table = self.query_one("#table", RowTable)
        self.widths = column_widths(self.size.width or self.app.size.width)
        table.clear(columns=True)
        for label, key in COLUMNS:
            if key in self.widths:
                table.add_column(label, key=key, width=self.widths[key])

    def on_resize(self) -> None:
        if getattr(self, "widths", None) != column_widths(self.size.width):
            self._columns()
            self._fill()

    def on_unmount(self) -> None:
        self.shell.memory["actions"] = (replace(self.spec), self.sort, self.descending)

    def reload(self) -> None:
        self.load(self.spec, self.sort, self.descending, self.open_id, frozenset(self.keep))
        self.open_id = None

    def refilter(self, spec: ActionFilter) -> None:
        """New filters: what was kept in view after an edit goes; a detail or count still waiting is dropped."""
        self.spec = spec
        self.keep.clear()
        self.workers.cancel_group(self, "detail")
        self.workers.cancel_group(self, "actions-count")
        self.reload()

    @work(exclusive=True, group="actions", exit_on_error=False)
    async def load(self, spec: ActionFilter, sort: str, descending: bool, select_id: int | None,
                   keep: frozenset[int], offset: int = 0) -> None:
        page = await self.shell.db(self.services.actions.page, spec, self.shell.as_of, sort, descending, select_id,
                                   keep, offset)
        self.post_message(self.Loaded(page))

    loads = 0  # how many lists have been shown (for the benchmark and the tests to wait on)
    kept = 0  # actions kept in view after an edit although they no longer match (see ActionsService.page)

    @property
    def has_more(self) -> bool:
        return self.total < 0 or len(self.rows) - self.kept < self.total  # total < 0: not counted yet

    def on_actions_screen_loaded(self, message: Loaded) -> None:
        self.loads += 1
        page = message.page
        if page.offset:  # the next page of the list on screen
            if page.total >= 0:
                self.total = page.total
        else:
            self.spec = page.spec
            self.total, self.kept = page.total, page.kept
            if page.total < 0:
                self.count_later(page.spec)
        self.show_page(page.rows, page.offset)
        self._summary()

    @work(exclusive=True, group="actions-count", exit_on_error=False)
    async def count_later(self, spec: ActionFilter) -> None:
        await asyncio.sleep(0.15)  # typing on cancels this: count only the list that stays
        total = await self.shell.db(self.services.actions.count, spec, self.shell.as_of)
        if spec == self.spec:
            self.total = total
            self._summary()

    def _summary(self) -> None:
        total = self.total
        if total < 0:
            total_text = f"{len(self.rows) - self.kept:,}+"
        else:
            total_text = f"{COUNT_CAP:,}+" if total >= COUNT_CAP else f"{total:,}"
        shown = f", {len(self.rows):,} shown (↓ on the last shows more)" if self.has_more else ""
        arrow = "↓" if self.descending else "↑"
        sort = dict((k, label) for label, k in COLUMNS).get(self.sort, "plan order")
        kept = f" (+{self.kept} you edited, kept in view)" if self.kept else ""
        self.query_one("#summary", Static).update(content(
            f"{total_text} actions{shown}{kept} — {self.spec.describe(self.shell.as_of)} — sorted by {sort.lower()} "
            f"{arrow}"), layout=False)  # one line, always: no need to lay the screen out again at each keystroke

    def _fill(self) -> None:
        table = self.query_one("#table", RowTable)
        table.clear()
        table.add_rows([(self.cells(a), str(a.id)) for a in self.rows])

    def cells(self, a: ActionRow) -> tuple:
        days = a.days_overdue(self.shell.as_of)
        stale = a.stale(self.shell.as_of, days=self.services.stale_days)  # the officer's stale_days
        cells = {
            "ref": cell(a.ref), "priority": cell(a.group, limit=60), "text": cell(a.text, limit=300),
            "lead": cell(a.lead or "—", limit=40), "status": cell(a.status.label),
            "as_at": cell((date_text(a.status_as_at) + ("!" if stale else "")) if a.status_as_at else "—",
                          style="yellow" if stale else ""),
            "rag": cell(a.rag.label if a.rag else "—", style=RAG_STYLE.get(a.rag, "")),
            "due": cell(date_text(a.due) if a.due else "no deadline"),
            "days_overdue": cell(days or "", justify="right", style="bold red" if days else "")}
        return tuple(cells[key] for _, key in COLUMNS if key in self.widths)

    # --- detail ----------------------------------------------------------------------------------------------

    def load_detail_data(self, item_id: int) -> ActionDetailData:
        return self.services.actions.detail(item_id)

    def load_details(self, item_ids: list[int]) -> dict[int, ActionDetailData]:
        return self.services.actions.details(item_ids)

    @work(exclusive=True, group="actions-more", exit_on_error=False)
    async def load_more(self, offset: int) -> None:
        page = await self.shell.db(self.services.actions.page, self.spec, self.shell.as_of, self.sort,
                                   self.descending, None, frozenset(), offset)
        self.post_message(self.Loaded(page))

    def show_detail_data(self, data: ActionDetailData) -> None:
        self.query_one(ActionDetail).show(data, self.shell.as_of)

    def show_empty(self) -> None:
        self.query_one(ActionDetail).show_empty("No actions match. Press x to clear the filters.")

    # --- filters and sorting ---------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.spec.text:
            self.refilter(replace(self.spec, text=event.value.strip()))

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#table", RowTable).focus()

    def action_back(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.query_one("#table", RowTable).focus()
            return
        if self.has_class("-zoom"):
            self.action_zoom()
            return
        super().action_back()

    def action_toggle_overdue(self) -> None:
        self.refilter(replace(self.spec, overdue=not self.spec.overdue))

    def action_cycle_status(self) -> None:
        order = [None, *(s.value for s in Status)]
        self.refilter(replace(self.spec, status=order[(order.index(self.spec.status) + 1) % len(order)]))

    def action_clear_filters(self) -> None:
        self.query_one("#search", Input).value = ""
        self.refilter(ActionFilter(plan_code=self.spec.plan_code))

    def action_plan(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        def load(query: str) -> list[tuple[str, str]]:
            q = query.lower()
            choices = [("", "All plans")] + [(p.code, f"{p.code} — {p.title} ({p.actions:,} actions)")
                                             for p in self.services.dashboard.plans()]
            return [c for c in choices if q in c[1].lower()]

        def chosen(code: str | None) -> None:
            if code is not None:
                self.refilter(replace(self.spec, plan_code=code or None, priority_id=None, theme=None,
                                      no_priority=False, group_label=None))

        self.app.push_screen(PickerScreen("Show the actions of which plan?", load), chosen)

    def action_filters(self) -> None:
        from accountability_tui.ui.screens.action_filters import ActionFiltersScreen

        def chosen(spec: ActionFilter | None) -> None:
            if spec is not None:
                self.query_one("#search", Input).value = spec.text
                self.refilter(spec)

        self.app.push_screen(ActionFiltersScreen(self.spec), chosen)

    def action_sort(self) -> None:
        keys = [k for _, k in COLUMNS]
        self.sort = keys[(keys.index(self.sort) + 1) % len(keys)] if self.sort in keys else keys[0]
        self.descending = self.sort == "days_overdue"
        self.reload()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self.reload()

    @on(RowTable.HeaderSelected, "#table")
    def _header(self, event: RowTable.HeaderSelected) -> None:
        key = event.column_key.value
        if key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, key == "days_overdue"
        self.reload()

    def action_zoom(self) -> None:
        """The detail takes the whole screen (z again, or Esc, gives the list back). The focus goes with it, so that
        no key meant for the screen lands in the hidden search box."""
        self.toggle_class("-zoom")
        self.query_one("#detail" if self.has_class("-zoom") else "#table").focus()

    # --- edits -----------------------------------------------------------------------------------------------

    def action_edit(self) -> None:
        from accountability_tui.ui.screens.action_edit import ActionEditScreen

        action = self.selected
        if action is None:
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.keep.add(action.id)
                self.select_id = action.id
                self.app.notify(f"Saved action {action.ref}", markup=False)
                self.shell.data_changed()

        self.app.push_screen(ActionEditScreen(action), done)

    def action_link_finding(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        action = self.selected
        if action is None:
            return

        def load(query: str) -> list[tuple[int, str]]:
            return [(f.id, f"{f.inspection_code} {f.ref} — {f.kind.label} — {f.text}")
                    for f in self.services.findings.find(query)]

        async def link(finding_id: int) -> None:
            linked = await self.shell.db(self.services.findings.link, finding_id, action.id)
            self.app.notify(f"Linked action {action.ref} to the finding" if linked else "Already linked",
                            markup=False)
            self.shell.data_changed()

        def chosen(finding_id: int | None) -> None:
            if finding_id is not None:
                self.spawn(link(finding_id))

        self.app.push_screen(PickerScreen(f"Link action {action.ref} to which finding?", load), chosen)

    def action_new_question(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        action = self.selected
        if action is None:
            return

        def done(question_id: int | None) -> None:
            if question_id:
                self.app.notify(f"Question {question_id} drafted for action {action.ref}", markup=False)
                self.shell.data_changed()

        self.app.push_screen(QuestionEditScreen(action_id=action.id, priority_id=action.priority_id), done)

    def action_panel_report(self) -> None:
        """The Annual Delivery Plan progress report to the Police and Crime Panel of the plan shown."""
        from accountability_tui.ui.screens.panel_report import export_panel_report

        plan = self.spec.plan_code
        if not plan or plan == CURRENT:
            self.app.notify("Show one plan first (p): the Panel report is of one plan", markup=False)
            return
        export_panel_report(self, plan)
