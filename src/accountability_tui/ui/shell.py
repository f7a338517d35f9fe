"""What a screen may ask of the app: the services, the as-of date, navigation and telling the officer.

A Protocol, so that screens depend on this small surface and never import the app module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from accountability_tui.domain.models import MeetingRow
    from accountability_tui.services import Services
    from accountability_tui.services.presence import Session

P = ParamSpec("P")
T = TypeVar("T")


class Shell(Protocol):
    services: Services
    as_of: dt.date
    plan_code: str | None
    memory: dict[str, Any]  # what each list was showing (filters, search, sort), while the app is open
    export_folder: Path  # where exports are suggested (the settings' export_folder, else the documents folder)
    others: list[Session]  # who else has the database open (and which meeting they are preparing)

    async def db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T: ...

    def db_soon(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> None: ...

    def report(self, error: BaseException, where: DOMNode | None = None) -> None: ...

    def set_as_of(self, as_of: dt.date) -> None: ...

    def prepare_meeting(self, meeting: MeetingRow) -> None: ...

    def data_changed(self) -> None: ...

    def action_go(self, name: str, **kwargs: Any) -> None: ...

    def open_record(self, kind: str, item_id: int) -> None: ...
