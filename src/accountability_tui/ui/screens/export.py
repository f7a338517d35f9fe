"""Writing something to a file the officer names: the prompt (a folder that does not exist is said at once), the
question before replacing a file, and where the file went. The briefing, the Panel report and the lists use it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from accountability_tui.briefing.files import FileExists

if TYPE_CHECKING:
    from accountability_tui.ui.screens.base import MainScreen
    from accountability_tui.ui.screens.briefing import ExportPrompt


def export_to_file(screen: MainScreen, title: str, suggested: str | Path, hint: str,
                   write: Callable[[str, bool], Awaitable[Path]], told: Callable[[Path], str],
                   prompt: type[ExportPrompt] | None = None, group: str = "export") -> None:
    """Ask where (prompt: ExportPrompt unless given), write(path, force) on the database thread's terms, ask
    before replacing a file that exists, then tell the officer told(path). Failures reach App.report through
    the screen's workers, like every other."""
    from accountability_tui.ui.screens.briefing import ExportPrompt
    from accountability_tui.ui.screens.confirm import ConfirmScreen

    async def written(path: str, force: bool) -> None:
        try:
            where = await write(path, force)
        except FileExists:
            def confirmed(yes: bool | None) -> None:
                if yes:
                    screen.spawn(written(path, True), group=group)

            screen.app.push_screen(ConfirmScreen(f"{path} already exists. Replace it?"), confirmed)
            return
        screen.app.notify(told(where), markup=False, timeout=12)

    def chosen(path: str | None) -> None:
        if path:
            screen.spawn(written(path, False), group=group)

    screen.app.push_screen((prompt or ExportPrompt)(title, value=str(suggested), hint=hint, precious=False), chosen)
