"""Who else has the database open, and which meeting they are preparing (issue 14, "who did what")."""

from __future__ import annotations

from accountability_tui.domain.models import MeetingRow
from accountability_tui.services.access import AccessService
from accountability_tui.store import Store
from accountability_tui.store.presence import BEAT_SECONDS, Presence, Session

__all__ = ["BEAT_SECONDS", "PresenceService", "Session"]


class PresenceService:
    """This app's session (joined when the app starts, left when it stops) and the others'."""

    def __init__(self, store: Store, access: AccessService) -> None:
        self._presence = Presence(store.path)
        self._access = access

    def join(self) -> None:
        role = self._access.role() if self._access.listed() else None
        self._presence.join(self._access.who, role.value if role else None)

    def preparing(self, meeting: MeetingRow | None) -> None:
        self._presence.preparing(meeting.id if meeting else None, meeting.label if meeting else None)

    def beat(self) -> None:
        self._presence.beat()

    def leave(self) -> None:
        self._presence.leave()

    def others(self) -> list[Session]:
        """Everyone else in (not this person, in another tab or terminal), oldest first."""
        me = self._access.who.casefold()
        return [s for s in self._presence.others() if s.who.casefold() != me]
