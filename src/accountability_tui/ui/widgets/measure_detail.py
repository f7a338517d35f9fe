"""The detail of one performance measure: what it is, its baseline and target, its source, and a chart of its
figures over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.content import Content

from accountability_tui.domain.models import MeasureHistoryEntry, MeasureSummary, MeasureValueRow
from accountability_tui.domain.periods import parse_period
from accountability_tui.ui.widgets.figures import MOVEMENT_STYLE, baseline_text, figure, judged
from accountability_tui.ui.widgets.measure_chart import MeasureChart
from accountability_tui.ui.widgets.text import clean, count
from accountability_tui.ui.widgets.text_pane import TextPane


@dataclass(frozen=True)
class MeasureDetailData:
    """What the detail shows beyond the list's summary: the figures to the as-of date, the questions about it."""

    measure_id: int
    values: Sequence[MeasureValueRow]
    questions: int
    last_change: MeasureHistoryEntry | None = None  # who changed it (or one of its figures) last, and when


def _period(written: str) -> str:
    """A period as the rest of the screen names it ("Sep 2026"), else as it was written."""
    try:
        return parse_period(written).label
    except ValueError:
        return written


def change_text(h: MeasureHistoryEntry) -> str:
    """ "2026-11-20 14:03 by jsmith: figure for Oct 2026 12 → 14 (import)"."""
    if h.field == "created":
        what = "made"
    elif h.field == "values_added" and (h.new_value or "").isdigit():
        what = f"{count(int(h.new_value or 0), 'figure')} added" + (f" ({h.note})" if h.note else "")
    else:
        name = "figure" if h.field == "value" else h.field.replace("_", " ")
        what = f"{name}{f' for {_period(h.period)}' if h.period else ''} {h.old_value or '—'} → {h.new_value or '—'}"
    return f"{h.at[:16].replace('T', ' ')} by {h.who}: {what} ({h.source})"


def _line(label: str, text: str, style: str = "") -> Content:
    return Content.assemble((f"{label}: ", "bold"), (clean(text), style), "\n")


class MeasureDetail(Horizontal):
    DEFAULT_CSS = """
    MeasureDetail { height: 1fr; border-top: solid $primary; }
    MeasureDetail > #measure-text { width: 1fr; min-width: 30; height: 1fr; padding: 0 1; }
    MeasureDetail > MeasureChart { width: 60%; }
    MeasureDetail > MeasureChart.-empty { width: 46; }
    """

    def compose(self):
        # drawn line by line: its new text repaints the pane, not the screen (measured: make bench's next measure)
        yield TextPane(id="measure-text")
        yield MeasureChart(id="chart")

    @property
    def text(self) -> str:
        return self.query_one("#measure-text", TextPane).text

    def show_empty(self, message: str) -> None:
        self.query_one("#measure-text", TextPane).update(Content(message))
        self.query_one(MeasureChart).display = False

    def show(self, summary: MeasureSummary, data: MeasureDetailData) -> None:
        m = summary.measure
        what = " · ".join([m.unit.label if m.unit is not None else "unit not known",
                           m.direction.label if m.direction is not None else
                           "direction not known (nothing is called better or worse)",
                           f"objective {m.objective_number}. {m.objective_title}" if m.objective_title else
                           "no objective"])
        parts = [Content(clean(m.name) + ("  (demonstration)" if m.demo else "") + "\n").stylize("bold"),
                 Content(clean(what) + "\n")]
        latest, earlier = summary.latest, summary.year_earlier
        if latest is not None:
            parts.append(_line("Latest", f"{figure(latest.value, m.unit)} ({latest.label})"))
            if earlier is not None:
                parts.append(_line("A year earlier", f"{figure(earlier.value, m.unit)} ({earlier.label}): "
                                   f"{judged(summary.change_year, m.unit, summary.versus_year)}",
                                   MOVEMENT_STYLE[summary.versus_year]))
        else:
            parts.append(_line("Latest", f"no figures to {summary.as_of:%-d %b %Y}"))
        if m.baseline_value is not None:
            source = f" — {m.baseline_source}" if m.baseline_source else ""
            parts.append(_line("Baseline", baseline_text(m) + source,
                               MOVEMENT_STYLE[summary.versus_baseline] if latest is not None else ""))
        else:
            parts.append(_line("Baseline", "pending" + (f" — {m.baseline_note}" if m.baseline_note else "")))
        target = summary.target
        target_text = figure(target, m.unit) if target is not None else "none set as a figure"
        if m.target_note:
            target_text += f" — {m.target_note}"
        parts.append(_line("Target", target_text, MOVEMENT_STYLE[summary.versus_target] if target is not None else ""))
        if m.source_note:
            parts.append(_line("Source", m.source_note))
        parts.append(_line("Figures", f"{count(len(data.values), 'period')} to {summary.as_of:%-d %b %Y}"
                           + (f" · {count(data.questions, 'question')} about it" if data.questions else "")
                           + (" · restricted: left out of a public briefing" if m.restricted else "")))
        if data.last_change is not None:
            parts.append(_line("Last change", change_text(data.last_change)))
        self.query_one("#measure-text", TextPane).update(Content("").join(parts))
        chart = self.query_one(MeasureChart)
        chart.display = True
        chart.show(summary, data.values)
