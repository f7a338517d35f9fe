"""Actions: a filterable, sortable table of a plan's actions, with the chosen action's detail below it."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Input, Static

from ..errors import AppError
from ..models import ActionRow, Rag, Status
from ..store.actions import Filters
from ..widgets.action_detail import ActionDetail, load_action_detail
from ..widgets.row_table import RowTable
from ..widgets.text import cell, content, date_text
from .base import PAGE, ListScreen

COUNT_CAP = 1_000  # counting stops here: "1,000+ actions"
CURRENT = ":current"  # the plan the app shows (resolved on the database thread)

COLUMNS = [("Ref", "ref"), ("Priority / theme", "priority"), ("Action", "text"), ("Lead", "lead"),
           ("Status", "status"), ("RAG", "rag"), ("Due", "due"), ("Days over", "days_overdue")]


def column_widths(width: int) -> dict[str, int]:
    """Widths that fit the terminal: the action text takes what the other columns leave."""
    widths = {"ref": 5, "priority": 24 if width >= 140 else 16, "lead": 14, "status": 11, "rag": 5, "due": 11,
              "days_overdue": 9}
    if width < 130:
        del widths["lead"]
    if width < 110:
        del widths["priority"]
    if width < 90:
        del widths["rag"]
    used = sum(widths.values()) + 2 * (len(widths) + 1) + 4  # cell padding, and the scrollbar
    widths["text"] = max(20, width - used)
    return widths
RAG_STYLE = {Rag.RED: "bold red", Rag.AMBER: "bold yellow", Rag.GREEN: "bold green"}


@dataclass
class ActionFilter:
    """What the officer has narrowed the list to. Every part combines with the others."""

    plan_code: str | None = None
    priority_id: int | None = None
    theme: str | None = None
    no_priority: bool = False
    group_label: str | None = None
    status: str | None = None
    lead: str | None = None
    rag: str | None = None
    overdue: bool = False
    no_deadline: bool = False
    text: str = ""

    def to_filters(self, store, as_of: dt.date) -> Filters:
        plan_id = store.plans.get(self.plan_code).id if self.plan_code else None
        return Filters(plan_id=plan_id, statuses=(Status(self.status),) if self.status else (),
                       priority_id=self.priority_id, theme=self.theme, no_priority=self.no_priority,
                       lead=self.lead or None,
                       rag=Rag(self.rag) if self.rag else None, overdue_as_of=as_of if self.overdue else None,
                       no_deadline=self.no_deadline, text=self.text or None)

    def describe(self, as_of: dt.date) -> str:
        parts = [self.plan_code or "all plans"]
        if self.group_label:
            parts.append(self.group_label)
        if self.status:
            parts.append(Status(self.status).label.lower())
        if self.overdue:
            parts.append(f"overdue at {as_of:%-d %b %Y}")
        if self.no_deadline:
            parts.append("no deadline")
        if self.rag:
            parts.append(f"RAG {self.rag}")
        if self.lead:
            parts.append(f"lead contains {self.lead!r}")
        if self.text:
            parts.append(f"text {self.text!r}")
        return " · ".join(parts)


@dataclass
class ActionsPage:
    rows: list[ActionRow]
    total: int
    spec: ActionFilter
    kept: int = 0  # actions kept in view after an edit although they no longer match the filters
    offset: int = 0  # 0: a new list; else more rows for the list on screen


def load_actions(store, spec: ActionFilter, as_of: dt.date, sort: str, descending: bool,
                 select_id: int | None = None, keep: frozenset[int] = frozenset(), offset: int = 0) -> ActionsPage:
    if select_id is not None:
        spec = ActionFilter(plan_code=store.actions.get(select_id).plan_code)
    elif spec.plan_code == CURRENT:
        plan = store.plans.current()
        spec = replace(spec, plan_code=plan.code if plan else None)
    filters = spec.to_filters(store, as_of)
    rows = store.actions.list(filters, sort=sort, descending=descending, limit=PAGE + 1, offset=offset)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    if offset:
        return ActionsPage(rows=rows, total=-1 if more else offset + len(rows), spec=spec, offset=offset)
    missing = keep - {a.id for a in rows}
    if missing:
        kept = store.actions.list(Filters(ids=tuple(sorted(missing))))
        rows = sorted([*rows, *kept], key=lambda a: (a.plan_code, a.position or 0, a.id)) if sort == "position" \
            else [*rows, *kept]
    found = len(rows) - len(missing)
    # the exact count of a long list follows a moment later (count_actions), so that typing stays quick
    return ActionsPage(rows=rows, total=-1 if more else found, spec=spec, kept=len(missing))


def count_actions(store, spec: ActionFilter, as_of: dt.date) -> int:
    return store.actions.count(spec.to_filters(store, as_of), cap=COUNT_CAP)


class ActionsScreen(ListScreen):
    screen_name = "actions"
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        Binding("slash", "search", "Search", id="actions.search", key_display="/"),
        Binding("f", "filters", "Filters", id="actions.filters"),
        Binding("p", "plan", "Plan", id="actions.plan"),
        Binding("o", "toggle_overdue", "Overdue only", id="actions.overdue"),
        Binding("t", "cycle_status", "Status filter", id="actions.status"),
        Binding("x", "clear_filters", "Clear", id="actions.clear"),
        Binding("s", "sort", "Sort", id="actions.sort"),
        Binding("S", "reverse", "Reverse", id="actions.reverse", show=False),
        Binding("e", "edit", "Edit", id="actions.edit"),
        Binding("l", "link_finding", "Link finding", id="actions.link"),
        Binding("n", "new_question", "Question", id="actions.question"),
        Binding("z", "zoom", "Zoom detail", id="actions.zoom", show=False),
    ]

    class Loaded(Message):
        def __init__(self, page: ActionsPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, spec: ActionFilter | None = None, select_id: int | None = None) -> None:
        super().__init__()
        self.spec = spec or ActionFilter(plan_code=None)
        self.open_id = select_id  # opened on this action (from the palette): show its plan, unfiltered
        self.select_id = select_id
        self.sort = "position"
        self.descending = False
        self.rows: list[ActionRow] = []
        self.detail_id: int | None = None
        self.keep: set[int] = set()  # edited here: stay in view until the filters change

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="list"):
            yield Static("", id="summary")
            yield Input(placeholder="/ search the text of actions", id="search")
            yield RowTable(id="table")
        yield ActionDetail(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        if self.spec.plan_code is None:
            self.spec.plan_code = self.app.plan_code or CURRENT
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

    @work(exclusive=True, group="actions")
    async def load(self, spec: ActionFilter, sort: str, descending: bool, select_id: int | None,
                   keep: frozenset[int], offset: int = 0) -> None:
        try:
            page = await self.app.db(load_actions, self.app.store, spec, self.app.as_of, sort, descending,
                                     select_id, keep, offset)
        except AppError as exc:
            self.app.report(exc)
            return
        self.post_message(self.Loaded(page))

    loads = 0  # how many lists have been shown (for the benchmark and the tests to wait on)
    kept = 0  # actions kept in view after an edit although they no longer match (see load_actions)

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

    @work(exclusive=True, group="actions-count")
    async def count_later(self, spec: ActionFilter) -> None:
        await asyncio.sleep(0.15)  # typing on cancels this: count only the list that stays
        try:
            total = await self.app.db(count_actions, self.app.store, spec, self.app.as_of)
        except AppError:
            return
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
            f"{total_text} actions{shown}{kept} — {self.spec.describe(self.app.as_of)} — sorted by {sort.lower()} "
            f"{arrow}"), layout=False)  # one line, always: no need to lay the screen out again at each keystroke

    def _fill(self) -> None:
        table = self.query_one("#table", RowTable)
        table.clear()
        table.add_rows([(self.cells(a), str(a.id)) for a in self.rows])

    def cells(self, a: ActionRow) -> tuple:
        days = a.days_overdue(self.app.as_of)
        cells = {
            "ref": cell(a.ref), "priority": cell(a.group, limit=60), "text": cell(a.text, limit=300),
            "lead": cell(a.lead or "—", limit=40), "status": cell(a.status.label),
            "rag": cell(a.rag.label if a.rag else "—", style=RAG_STYLE.get(a.rag, "")),
            "due": cell(date_text(a.due) if a.due else "no deadline"),
            "days_overdue": cell(days or "", justify="right", style="bold red" if days else "")}
        return tuple(cells[key] for _, key in COLUMNS if key in self.widths)

    # --- detail ----------------------------------------------------------------------------------------------

    def load_detail_data(self, store, item_id: int):
        return load_action_detail(store, item_id)

    @work(exclusive=True, group="actions-more")
    async def load_more(self, offset: int) -> None:
        try:
            page = await self.app.db(load_actions, self.app.store, self.spec, self.app.as_of, self.sort,
                                     self.descending, None, frozenset(), offset)
        except AppError as exc:
            self.app.report(exc)
            return
        self.post_message(self.Loaded(page))

    def show_detail_data(self, data) -> None:
        self.query_one(ActionDetail).show(data, self.app.as_of)

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
            self.remove_class("-zoom")
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
        from .picker import PickerScreen

        def load(query: str) -> list[tuple[str, str]]:
            q = query.lower()
            choices = [("", "All plans")] + [(p.code, f"{p.code} — {p.title} ({p.actions:,} actions)")
                                             for p in self.app.store.plans.list()]
            return [c for c in choices if q in c[1].lower()]

        def chosen(code: str | None) -> None:
            if code is not None:
                self.refilter(replace(self.spec, plan_code=code or None, priority_id=None, theme=None,
                                      no_priority=False, group_label=None))

        self.app.push_screen(PickerScreen("Show the actions of which plan?", load), chosen)

    def action_filters(self) -> None:
        from .action_filters import ActionFiltersScreen

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
        self.toggle_class("-zoom")

    # --- edits -----------------------------------------------------------------------------------------------

    def action_edit(self) -> None:
        from .action_edit import ActionEditScreen

        action = self.selected
        if action is None:
            return

        def done(saved: bool | None) -> None:
            if saved:
                self.keep.add(action.id)
                self.select_id = action.id
                self.app.notify(f"Saved action {action.ref}", markup=False)
                self.app.data_changed()

        self.app.push_screen(ActionEditScreen(action), done)

    def action_link_finding(self) -> None:
        from .picker import PickerScreen

        action = self.selected
        if action is None:
            return

        def load(query: str) -> list[tuple[int, str]]:
            findings = self.app.store.findings.list(text=query or None)
            return [(f.id, f"{f.inspection_code} {f.ref} — {f.kind.label} — {f.text}") for f in findings]

        async def chosen(finding_id: int | None) -> None:
            if finding_id is None:
                return
            try:
                linked = await self.app.db(self.app.store.findings.link, finding_id, action.id)
            except AppError as exc:
                self.app.report(exc)
                return
            self.app.notify(f"Linked action {action.ref} to the finding" if linked else "Already linked",
                            markup=False)
            self.app.data_changed()

        self.app.push_screen(PickerScreen(f"Link action {action.ref} to which finding?", load), chosen)

    def action_new_question(self) -> None:
        from .question_edit import QuestionEditScreen

        action = self.selected
        if action is None:
            return

        def done(question_id: int | None) -> None:
            if question_id:
                self.app.notify(f"Question {question_id} drafted for action {action.ref}", markup=False)
                self.app.data_changed()

        self.app.push_screen(QuestionEditScreen(action_id=action.id, priority_id=action.priority_id), done)
