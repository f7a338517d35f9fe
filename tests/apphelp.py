"""Helpers for driving the app with Pilot: wait for what the screen shows, never sleep a fixed time."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Static

from accountability_tui.ui.app import AccountabilityApp

AS_OF = dt.date(2026, 11, 22)


class RecordingApp(AccountabilityApp):
    """The app, remembering what it told the officer (notifications, by their public entry point)."""

    def __init__(self, *args, **kwargs) -> None:
        self.told: list[tuple[str, str]] = []  # (severity, message)
        super().__init__(*args, **kwargs)

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True) -> None:
        self.told.append((severity, str(message)))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


def make_app(path, as_of: dt.date = AS_OF, **kwargs) -> RecordingApp:
    return RecordingApp(db_path=path, as_of=as_of, **kwargs)


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


async def settled(pilot, node=None, what: str = "the work under way"):
    """Wait until every worker (of one screen or widget, or of the whole app) has finished."""
    app = pilot.app
    await wait_for(pilot, lambda: all(w.is_finished for w in app.workers if node is None or w.node is node), what)
    await pilot.pause()


async def choose(pilot, picker, value) -> None:
    """Choose a value in a picker as a person does: arrow down to it, then Enter."""
    await wait_for(pilot, lambda: value in picker.values, f"{value!r} offered")
    await pilot.press(*["down"] * picker.values.index(value), "enter")


def rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def static_text(widget: Static) -> str:
    """The plain text a Static shows."""
    return str(widget.content)
