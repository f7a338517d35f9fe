"""Performance: the measures the Chief Constable is held to, by objective, each with its latest figure, the change
on a year earlier, and how it stands against its baseline and target; the selected one's detail and chart below.

Green is better and red worse for the measure's direction; a measure whose direction is not known has no colour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from accountability_tui.domain.models import MeasureSummary
from accountability_tui.ui.screens.base import ListScreen
from accountability_tui.ui.screens.text_prompt import TextPrompt
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.figures import (
    MOVEMENT_STYLE,
    figure,
    judged,
    versus_baseline,
    versus_target,
)
from accountability_tui.ui.widgets.measure_detail import MeasureDetail, MeasureDetailData
from accountability_tui.ui.widgets.row_table import RowTable
from accountability_tui.ui.widgets.text import cell, content, count
from accountability_tui.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from accountability_tui.services.measures import ObjectiveGroup


@dataclass(frozen=True)
class Line:
    """A row of the list: an objective's heading (summary None; id below zero) or one of its measures."""

    id: int
    group: ObjectiveGroup
    summary: MeasureSummary | None = None


class GroupedTable(RowTable):
    """A RowTable whose heading rows (key None) the cursor passes over."""

    def move_cursor(self, *, row: int) -> None:
        if not self.rows:
            super().move_cursor(row=0)
            return
        row = max(0, min(row, len(self.rows) - 1))
        step = 1 if row >= self.cursor_row else -1
        for direction in (step, -step):
            n = row
            while 0 <= n < len(self.rows):
                if self.keys[n] is not None:
                    super().move_cursor(row=n)
                    return
                n += direction


def column_widths(width: int, targets: bool = True) -> dict[str, int]:
    """The figures' columns for the terminal's width (a target column when a measure has a target figure); the
    measure's name takes what they leave."""
    if width >= 110:
        widths = {"latest": 8, "period": 12, "year": 17, "baseline": 18, "target": 12}
    elif width >= 90:
        widths = {"latest": 8, "period": 11, "year": 15, "baseline": 16, "target": 10}
    else:  # the period goes: the line above the list says it when all are of one period, the detail always does
        widths = {"latest": 7, "year": 14, "baseline": 16}
    if not targets:
        widths.pop("target", None)
    return widths


COLUMNS = [("Latest", "latest"), ("Period", "period"), ("Year on year", "year"), ("Vs baseline", "baseline"),
           ("Target", "target")]


class ImportPrompt(TextPrompt):
    """The file of figures to import: one that is not there is said at once, and the prompt stays open."""

    def parse(self, value: str) -> str:
        path = super().parse(value)
        file = Path(path).expanduser()
        if not file.is_file():
            raise ValueError(f"There is no file {file}." if not file.exists() else f"{file} is a folder, not a file.")
        return str(file)


class PerformanceScreen(ListScreen):
    screen_name = "performance"
    DEFAULT_CSS = """
    PerformanceScreen #performance-list { height: 1fr; }
    PerformanceScreen #performance-summary { height: auto; padding: 0 1; }
    PerformanceScreen RowTable { height: 1fr; }
    PerformanceScreen MeasureDetail { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new_question", "Question", id="performance.question"),
        Binding("i", "import_figures", "Import figures", id="performance.import"),
        Binding("r", "refresh", "Refresh", id="performance.refresh"),
    ]

    class Loaded(Message):
        def __init__(self, groups: list[ObjectiveGroup]) -> None:
            super().__init__()
            self.groups = groups

    def __init__(self, objective_id: int | None = None, select_id: int | None = None) -> None:
        super().__init__()
        self.objective_id = objective_id  # opened on this objective (from the dashboard): its first measure
        self.select_id = select_id
        self.rows: list[Line] = []
        self.groups: list[ObjectiveGroup] = []
        self.detail_id: int | None = None
        self.loads = 0  # how many lists have been shown (for the tests to wait on)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="performance-list"):
            yield Static("", id="performance-summary")
            yield GroupedTable(id="table")
        yield MeasureDetail(id="detail")
        yield AppFooter()

    def on_mount(self) -> None:
        self._columns()
        self.query_one("#table", RowTable).focus()
        self.reload()

    def _columns(self) -> None:
        table = self.query_one("#table", RowTable)
        self.widths = column_widths(self.size.width or self.app.size.width, self._targets())
        table.clear(columns=True)
        table.add_column("Objective / measure", key="name", fill=True, least=18)
        for label, key in COLUMNS:
            if key in self.widths:
                table.add_column(label, key=key, width=self.widths[key])

    def _targets(self) -> bool:
        return any(s.target is not None for g in self.groups for s in g.summaries)

    def on_resize(self) -> None:
        if getattr(self, "widths", None) != column_widths(self.size.width, self._targets()):
            self._columns()
            self._fill()

    def reload(self) -> None:
        self.load(self.shell.as_of)

    def action_refresh(self) -> None:
        self.forget_details()
        self.reload()

    def _read(self, as_of: dt.date) -> list[ObjectiveGroup]:
        """The office's own measures by objective (on the database thread)."""
        measures = self.services.measures
        return measures.by_objective(as_of, force=measures.own_force())

    @work(exclusive=True, group="performance", exit_on_error=False)
    async def load(self, as_of: dt.date) -> None:
        groups = await self.shell.db(self._read, as_of)
        self.post_message(self.Loaded(groups))

    def on_performance_screen_loaded(self, message: Loaded) -> None:
        self.loads += 1
        self.groups = message.groups
        current = self.select_id or (self.selected.id if self.selected is not None and self.selected.id > 0
                                     else None)
        if self.objective_id is not None:
            group = next((g for g in self.groups if g.objective and g.objective.id == self.objective_id), None)
            current = group.summaries[0].measure.id if group and group.summaries else current
            self.objective_id = None
        self.select_id = None
        self.rows = []
        for n, group in enumerate(self.groups, start=1):
            self.rows.append(Line(-(group.objective.id if group.objective else 10_000 + n), group))
            self.rows += [Line(s.measure.id, group, s) for s in group.summaries]
        self.total = len(self.rows)
        if self.widths != column_widths(self.size.width or self.app.size.width, self._targets()):
            self._columns()
        self._fill()
        self.place_cursor(current)
        latest = [s.latest for g in self.groups for s in g.summaries if s.latest is not None]
        periods = {v.label for v in latest}
        period = f" (latest: {periods.pop()})" if len(periods) == 1 else ""
        objectives = count(len([g for g in self.groups if g.objective]), 'objective')
        summary = (f"{count(len(self.rows) - len(self.groups), 'measure')} under {objectives}; {len(latest)} with "
                   f"figures to {self.shell.as_of:%-d %b %Y}{period}")
        legend = " · green: better, red: worse"
        if len(summary + legend) <= (self.size.width or self.app.size.width) - 2:
            summary += legend
        self.query_one("#performance-summary", Static).update(content(summary))

    def _fill(self) -> None:
        table = self.query_one("#table", RowTable)
        cursor = table.cursor_row
        table.clear()
        table.add_rows([(self.cells(line), str(line.id) if line.summary is not None else None)
                        for line in self.rows])
        if self.rows:
            self._placing = True  # the same row: its detail is shown already
            table.move_cursor(row=cursor)
            self._placing = False

    def cells(self, line: Line) -> tuple:
        s = line.summary
        if s is None:
            return (cell(line.group.title, style="bold underline"),)
        m = s.measure
        def fit(text: str, key: str) -> str:  # in a narrow column: "▲+1.2 better", not "▲ +1.2 pts better"
            if len(text) <= self.widths[key]:
                return text
            return text.replace(" pts", "").replace("▲ ", "▲").replace("▼ ", "▼")

        cells = {"latest": cell(figure(s.latest.value, m.unit) if s.latest else "—", justify="right"),
                 "period": cell(s.latest.label if s.latest else "no figures"),
                 "year": cell(fit(judged(s.change_year, m.unit, s.versus_year), "year"),
                              style=MOVEMENT_STYLE[s.versus_year]),
                 "baseline": cell(fit(versus_baseline(s), "baseline"), style=MOVEMENT_STYLE[s.versus_baseline]),
                 "target": cell(versus_target(s), style=MOVEMENT_STYLE[s.versus_target])}
        return (cell(m.name, limit=200), *(cells[key] for _, key in COLUMNS if key in self.widths))

    def place_cursor(self, current_id: int | None) -> None:
        """After a load: the cursor on the measure that had it (else the first measure), its detail soon."""
        measures = [line for line in self.rows if line.summary is not None]
        if not measures:
            self.show_empty()
            return
        line = next((x for x in measures if x.id == current_id), measures[0])
        self._placing = True
        self.query_one("#table", RowTable).move_cursor(row=self.rows.index(line))
        self._placing = False
        self.show_detail(line.id, delay=self.DETAIL_DELAY)

    @property
    def measure(self) -> MeasureSummary | None:
        """The measure under the cursor."""
        line = self.selected
        return line.summary if isinstance(line, Line) else None

    # --- detail ----------------------------------------------------------------------------------------------

    def load_detail_data(self, item_id: int) -> MeasureDetailData:
        return self.load_details([item_id])[item_id]

    def load_details(self, item_ids: list[int]) -> dict[int, MeasureDetailData]:
        ids = [i for i in item_ids if i > 0]
        measures = self.services.measures
        values = measures.values_of(ids, until=self.shell.as_of)
        last = measures.last_changes(ids)
        return {i: MeasureDetailData(i, values.get(i, []), len(measures.question_ids(i)), last.get(i)) for i in ids}

    def show_detail_data(self, data: MeasureDetailData) -> None:
        summary = next((line.summary for line in self.rows if line.id == data.measure_id), None)
        if summary is not None:
            self.query_one(MeasureDetail).show(summary, data)

    def show_empty(self) -> None:
        self.query_one(MeasureDetail).show_empty("No performance measures yet. Press i to import a file of figures "
                                                 "(a measure is made for each new name in it).")

    def undo_service(self) -> Any:
        return None

    # --- keys ------------------------------------------------------------------------------------------------

    def action_new_question(self) -> None:
        from accountability_tui.ui.screens.question_edit import QuestionEditScreen

        summary = self.measure
        if summary is None:
            return
        m = summary.measure
        objective = next((line.group.objective for line in self.rows if line.id == m.id), None)
        priority_id = m.priority_id or (objective.priority_id if objective is not None else None)

        def done(question_id: int | None) -> None:
            if question_id:
                self.app.notify(f"Question {question_id} drafted about {m.name}", markup=False)
                self.forget_details()
                self.shell.data_changed()

        self.app.push_screen(QuestionEditScreen(measure_id=m.id, priority_id=priority_id), done)

    def action_import_figures(self) -> None:
        def chosen(path: str | None) -> None:
            if path:
                self.spawn(self._import(path), group="import", exclusive=True)

        self.app.push_screen(ImportPrompt("Import figures from which file?",
                                          hint="A CSV or Excel (.xlsx) file: a row per measure and period (Measure, "
                                               "Period, Value), or a row per measure with a column per period.",
                                          what="file name", precious=False), chosen)

    async def _import(self, path: str) -> None:
        self.app.notify(f"Importing {Path(path).name}…", markup=False, timeout=3)
        result = await self.shell.db(self.services.measures.import_file, path)
        new = len(result.new_measures)
        self.app.notify(f"{count(result.values, 'value')} for {count(result.measures, 'measure')} imported "
                        f"({count(new, 'new measure')}, {result.changed:,} changed)", markup=False)
        if result.warnings:
            shown = "\n".join(str(w) for w in result.warnings[:5])
            more = f"\n… and {len(result.warnings) - 5:,} more" if len(result.warnings) > 5 else ""
            self.app.notify(f"{count(len(result.warnings), 'warning')}:\n{shown}{more}", severity="warning",
                            markup=False, timeout=20)
        self.forget_details()
        self.shell.data_changed()
