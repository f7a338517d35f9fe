"""The Textual application: the shell around the screens (navigation, as-of date, the database, errors, help)."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, ParamSpec, TypeVar

from textual.app import App
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from accountability_tui.services.presence import BEAT_SECONDS
from accountability_tui.ui import registry
from accountability_tui.ui.messages import AsOfChanged, DataChanged, OthersChanged

if TYPE_CHECKING:
    from textual.binding import BindingType
    from textual.command import Provider
    from textual.screen import Screen

    from accountability_tui.domain.models import MeetingRow
    from accountability_tui.services import Services
    from accountability_tui.services.dashboard import DashboardData
    from accountability_tui.services.presence import Session
    from accountability_tui.settings import Settings

WATCH_SECONDS = 2.0  # how often the app looks for changes saved by others
P = ParamSpec("P")
T = TypeVar("T")


def _screens_provider() -> type[Provider]:
    from accountability_tui.ui.commands import ScreensProvider

    return ScreensProvider


def _records_provider() -> type[Provider]:
    from accountability_tui.ui.commands import RecordsProvider

    return RecordsProvider


class AccountabilityApp(App[None]):
    """accountability-tui. Opens on the dashboard of the current plan."""

    TITLE = "accountability-tui"
    # the dashboard is the first screen, not pushed; absolute, so that a subclass elsewhere finds them too
    CSS_PATH = [Path(__file__).parent / "app.tcss", Path(__file__).parent / "screens" / "dashboard.tcss"]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [*registry.app_bindings()]
    # the palette's providers, imported when the palette first opens (Textual calls these)
    COMMANDS = App.COMMANDS | {_screens_provider, _records_provider}

    def __init__(self, db_path: str | Path | None = None, as_of: dt.date | None = None, *, readonly: bool = False,
                 busy_timeout_ms: int | None = None, services: Services | None = None,
                 first_data: DashboardData | None = None, settings: Settings | None = None):
        """services: the database's services, when the command line has opened it already (else the app opens
        db_path here, before any screen, on this one thread). first_data: the dashboard's figures, when already
        read (the command line reads them before the app starts, so that the first screen is drawn once with its
        figures); else the dashboard reads them. settings: the officer's (theme, keymap, stale_days,
        export_folder), as the command line read them; else every default."""
        super().__init__()
        from accountability_tui.settings import Settings, export_folder

        self.settings: Settings = settings or Settings()
        self.theme = self.settings.theme
        self.export_folder: Path = export_folder(self.settings)  # where exports are suggested
        if services is None:
            from accountability_tui.services.database import open_services

            services = open_services(db_path, create=False, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        services.stale_days = self.settings.stale_days  # what the screens, briefing and reports judge stale by
        self.services: Services = services
        self.first_data = first_data
        self.db_path = services.path
        self.as_of = as_of or dt.date.today()
        self.plan_code: str | None = None  # the plan the dashboard and lists show; None: the current plan
        self.memory: dict[str, Any] = {}  # what each list was showing, so that coming back finds it as it was
        self.reported: list[str] = []  # every error told to the officer, in order (for the tests and the log)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accountability-db")
        self._data_version: int | None = None
        self._ticks = 0
        self.others: list[Session] = []  # who else has the database open (the dashboard shows them)
        self.badge: str | None = None  # who is acting, as what ("jsmith · editor"), when roles are in force

    async def db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a service call off the event loop and return its result (its errors are raised here).

        Every call runs on one database thread, so the app holds one SQLite connection however many loads and
        saves are under way; the event loop never waits on SQLite.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def db_soon(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue a service call on the database thread now, in order with every call after it, without waiting
        for it (a draft discarded as its dialog closes, before the next dialog reads drafts); a failure is told."""
        future = self._executor.submit(functools.partial(fn, *args, **kwargs))

        def done(finished: Future[T]) -> None:
            error = finished.exception()
            if error is not None:
                self.call_from_thread(self.report, error)

        future.add_done_callback(done)

    def get_default_screen(self) -> Screen:
        from accountability_tui.ui.screens.dashboard import DashboardScreen

        data, self.first_data = self.first_data, None
        return DashboardScreen(data)

    def on_mount(self) -> None:
        if self.settings.keymap:  # the officer's keys, by binding id: the footers and ? show them
            self.set_keymap(self.settings.keymap)
        for warning in self.services.warnings:
            self.notify(warning, severity="warning", markup=False, timeout=20)
        if self.services.readonly:
            self.notify(f"Read-only: {self.services.readonly_reason or 'opened read-only'}. You can look and "
                        "export, not change anything.", severity="warning", markup=False, timeout=20)
        self.update_sub_title()
        self.set_interval(WATCH_SECONDS, self._watch_file)
        self.run_worker(self._come_in(), group="presence", exit_on_error=False)

    async def _come_in(self) -> None:
        """Say who is in (the title bar shows the name and role once roles are in force) and see who else is."""
        self.badge = await self.db(self.services.access.badge)
        self.update_sub_title()
        if self.badge is not None:  # roles are in force: a reader (or someone not on the list) is told at once
            from accountability_tui.domain.roles import Role

            role = await self.db(self.services.access.role)
            who = self.services.access.who
            if role is None:
                self.notify(f"{who} is not on the list of people who may use this database: you can look, not "
                            "change anything. An admin can add you (accountability-tui user add).",
                            severity="warning", markup=False, timeout=20)
            elif role is Role.READER:
                self.notify(f"{who}, you are a reader here: you can look, search and export the public version; "
                            "a change is refused. An admin can make you an editor.", markup=False, timeout=12)
        if not self.services.readonly:  # read-only changes nothing beside the database either
            await self.db(self.services.presence.join)
        await self.look_for_others()

    async def look_for_others(self) -> None:
        await self.db(self.services.presence.beat)
        others = await self.db(self.services.presence.others)
        if others != self.others:
            self.others = others
            for screen in self.screen_stack:
                screen.post_message(OthersChanged())

    def _watch_file(self) -> None:
        self.run_worker(self._look_for_changes(), group="watch", exclusive=True, exit_on_error=False)

    async def _look_for_changes(self) -> None:
        """Someone else saved (another officer, a command-line import): every screen shows the data as it is now.
        Every PRESENCE_TICKS looks, who else is in."""
        version = await self.db(self.services.database.data_version)
        if self._data_version is not None and version != self._data_version:
            self.data_changed()
        self._data_version = version
        self._ticks += 1
        if self._ticks % max(1, round(BEAT_SECONDS / WATCH_SECONDS)) == 0:  # who else is in, every BEAT_SECONDS
            await self.look_for_others()

    def update_sub_title(self) -> None:
        readonly = "READ-ONLY · " if self.services.readonly else ""
        who = f"{self.badge} · " if self.badge else ""
        self.sub_title = f"{readonly}{who}{self.db_path.name} · as of {self.as_of:%-d %b %Y}"
        from accountability_tui.ui.widgets.title_bar import TitleBar

        for screen in self.screen_stack:
            for bar in screen.query(TitleBar):
                bar.show_title()

    def set_as_of(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.update_sub_title()
        for screen in self.screen_stack:
            screen.post_message(AsOfChanged(as_of))

    def prepare_meeting(self, meeting: MeetingRow) -> None:
        """Preparing a meeting: overdue is judged at its date, and the officer is told when that moves it. The
        others in see which meeting it is."""
        self.db_soon(self.services.presence.preparing, meeting)
        if self.as_of != meeting.date:
            was = self.as_of
            self.set_as_of(meeting.date)
            self.notify(f"Preparing the meeting of {meeting.date:%-d %B %Y}: the as-of date is now its date (it was "
                        f"{was:%-d %b %Y}; a on the dashboard sets it)", markup=False)

    def data_changed(self) -> None:
        """Tell every open screen that the data changed, so that what they show is current."""
        for screen in self.screen_stack:
            screen.post_message(DataChanged())

    # --- navigation ------------------------------------------------------------------------------------------

    def action_go(self, name: str, **kwargs: Any) -> None:
        """Open a main screen over the dashboard (Esc comes back to the dashboard)."""
        if getattr(self.screen, "screen_name", None) == name and not kwargs:
            return
        while len(self.screen_stack) > 1:  # [the dashboard, ...]
            self.pop_screen()
        if name != "dashboard":
            self.push_screen(registry.SCREENS[name].load()(**kwargs))

    def open_record(self, kind: str, item_id: int) -> None:
        """Open an action, finding or question by id (from the command palette or a link)."""
        name = {"action": "actions", "finding": "findings", "question": "questions"}[kind]
        self.action_go(name, select_id=item_id)

    def action_help(self) -> None:
        from accountability_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.settings.keymap))

    async def action_quit(self) -> None:
        """Quit; but with unsaved input in a form, ask first (the input is kept as a draft either way)."""
        from accountability_tui.ui.screens.form import FormDialog

        forms = [s for s in self.screen_stack if isinstance(s, FormDialog) and s.dirty]
        if not forms:
            self.exit()
            return
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        for form in forms:  # kept now, whatever the answer: quitting can lose nothing
            try:
                await form.keep_draft_now()
            except Exception as exc:  # told, like every other failure; the question is still asked
                self.report(exc)

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        what = forms[-1].WHAT
        self.push_screen(ConfirmScreen(f"Quit with your unsaved {what}?",
                                       f"Your {what} is kept as a draft and comes back when you open the same form "
                                       "again. y quits; n goes back to it."), answered)

    # --- errors ----------------------------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (a draft discarded as a dialog closes, say) report like the screens' do."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.report(event.worker.error)

    def report(self, error: BaseException, where: DOMNode | None = None) -> None:
        """The one place an error reaches the officer: one line, never a traceback. A dialog that can show it
        beside what was typed (show_error) does so, and keeps the input; else it is a notification."""
        from accountability_tui.services.errors import describe

        message = describe(error, self.db_path)
        self.reported.append(message)
        self.log.error(f"{type(error).__name__}: {error}")
        show = getattr(where, "show_error", None)
        if callable(show):
            show(message)
        else:
            self.notify(message, severity="error", markup=False, timeout=8)

    def on_unmount(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self.services.presence.leave()
        self.services.close()
