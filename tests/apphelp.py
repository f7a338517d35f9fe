"""Helpers for driving the app with Pilot: wait for what the screen shows, never sleep a fixed time."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static

from accountability_tui.ui.app import AccountabilityApp

AS_OF = dt.date(2026, 11, 22)


def make_app(path, as_of: dt.date = AS_OF) -> AccountabilityApp:
    return AccountabilityApp(db_path=path, as_of=as_of)


async def wait_for(pilot, predicate, what: str = "the condition", timeout: float = 10.0):
    """Pause until predicate() is true (workers run on their own thread)."""
    steps = int(timeout / 0.02)
    for _ in range(steps):
        try:
            result = predicate()
        except Exception:  # the widget may not be mounted yet
            result = False
        if result:
            return result
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def wait_screen(pilot, name: str):
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app.screen, "screen_name", type(app.screen).__name__) == name
                   and app.screen.is_mounted, f"screen {name}")
    await pilot.pause()
    return app.screen


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def static_text(widget: Static) -> str:
    """The plain text a Static shows."""
    return str(widget.content)
