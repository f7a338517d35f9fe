"""The briefing builder with 500 items: every key shows at once, whatever the size of the briefing.

Not timed (a timing flakes on a busy machine; `make bench` times it, in a real terminal): the test counts the work
a key does instead. Each key changes the list in its own handler, before anything is written or read; it draws only
the rows it changed, never the whole list; the preview is laid out again from the briefing in memory (the database
is not read again), and it never mounts a widget per block or per table cell (Textual's Markdown did: 3,000 widgets,
seconds for each decision).
"""

from __future__ import annotations

import csv

from textual.coordinate import Coordinate

from accountability_tui.domain.models import QuestionStatus
from accountability_tui.domain.records import QuestionIn
from accountability_tui.importers import import_file
from accountability_tui.store import Store

from apphelp import make_app, wait_for, wait_screen


def _five_hundred_items(path, folder) -> None:
    """The seed (70 overdue actions at 10 Dec 2026) and 430 more, 20 questions and 5 notes: about 530 items."""
    source = folder / "herts-extra.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ref", "Action", "Status", "Explanation", "Timeframe", "Lead"])
        for n in range(1, 431):
            writer.writerow([f"X{n}", f"Ask the Chief Constable to deliver improvement {n}", "In progress",
                             "Progress reported to the Strategic Executive Board.", "Spring 2024", "Constabulary"])
    with Store.open(path) as store:
        import_file(store, source, plan="HERTS-EXTRA")
        meeting = store.meetings.add({"date": "2026-12-10"})
        for n in range(20):
            store.questions.add(QuestionIn(text=f"Question {n}: when will it be done?", meeting_id=meeting,
                                           status=QuestionStatus.READY))
        for n in range(5):
            store.briefings.add_note(meeting, f"Note {n}")


def _counting(service, name: str, calls: list[str]) -> None:
    method = getattr(service, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return method(*args, **kwargs)

    setattr(service, name, counted)


async def test_every_key_of_the_builder_shows_at_once_with_500_items(seeded_path, tmp_path):
    _five_hundred_items(seeded_path, tmp_path)
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("5")
        meetings = await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: meetings.selected is not None, "the meetings")
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None and builder.versions, "the briefing", timeout=30)
        assert builder.briefing.item_count() >= 500
        table = builder.query_one("#items")
        preview = builder.query_one("#preview")
        reads: list[str] = []
        for name in ("preview", "rendered"):
            _counting(app.services.briefings, name, reads)
        cleared: list[int] = []
        clear = table.clear
        table.clear = lambda *args, **kwargs: (cleared.append(1), clear(*args, **kwargs))[1]

        at = next(n for n, (section, item) in enumerate(builder.rows) if section == "overdue" and item) + 3
        table.move_cursor(row=at)
        await pilot.pause()
        item = builder.rows[at][1]
        label = table.get_cell_at(Coordinate(at, 2)).plain

        async def press(key: str, shown, most_lines: int = 4) -> None:
            """The key's change is in the list when its handler returns: nothing waited for."""
            before = table.drawn
            await pilot.press(key)
            assert shown(), f"{key}: not shown at once"
            await wait_for(pilot, lambda: table.drawn > before, f"{key}: the list drawn")
            await pilot.pause()
            assert table.drawn - before <= most_lines, f"{key}: {table.drawn - before} lines drawn"

        def cell(column: int) -> str:
            return table.get_cell_at(Coordinate(table.cursor_row, column)).plain

        for key, shown in (("space", lambda: cell(0) == "✗"), ("space", lambda: cell(0) == "✓"),
                           ("r", lambda: cell(1)[1] == "R"), ("r", lambda: cell(1)[1] == "·"),
                           ("d", lambda: cell(1)[3] == "D"), ("d", lambda: cell(1)[3] == "·"),
                           ("J", lambda: cell(2) == label and table.cursor_row == at + 1),
                           ("K", lambda: cell(2) == label and table.cursor_row == at)):
            await press(key, shown)
        assert builder.rows[at][1] is item

        # the preview follows once the keys stop, laid out from the briefing in memory: not read again
        def previewed() -> bool:  # the action's row in the preview's table of overdue actions
            lines = preview.version.lines if preview.version is not None else []
            return any(line and line[0][0].strip() == item.action.ref for line in lines)

        assert previewed()
        await press("space", lambda: cell(0) == "✗")
        await wait_for(pilot, lambda: not previewed(), "left out of the preview")
        assert "preview" not in reads and "rendered" in reads
        assert not cleared and len(preview.children) == 0
        await press("space", lambda: cell(0) == "✓")
        await wait_for(pilot, previewed, "back in the preview")

        # a section moves at once: the table's rows are sorted, not made again
        row = next(n for n, (section, item) in enumerate(builder.rows) if section == "overdue" and item is None)
        table.move_cursor(row=row)
        await pilot.pause()
        order = [s.key for s in builder.briefing.sections]
        up = order.index("overdue") - 1
        await press("K", lambda: [s.key for s in builder.briefing.sections][up] == "overdue"
                    and cell(2).startswith(f"{up + 1}. Overdue actions"), most_lines=table.size.height)
        await press("J", lambda: [s.key for s in builder.briefing.sections] == order, most_lines=table.size.height)
        assert not cleared and table.row_count == len(builder.rows)

        # p: the other version is laid out once; then each p only swaps them
        await pilot.press("p")
        await wait_for(pilot, lambda: preview.version is not None and preview.version.public, "the public view")
        for public in (False, True, False):
            await pilot.press("p")
            assert preview.version is not None and preview.version.public is public, "p: not shown at once"
        assert len(preview.children) == 0 and "preview" not in reads
