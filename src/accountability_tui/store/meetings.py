"""Accountability and Performance Meetings."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..errors import NotFound, ValidationFailed
from ..models import MeetingIn, MeetingRow, MeetingStatus, describe_error

if TYPE_CHECKING:
    from .core import Store


def meeting_row(r: dict) -> MeetingRow:
    return MeetingRow(id=r["id"], date=dt.date.fromisoformat(r["date"]), kind=r["kind"], title=r["title"],
                      themes=tuple(json.loads(r["themes"] or "[]")), place=r["place"],
                      status=MeetingStatus(r["status"]), notes=r["notes"], source=r["source"], demo=bool(r["demo"]),
                      version=r["version"])


class Meetings:
    def __init__(self, store: Store):
        self.store = store

    def add(self, meeting: MeetingIn | dict, *, source: str | None = None) -> int:
        from .core import utc_now

        try:
            meeting = meeting if isinstance(meeting, MeetingIn) else MeetingIn(**meeting)
        except ValidationError as exc:
            raise ValidationFailed(describe_error(exc, "meeting")) from exc
        now = utc_now()
        with self.store.write() as db:
            return db["meetings"].insert({
                "date": meeting.date.isoformat(), "kind": meeting.kind, "title": meeting.title,
                "themes": json.dumps(meeting.themes), "place": meeting.place, "status": meeting.status.value,
                "notes": meeting.notes, "source": source, "demo": int(meeting.demo), "version": 1,
                "created_at": now, "updated_at": now}).last_pk

    def get(self, meeting_id: int) -> MeetingRow:
        rows = self.store.query("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if not rows:
            raise NotFound(f"no meeting with id {meeting_id}")
        return meeting_row(rows[0])

    def list(self) -> list[MeetingRow]:
        return [meeting_row(r) for r in self.store.query("SELECT * FROM meetings ORDER BY date, id")]

    def next_on_or_after(self, day: dt.date) -> MeetingRow | None:
        rows = self.store.query("SELECT * FROM meetings WHERE date >= ? AND status <> 'cancelled' "
                                "ORDER BY date, id LIMIT 1", (day.isoformat(),))
        return meeting_row(rows[0]) if rows else None

    def readiness(self, meeting_id: int) -> dict[str, int]:
        """How far the briefing of a meeting has got: its items, and its questions by status."""
        counts = {"items": int(self.store.scalar(
            "SELECT count(*) FROM briefing_items WHERE meeting_id = ? AND included = 1", (meeting_id,)) or 0)}
        for r in self.store.query("SELECT status, count(*) AS n FROM questions WHERE meeting_id = ? GROUP BY status",
                                  (meeting_id,)):
            counts[r["status"]] = r["n"]
        return counts
