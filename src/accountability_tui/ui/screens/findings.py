"""HMICFRS findings: by kind and status, each with its inspection, grades, section 55 deadline and linked actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from accountability_tui.domain.models import FindingKind, FindingRow, FindingStatus, section55_deadline
from accountability_tui.services.findings import FindingDetailData, FindingsPage
from accountability_tui.ui.screens.base import ListScreen
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.finding_detail import FindingDetail
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, content, count, date_text
from accountability_tui.ui.widgets.title_bar import TitleBar

KINDS: list[FindingKind | None] = [None, *FindingKind]


INSPECTIONS_NAMED = 4  # the summary names this many inspections, then says how many more


class FindingsScreen(ListScreen):
    screen_name = "findings"
    DEFAULT_CSS = """
    FindingsScreen #findings-list { height: 1fr; }
    FindingsScreen #findings-summary { height: auto; padding: 0 1; }
    FindingsScreen RowTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("k", "kind", "Kind", id="findings.kind"),
        Binding("o", "open_only", "Open only", id="findings.open"),
        Binding("l", "link_action", "Link action", id="findings.link"),
        Binding("u", "unlink_action", "Unlink", id="findings.unlink"),
        Binding("t", "status", "Status", id="findings.status"),
        Binding("n", "new_question", "Question", id="findings.question"),
        Binding("s", "s55", "S55 published", id="findings.s55"),
        Binding("ctrl+z", "undo", "Undo", id="findings.undo", key_display="^z"),
        Binding("E", "export_list", "Export list", id="findings.export"),
    ]

    class Loaded(Message):
        def __init__(self, page: FindingsPage) -> None:
            super().__init__()
            self.page = page

    def __init__(self, kind: FindingKind | None = None, open_only: bool = False, select_id: int | None = None):
        super().__init__()
        self.remembers = kind is None and not open_only and select_id is None
        self.kind = kind
        self.open_only = open_only
        self.select_id = select_id
        self.rows: list[FindingRow] = []
        self.inspections: list[dict] = []
        self.detail_id: int | None = None

    def export_sheet(self) -> tuple[str, Any]:
        kind, open_only = self.kind, self.open_only
        return "findings", lambda services: services.exports.findings(kind, open_only)

    def undo_service(self) -> Any:
        return self.services.findings

    def record_name(self, record: Any) -> str:
        return f"finding {record.inspection_code} {record.ref}"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="findings-list"):
            yield Static("", id="findings-summary")
            yield RowTable(id="table")
        yield FindingDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        table = self.query_one("#table", RowTable)
        # narrow: the section 55 date, then the inspection and the kind go first (the detail says each), never the text
        for label, key, drop in (("Inspection", "inspection", 2), ("Ref", "ref", 0), ("Kind", "kind", 1),
                                 ("Status", "status", 0), ("S55 response", "s55", 3)):
            table.add_column(label, key=key, cap=24 if key == "ref" else 20, drop=drop)  # refs differ at their ends
        table.add_column("Finding", key="text", fill=True, least=50)
        table.focus()
        self.reload()

    def on_unmount(self) -> None:
        self.shell.memory["findings"] = (self.kind, self.open_only)

    def reload(self) -> None:
        if self.remembers and "findings" in self.shell.memory:  # opened plainly: as it was left
            self.kind, self.open_only = self.shell.memory["findings"]
            self.remembers = False
        self.load(self.kind, self.open_only)

    @work(exclusive=True, group="findings", exit_on_error=False)
    async def load(self, kind: FindingKind | None, open_only: bool, offset: int = 0) -> None:
        page = await self.shell.db(self.services.findings.page, kind, open_only, offset)
        self.post_message(self.Loaded(page))

    def load_more(self, offset: int) -> None:
        self.load(self.kind, self.open_only, offset)

    def on_findings_screen_loaded(self, message: Loaded) -> None:
        page = message.page
        if not page.offset:
            self.total = page.total
            self.inspections = page.inspections
        self.show_page(page.rows, page.offset)
        kind = self.kind.plural if self.kind else "all kinds"
        named = "; ".join(f"{i['code']} ({i['kind']})" for i in self.inspections[:INSPECTIONS_NAMED])
        if len(self.inspections) > INSPECTIONS_NAMED:
            named += f" and {len(self.inspections) - INSPECTIONS_NAMED:,} more"
        shown = f", {len(self.rows):,} shown (↓ on the last shows more)" if self.has_more else ""
        self.query_one("#findings-summary", Static).update(content(
            f"{count(self.total, 'finding')}{shown} — {kind}{', open only' if self.open_only else ''} — inspections: "
            f"{named or 'none'}"))

    def cells(self, f: FindingRow) -> tuple:
        s55 = ""
        if f.kind is FindingKind.RECOMMENDATION:
            deadline = section55_deadline(f.inspection_published)
            response = next((i.get("s55_published_on") for i in self.inspections if i["id"] == f.inspection_id), None)
            s55 = (f"published {date_text(response)}" if response else
                   f"{date_text(deadline)} ({(deadline - self.shell.as_of).days:+d}d)" if deadline else "date unknown")
        return (cell(f.inspection_code), cell(f.ref), cell(f.kind.label), cell(f.status.label), cell(s55),
                cell(f.text, limit=160))

    def load_detail_data(self, item_id: int) -> FindingDetailData:
        return self.services.findings.detail(item_id)

    def load_details(self, item_ids: list[int]) -> dict[int, FindingDetailData]:
        return self.services.findings.details(item_ids)

    def show_detail_data(self, data: FindingDetailData) -> None:
        self.query_one(FindingDetail).show(data, self.shell.as_of)

    def show_empty(self) -> None:
        self.query_one(FindingDetail).show_empty("No findings match. Press k to change the kind.")

    def action_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.reload()

    def action_open_only(self) -> None:
        self.open_only = not self.open_only
        self.reload()

    def action_link_action(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        finding = self.selected
        if finding is None:
            return

        def load(query: str) -> list[tuple[int, str]]:
            return [(a.id, f"{a.plan_code} {a.ref} [{a.status.label}] {a.text}")
                    for a in self.services.actions.find(query)]

        async def link(action_id: int) -> None:
            linked = await self.shell.db(self.services.findings.link, finding.id, action_id)
            self.app.notify("Linked" if linked else "Already linked", markup=False)
            self.shell.data_changed()

        def chosen(action_id: int | None) -> None:
            if action_id is not None:
                self.spawn(link(action_id))

        self.app.push_screen(PickerScreen(f"Link finding {finding.ref} to which action?", load,
                                          placeholder="Type words of the action"), chosen)

    def action_unlink_action(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen

        finding = self.selected
        if finding is None:
            return

        def load(query: str) -> list[tuple[int, str]]:
            return [(a.id, f"{a.plan_code} {a.ref} {a.text}") for a in self.services.findings.linked_actions(finding.id)
                    if query.lower() in a.text.lower()]

        async def unlink(action_id: int) -> None:
            await self.shell.db(self.services.findings.unlink, finding.id, action_id)
            self.app.notify("Unlinked", markup=False)
            self.shell.data_changed()

        def chosen(action_id: int | None) -> None:
            if action_id is not None:
                self.spawn(unlink(action_id))

        self.app.push_screen(PickerScreen(f"Unlink which action from finding {finding.ref}?", load), chosen)

    def action_status(self) -> None:
        from accountability_tui.ui.screens.picker import PickerScreen
        from accountability_tui.ui.screens.text_prompt import ProsePrompt

        finding = self.selected
        if finding is None:
            return

        async def save(status: FindingStatus, how: str | None) -> None:
            await self.shell.db(self.services.findings.set_status, finding, status, self.shell.as_of, how)
            self.app.notify(f"Finding {finding.ref}: {status.label.lower()}", markup=False)
            self.shell.data_changed()

        def chosen(status: FindingStatus | None) -> None:
            if status is None:
                return
            if status is FindingStatus.CLOSED:
                def closed(how: str | None) -> None:
                    if how:
                        self.spawn(save(status, how))

                self.app.push_screen(ProsePrompt(f"How was finding {finding.ref} closed?",
                                                 hint=f"Closed on {self.shell.as_of:%-d %b %Y} (the as-of date), e.g. "
                                                      "'HMICFRS letter to the Chief Constable'",
                                                 what="note", draft_key=f"finding-close:{finding.id}"), closed)
            else:
                self.spawn(save(status, None))

        self.app.push_screen(PickerScreen(f"Finding {finding.ref} is now…",
                                          lambda q: [(s, s.label) for s in FindingStatus if s is not finding.status]),
                             chosen)

    def action_s55(self) -> None:
        """Record that the PCC's response to the finding's inspection was published (section 55): date and link."""
        from accountability_tui.ui.screens.date_prompt import DatePrompt
        from accountability_tui.ui.screens.text_prompt import TextPrompt

        finding = self.selected
        if finding is None:
            return

        async def save(day: dt.date, link: str | None) -> None:
            await self.shell.db(self.services.findings.record_s55, finding.inspection_id, day, link)
            self.app.notify(f"{finding.inspection_code}: section 55 response published on {day:%-d %b %Y}",
                            markup=False)
            self.shell.data_changed()

        def dated(day: dt.date | None) -> None:
            if day is None:
                return

            def linked(link: str | None) -> None:
                if link is not None:
                    self.spawn(save(day, link or None))

            self.app.push_screen(TextPrompt("Where was it published? (a link; may be left empty)", required=False,
                                            precious=False), linked)

        self.app.push_screen(DatePrompt(f"When did the PCC publish the section 55 response to "
                                        f"{finding.inspection_code}?", self.shell.as_of), dated)

    def action_new_question(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        finding = self.selected
        if finding is None:
            return

        def done(question_id: int | None) -> None:
            if question_id:
                self.app.notify(f"Question {question_id} drafted", markup=False)
                self.shell.data_changed()

        self.app.push_screen(QuestionEditScreen(finding_id=finding.id), done)
