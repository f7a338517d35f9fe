"""The Performance screen (6): measures by objective with their latest figures, baselines and targets, coloured
better or worse for their direction; the selected one's detail and chart; n drafts a question about it; i imports
figures. And the dashboard's line per objective."""

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from accountability_tui.domain.periods import parse_period
from accountability_tui.domain.records import MeasureValueIn
from accountability_tui.services.database import open_services
from accountability_tui.store import Store
from accountability_tui.ui.widgets.measure_chart import NO_FIGURES

from apphelp import make_app, rows, settled, static_text, wait_for, wait_screen

SAMPLE = Path(__file__).parents[2] / "docs" / "sample-performance-figures-MADE-UP.csv"
ALL_CRIME = "Crime recording rate: all reported crime"


def _upsert(path, figures) -> None:
    """Figures (measure, period, value) saved through the services before the app starts."""
    services = open_services(path, create=False)
    try:
        services.measures.upsert_values([MeasureValueIn.of(name, parse_period(period), value)
                                         for name, period, value in figures], source="test")
    finally:
        services.close()


async def _performance(pilot, *keys):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press(*(keys or ("6",)))
    screen = await wait_screen(pilot, "performance")
    table = screen.query_one("#table")
    await wait_for(pilot, lambda: screen.loads and table.row_count > 0 and screen.detail_id is not None, "measures")
    await settled(pilot, screen, "the list and its detail")
    return screen, table


def _table(table) -> list[list[str]]:
    return [table.get_row_at(i) for i in range(table.row_count)]


def _row(table, name: str) -> int:
    return next(i for i in range(table.row_count) if table.get_row_at(i)[0] == name)


def _cell(table, name: str, column: str):
    """The cell (Rich Text, with its style) of a measure's row in a column."""
    keys = [c.key for c in table.columns]
    return table.rows[_row(table, name)][keys.index(column)]


def _detail(screen) -> str:
    return screen.query_one("#detail").text


async def test_the_seeded_objectives_their_baselines_and_the_pending_ones(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _performance(pilot)
        names = [r[0] for r in _table(table)]
        assert [n for n in names if n[:2] in ("1.", "2.", "3.", "4.")] == [
            "1. Improve crime recording", "2. Reduce crime and anti-social behaviour", "3. Solve more crime",
            "4. Keep people safe"]
        assert table.keys[0] is None and table.cursor_row == 1  # a heading; the cursor on the first measure
        baselines = {name: _cell(table, name, "baseline").plain for name, key in zip(names, table.keys, strict=True)
                     if key is not None}
        assert baselines[ALL_CRIME] == "baseline 82.5%"
        assert baselines["Crime recording rate: sexual offences"] == "baseline 89.8%"
        assert baselines["Crime recording rate: violent offences"] == "baseline 75.7%"
        assert baselines["Recorded crime"] == "baseline pending"
        assert sum(1 for b in baselines.values() if b == "baseline pending") == 6
        assert "Latest" in [c.label for c in table.columns] and _cell(table, ALL_CRIME, "latest").plain == "—"
        detail = _detail(screen)
        assert ALL_CRIME in detail and "% · higher is better · objective 1. Improve crime recording" in detail
        assert "Baseline: 82.5% (2024 PEEL inspection) — Police & Crime Plan 2025-29, p.22" in detail
        chart = screen.query_one("#chart")
        assert chart.series == {} and static_text(chart.query_one("#chart-empty")) == NO_FIGURES
        await pilot.press("down", "down", "down")  # over the heading of objective 2, to its first measure
        await wait_for(pilot, lambda: "Recorded crime" in _detail(screen), "the next objective's measure")
        assert table.get_row_at(table.cursor_row)[0] == "Recorded crime"
        assert "Baseline: pending — The starting point will be known once" in _detail(screen)
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")


async def test_latest_figures_changes_and_their_colours_and_the_chart(seeded_path):
    _upsert(seeded_path, [(ALL_CRIME, "Q1 2024/25", 83.1), (ALL_CRIME, "Q2 2024/25", 84.0),
                          (ALL_CRIME, "Q1 2025/26", 85.7), (ALL_CRIME, "Q2 2025/26", 86.5),
                          ("Recorded crime", "Q2 2024/25", 25_000), ("Recorded crime", "Q2 2025/26", 26_000),
                          ("A measure nobody described", "Q2 2024/25", 10), ("A measure nobody described",
                                                                               "Q2 2025/26", 12)])
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _performance(pilot)
        assert table.get_row_at(_row(table, ALL_CRIME))[1:4] == ["86.5%", "Q2 2025/26", "▲ +2.5 pts better"]
        assert "green" in str(_cell(table, ALL_CRIME, "year").style)
        assert _cell(table, ALL_CRIME, "baseline").plain == "▲ +4.0 pts better"
        assert "green" in str(_cell(table, ALL_CRIME, "baseline").style)
        # lower is better: more recorded crime is worse, in red
        assert _cell(table, "Recorded crime", "year").plain == "▲ +1,000 worse"
        assert "red" in str(_cell(table, "Recorded crime", "year").style)
        assert _cell(table, "Recorded crime", "baseline").plain == "baseline pending"
        # a measure an import made: no direction, so no word and no colour
        assert "Other measures" in [r[0] for r in _table(table)]
        assert _cell(table, "A measure nobody described", "year").plain == "▲ +2"
        assert str(_cell(table, "A measure nobody described", "year").style) == ""
        chart = screen.query_one("#chart")
        await wait_for(pilot, lambda: chart.series, "the chart")
        xs, ys = chart.series["figures"]
        assert ys == [83.1, 84.0, 85.7, 86.5] and xs == sorted(xs)
        assert chart.series["baseline 82.5%"][1] == [82.5, 82.5]
        assert chart.plot is not None and chart.plot.display and not chart.query_one("#chart-empty").display
        assert "A year earlier: 84.0% (Q2 2024/25): ▲ +2.5 pts better" in _detail(screen)
        # to a measure without figures: the chart says how to get some
        table.move_cursor(row=_row(table, "Crime recording rate: sexual offences"))
        await wait_for(pilot, lambda: "sexual offences" in _detail(screen), "the next measure")
        await wait_for(pilot, lambda: chart.series == {}, "no chart")
        assert chart.query_one("#chart-empty").display and not chart.plot.display
        assert not app.reported


async def test_n_drafts_a_question_linked_to_the_measure(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _performance(pilot)
        await pilot.press("down", "down", "down", "down")  # Anti-social behaviour incidents
        await wait_for(pilot, lambda: "Anti-social behaviour incidents" in _detail(screen), "the measure")
        await pilot.press("n")
        editor = await wait_screen(pilot, "QuestionEditScreen")
        await wait_for(pilot, lambda: "the measure Anti-social behaviour incidents" in
                       static_text(editor.query_one("#links")), "the measure named in the form")
        editor.query_one("#text", TextArea).text = "When will the force set the baseline for anti-social behaviour?"
        await pilot.press("ctrl+s")
        await wait_screen(pilot, "performance")
        await wait_for(pilot, lambda: any("drafted about Anti-social" in m for _, m in app.told), "told")
        await wait_for(pilot, lambda: "1 question about it" in _detail(screen), "the detail counts it")
    with Store.open(seeded_path) as store:
        [question] = store.questions.list()
        measure = store.measures.get(question.measure_id)
        assert measure.name == "Anti-social behaviour incidents"
        assert question.priority_id is not None  # the objective's priority (3)
        assert [h["field"] for h in store.questions.history(question.id)] == ["created", "measure_id"]
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:  # the question's detail names the measure
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("4")
        questions = await wait_screen(pilot, "questions")
        await wait_for(pilot, lambda: "About the measure: Anti-social behaviour incidents" in
                       static_text(questions.query_one("#question-body")), "the measure in the question's detail")


async def test_6_opens_performance_from_every_main_screen(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        for key, name in (("1", "dashboard"), ("2", "actions"), ("3", "findings"), ("4", "questions"),
                          ("5", "meetings"), ("6", "performance")):
            await pilot.press(key)
            await wait_screen(pilot, name)
            await pilot.press("6")
            screen = await wait_screen(pilot, "performance")
            await wait_for(pilot, lambda s=screen: s.loads, "the measures")
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")


async def test_the_dashboard_has_a_line_per_objective_and_enter_opens_it(seeded_path):
    _upsert(seeded_path, [("Recorded crime", "Q2 2024/25", 25_000), ("Recorded crime", "Q2 2025/26", 24_000)])
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        performance = dashboard.query_one("#performance", DataTable)
        await wait_for(pilot, lambda: performance.row_count == 4, "a line per objective")
        lines = rows(performance)
        assert lines[0] == ["1. Improve crime recording", "baseline 82.5% (2024 PEEL inspection), no figures since",
                            ALL_CRIME]
        assert lines[1] == ["2. Reduce crime and anti-social behaviour",
                            "24,000 (Q2 2025/26) ▼ −1,000 better on a year earlier", "Recorded crime"]
        assert lines[2][1] == lines[3][1] == "baseline pending"
        assert "green" in str(performance.get_cell_at((1, 1)).style)
        performance.focus()
        performance.cursor_coordinate = (1, 1)
        await pilot.press("enter")
        screen = await wait_screen(pilot, "performance")
        await wait_for(pilot, lambda: screen.detail_id is not None and screen.measure is not None, "the measure")
        assert screen.measure.measure.name == "Recorded crime"


async def test_usable_at_80x24(seeded_path):
    _upsert(seeded_path, [(ALL_CRIME, "Q2 2024/25", 84.0), (ALL_CRIME, "Q2 2025/26", 86.5)])
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, table = await _performance(pilot)
        assert [c.key for c in table.columns] == ["name", "latest", "year", "baseline"]
        assert sum(c.width + 2 for c in table.columns) <= table.size.width
        assert table.get_row_at(_row(table, ALL_CRIME))[1:] == ["86.5%", "▲+2.5 better", "▲+4.0 better"]
        assert static_text(screen.query_one("#performance-summary")).count("\n") == 0  # one line
        names = [table.get_row_at(i)[0] for i in range(table.row_count) if table.keys[i] is not None]
        name_width = table.columns[0].width
        assert len({n[:name_width - 1] for n in names}) == len(names)  # each measure told apart as shown
        assert "(latest: Q2 2025/26)" in static_text(screen.query_one("#performance-summary"))  # no period column
        detail = screen.query_one("#detail")
        chart = screen.query_one("#chart")
        await wait_for(pilot, lambda: chart.series and chart.plot.size.height >= 5, "the chart drawn")
        assert detail.region.height >= 8 and detail.region.bottom <= 23 and table.region.height >= 8
        await pilot.press("n")
        await wait_screen(pilot, "QuestionEditScreen")
        await pilot.press("escape")
        await wait_screen(pilot, "performance")


async def test_i_imports_a_file_of_figures_and_says_what_it_did(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await _performance(pilot)
        await pilot.press("i")
        prompt = await wait_screen(pilot, "ImportPrompt")
        field = prompt.query_one("#value", Input)
        field.value = str(SAMPLE.parent / "no-such-file.csv")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "There is no file" in static_text(prompt.query_one("#error")), "refused")
        field.value = str(SAMPLE)
        await pilot.press("enter")
        await wait_screen(pilot, "performance")
        await wait_for(pilot, lambda: any("imported" in m for _, m in app.told), "the import told")
        told = next(m for _, m in app.told if "imported" in m)
        assert told.startswith("90 values for 9 measures imported (0 new measures, 0 changed)")
        await wait_for(pilot, lambda: table.get_row_at(_row(table, ALL_CRIME))[1] != "—", "the figures shown")
        chart = screen.query_one("#chart")
        await wait_for(pilot, lambda: len(chart.series.get("figures", ((), ()))[1]) == 10, "its ten quarters charted")
        assert not app.reported


def test_the_chart_and_file_libraries_are_not_loaded_at_start_up():
    """textual-plotext is imported when the first chart is drawn, python-docx (and lxml under it) and openpyxl when
    a file is written: not by the app, its services, the dashboard, the help (which reads every screen's keys) or
    the Performance screen's module. Each module loaded is start-up time, and objects that every full garbage
    collection scans (python-docx made those a third longer)."""
    import subprocess
    import sys

    code = ("import sys\n"
            "import accountability_tui.cli, accountability_tui.ui.app, accountability_tui.ui.screens.dashboard\n"
            "import accountability_tui.services, accountability_tui.ui.screens.performance\n"
            "from accountability_tui.ui.registry import key_sources\n"
            "key_sources()\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'plotext', 'textual_plotext', 'docx', 'lxml', "
            "'openpyxl'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
