"""A chart of one measure's figures over time, with its baseline and target as level lines (textual-plotext).

The plotting library is imported the first time a chart is drawn, not when the app starts (it adds ~35 ms to an
import; measured: make bench's start-up line). A measure with no figures says how to get some instead of drawing
an empty chart.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.containers import Container
from textual.widgets import Static

from accountability_tui.domain.models import MeasureSummary, MeasureValueRow
from accountability_tui.ui.widgets.figures import figure
from accountability_tui.ui.widgets.text import content

if TYPE_CHECKING:
    from textual_plotext import PlotextPlot

NO_FIGURES = "No figures yet — press i to import a file"
DRAW_DELAY = 0.05  # a chart of 120 monthly figures takes 20-40 ms to draw: moving on through the list cancels it
SERIES_COLOUR = "cyan+"
BASELINE_COLOUR = "orange"
TARGET_COLOUR = "magenta+"


class MeasureChart(Container):
    """show(summary, values): the figures as a line by period end date; baseline and target as flat lines."""

    DEFAULT_CSS = """
    MeasureChart { height: 1fr; }
    MeasureChart > #chart-empty { height: auto; padding: 1 2; color: $text-muted; }
    MeasureChart > PlotextPlot { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plot: PlotextPlot | None = None
        # what the chart shows, by label: (x: period end as a day number, y: figure), for the tests and the log
        self.series: dict[str, tuple[list[int], list[float]]] = {}

    def compose(self):
        yield Static(content(NO_FIGURES), id="chart-empty")

    def show(self, summary: MeasureSummary, values: Sequence[MeasureValueRow]) -> None:
        """Chart these figures soon: the detail's text is shown in the frame of the keystroke, the chart once the
        cursor rests (a worker of the screen, so that a failure is reported as every other is)."""
        self.screen.run_worker(self._draw_soon(summary, values), group="chart", exclusive=True, exit_on_error=False)

    async def _draw_soon(self, summary: MeasureSummary, values: Sequence[MeasureValueRow]) -> None:
        # always after the keystroke's own frame, even to hide the chart: a chart shown or hidden changes the
        # detail's layout, and a chart drawn takes a frame of its own (measured: make bench's next measure)
        await asyncio.sleep(DRAW_DELAY)
        self.draw(summary, values)

    def draw(self, summary: MeasureSummary, values: Sequence[MeasureValueRow]) -> None:
        empty = self.query_one("#chart-empty", Static)
        self.set_class(not values, "-empty")
        if not values:
            self.series = {}
            empty.display = True
            if self.plot is not None:
                self.plot.display = False
            return
        empty.display = False
        plot = self._plot()
        plot.display = True
        m = summary.measure
        xs = [v.end.toordinal() for v in values]
        ys = [v.value for v in values]
        first, last = (xs[0], xs[-1]) if xs[0] != xs[-1] else (xs[0] - 45, xs[0] + 45)
        series: dict[str, tuple[list[int], list[float]]] = {"figures": (xs, ys)}
        if m.baseline_value is not None:
            series[f"baseline {figure(m.baseline_value, m.unit)}"] = ([first, last], [m.baseline_value] * 2)
        if summary.target is not None:
            series[f"target {figure(summary.target, m.unit)}"] = ([first, last], [summary.target] * 2)
        self.series = series
        plt = plot.plt
        plt.clear_figure()
        for (label, (x, y)), colour in zip(series.items(), self._colours(series), strict=True):
            plt.plot(x, y, label=label, color=colour, marker="braille")
        # three periods named at most, and room at each side for half a label, so that the first and the last are
        # not cut at 80 columns (nothing here depends on the width: the chart is the same however it was laid out)
        ticks = _ticks(len(values), 3)
        plt.xticks([xs[i] for i in ticks], [values[i].label for i in ticks])
        room = (last - first) * 0.12
        plt.xlim(first - room, last + room)
        plt.ylabel(m.unit.label if m.unit is not None else "")
        plot.refresh()

    @staticmethod
    def _colours(series: dict[str, Any]) -> list[str]:
        return [SERIES_COLOUR if label == "figures" else BASELINE_COLOUR if label.startswith("baseline")
                else TARGET_COLOUR for label in series]

    def _plot(self) -> PlotextPlot:
        if self.plot is None:
            from textual_plotext import PlotextPlot  # here, not at the top: start-up does not pay for it

            self.plot = PlotextPlot(id="chart-plot")
            self.mount(self.plot)
        return self.plot


def _ticks(count: int, most: int) -> list[int]:
    """Up to `most` evenly spaced indexes of `count` values, the first and the last among them."""
    if count <= most:
        return list(range(count))
    step = (count - 1) / (most - 1)
    return sorted({round(n * step) for n in range(most)})
