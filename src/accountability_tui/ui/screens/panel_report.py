"""The Annual Delivery Plan progress report to the Police and Crime Panel, from the actions screen (P): where to
write it (the name's ending decides: Word, Excel or Markdown), then where it went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accountability_tui.domain.errors import AppError
from accountability_tui.services.reports import panel_format
from accountability_tui.ui.screens.briefing import ExportPrompt
from accountability_tui.ui.screens.export import export_to_file

if TYPE_CHECKING:
    from accountability_tui.ui.screens.base import MainScreen


class ReportPrompt(ExportPrompt):
    """The file to write the report to: a folder that does not exist, or an ending that is not .docx, .xlsx or
    .md, is said at once, and the prompt stays open."""

    def parse(self, value: str) -> str:
        path = super().parse(value)
        try:
            panel_format(path)
        except AppError as exc:
            raise ValueError(str(exc)) from None
        return path


def export_panel_report(screen: MainScreen, plan_code: str) -> None:
    """Ask where to write the plan's report at the app's as-of date, write it, and say where it went (asking
    before replacing a file)."""
    as_of = screen.shell.as_of

    async def write(path: str, force: bool) -> Path:
        return await screen.shell.db(screen.services.reports.export_panel, plan_code, path, as_of=as_of, force=force)

    export_to_file(screen, f"Write the Annual Delivery Plan report of {plan_code} at {as_of:%-d %B %Y} to",
                   screen.shell.export_folder / f"panel-report-{plan_code}-{as_of.isoformat()}.docx",
                   "Word (.docx), Excel (.xlsx) or Markdown (.md): the name's ending decides. The Excel file imports "
                   "back into the plan unchanged.",
                   write, lambda where: f"Panel report of {plan_code} written to {where}", ReportPrompt,
                   group="panel-report")
