"""The Textual application: the shell around the screens (navigation, as-of date, the database, help)."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from .errors import AppError
from .store import Store

if TYPE_CHECKING:
    from textual.screen import Screen

    from .overview import DashboardData

T = TypeVar("T")

SCREENS = ("dashboard", "actions", "findings", "questions", "meetings")


class AsOfChanged(Message):
    """The as-of date changed: every screen that shows overdue figures reloads."""

    def __init__(self, as_of: dt.date) -> None:
        super().__init__()
        self.as_of = as_of


class DataChanged(Message):
    """Something was saved: screens showing it reload."""


class AccountabilityApp(App[None]):
    """accountability-tui. Opens on the dashboard of the current plan."""

    TITLE = "accountability-tui"
    CSS_PATH = ["app.tcss", "screens/dashboard.tcss"]  # the dashboard is the first screen, not pushed
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("1", "go('dashboard')", "Dashboard", id="app.dashboard", show=False),
        Binding("2", "go('actions')", "Actions", id="app.actions", show=False),
        Binding("3", "go('findings')", "Findings", id="app.findings", show=False),
        Binding("4", "go('questions')", "Questions", id="app.questions", show=False),
        Binding("5", "go('meetings')", "Meetings", id="app.meetings", show=False),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Find", id="app.palette", key_display="^p"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(self, db_path: str | Path, as_of: dt.date | None = None, *, readonly: bool = False,
                 busy_timeout_ms: int | None = None, store: Store | None = None,
                 first_data: DashboardData | None = None):
        """store: the database, when the command line has opened it already (else the app opens db_path).
        first_data: the dashboard's figures, when already read (the command line reads them before the app
        starts, so that the first screen is drawn once with its figures); else the dashboard reads them."""
        super().__init__()
        self.first_data = first_data
        self.readonly = readonly
        self.busy_timeout_ms = busy_timeout_ms
        from .commands import RecordsProvider, ScreensProvider

        self.COMMANDS = App.COMMANDS | {ScreensProvider, RecordsProvider}
        self.db_path = Path(db_path)
        self.as_of = as_of or dt.date.today()
        self.plan_code: str | None = None  # the plan the dashboard and lists show; None: the current plan
        self._store: Store | None = store
        self._executor: ThreadPoolExecutor | None = None

    @property
    def store(self) -> Store:
        """The app's store; each thread gets its own SQLite connection from it."""
        if self._store is None:
            extra = {"busy_timeout_ms": self.busy_timeout_ms} if self.busy_timeout_ms else {}
            self._store = Store.open(self.db_path, create=False, readonly=self.readonly, **extra)
        return self._store

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store call off the event loop and return its result (its errors are raised here).

        Every call runs on one database thread, so the app holds one SQLite connection however many loads and
        saves are under way; the event loop never waits on SQLite.
        """
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accountability-db")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def get_default_screen(self) -> Screen:
        from .screens.dashboard import DashboardScreen

        data, self.first_data = self.first_data, None
        return DashboardScreen(data)

    async def on_mount(self) -> None:
        try:
            store = await self.db(lambda: self.store)
        except AppError as exc:
            self.report(exc)
            store = None
        if store is not None:
            for warning in store.warnings:
                self.notify(warning, severity="warning", markup=False, timeout=20)
            if store.readonly:
                self.notify(f"Read-only: {store.readonly_reason or 'opened read-only'}. You can look and export, "
                            "not change anything.", severity="warning", markup=False, timeout=20)
        self.update_sub_title()
        self.set_timer(1.0, self.freeze_memory)

    def freeze_memory(self) -> None:
        """Keep the objects that live as long as a screen (Textual's and the app's) out of Python's full garbage
        collections: each one otherwise walked them all, a pause of 40-60 ms in the middle of typing (measured:
        make bench). Called after start-up and when a main screen has opened."""
        import gc

        gc.collect()
        gc.freeze()

    def update_sub_title(self) -> None:
        readonly = "READ-ONLY · " if self._store is not None and self._store.readonly else ""
        self.sub_title = f"{readonly}{self.db_path.name} · as of {self.as_of:%-d %b %Y}"

    def set_as_of(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.update_sub_title()
        for screen in self.screen_stack:
            screen.post_message(AsOfChanged(as_of))

    def prepare_meeting(self, meeting) -> None:
        """Preparing a meeting: overdue is judged at its date."""
        if self.as_of != meeting.date:
            self.set_as_of(meeting.date)

    def data_changed(self) -> None:
        """Tell every open screen that the data changed, so that what they show is current."""
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    # --- navigation ------------------------------------------------------------------------------------------

    def screen_for(self, name: str, **kwargs: Any):
        from .screens.actions import ActionsScreen
        from .screens.dashboard import DashboardScreen
        from .screens.findings import FindingsScreen
        from .screens.meetings import MeetingsScreen
        from .screens.questions import QuestionsScreen

        return {"dashboard": DashboardScreen, "actions": ActionsScreen, "findings": FindingsScreen,
                "questions": QuestionsScreen, "meetings": MeetingsScreen}[name](**kwargs)

    def action_go(self, name: str, **kwargs: Any) -> None:
        """Open a main screen over the dashboard (Esc comes back to the dashboard)."""
        if getattr(self.screen, "screen_name", None) == name and not kwargs:
            return
        while len(self.screen_stack) > 1:  # [the dashboard, ...]
            self.pop_screen()
        if name != "dashboard":
            self.push_screen(self.screen_for(name, **kwargs))

    def open_record(self, kind: str, item_id: int) -> None:
        """Open an action, finding or question by id (from the command palette or a link)."""
        name = {"action": "actions", "finding": "findings", "question": "questions"}[kind]
        self.action_go(name, select_id=item_id)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def report(self, error: BaseException) -> None:
        """Tell the officer what went wrong, in one line (never a traceback)."""
        message = str(error) if isinstance(error, AppError) else f"{type(error).__name__}: {error}"
        self.notify(message, severity="error", markup=False, timeout=8)

    def on_unmount(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
        if self._store is not None:
            self._store.close()
