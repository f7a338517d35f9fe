"""Accountability and Performance Meetings."""

from __future__ import annotations

import builtins
import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.errors import Conflict, NotFound
from accountability_tui.domain.models import MeetingRow, MeetingStatus, QuestionStatus
from accountability_tui.store.actions import overdue_sql

if TYPE_CHECKING:
    from accountability_tui.domain.records import MeetingIn
    from accountability_tui.store.core import Store


def meeting_row(r: dict[str, Any]) -> MeetingRow:
    return MeetingRow(id=r["id"], date=dt.date.fromisoformat(r["date"]), kind=r["kind"], title=r["title"],
                      themes=tuple(json.loads(r["themes"] or "[]")), place=r["place"],
                      status=MeetingStatus(r["status"]), notes=r["notes"], source=r["source"], demo=bool(r["demo"]),
                      version=r["version"], sections=tuple(json.loads(r.get("sections") or "[]")))


UNASKED = (QuestionStatus.DRAFT.value, QuestionStatus.READY.value)


class Meetings:
    def __init__(self, store: Store):
        self.store = store

    def add(self, meeting: MeetingIn | dict[str, Any], *, source: str | None = None) -> int:
        from accountability_tui.domain.records import MeetingIn, validated
        from accountability_tui.store.core import inserted_id, utc_now

        meeting = validated(MeetingIn, meeting, "meeting")
        now = utc_now()
        with self.store.write() as db:
            meeting_id = inserted_id(db.table("meetings").insert({
                "date": meeting.date.isoformat(), "kind": meeting.kind, "title": meeting.title,
                "themes": json.dumps(meeting.themes), "place": meeting.place, "status": meeting.status.value,
                "notes": meeting.notes, "source": source, "demo": int(meeting.demo), "version": 1,
                "created_at": now, "updated_at": now}))
            if meeting.status is MeetingStatus.PLANNED:
                self._carry_over_to(meeting_id)
        return meeting_id

    def update(self, meeting_id: int, expected_version: int, meeting: MeetingIn) -> MeetingRow:
        from accountability_tui.store.core import utc_now

        with self.store.write():
            current = self.get(meeting_id)
            if current.version != expected_version:
                raise Conflict(f"the meeting of {current.date:%-d %B %Y} was changed by someone else; reload")
            self.store.conn.execute(
                "UPDATE meetings SET date = ?, kind = ?, title = ?, themes = ?, place = ?, notes = ?, version = ?, "
                "updated_at = ? WHERE id = ? AND version = ?",
                (meeting.date.isoformat(), meeting.kind, meeting.title, json.dumps(meeting.themes), meeting.place,
                 meeting.notes, current.version + 1, utc_now(), meeting_id, expected_version))
        return self.get(meeting_id)

    def get(self, meeting_id: int) -> MeetingRow:
        rows = self.store.query("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        if not rows:
            raise NotFound(f"no meeting with id {meeting_id}")
        return meeting_row(rows[0])

    def list(self) -> list[MeetingRow]:
        return [meeting_row(r) for r in self.store.query("SELECT * FROM meetings ORDER BY date, id")]

    def find(self, key: str) -> MeetingRow:
        """A meeting by its number or its date (YYYY-MM-DD)."""
        if key.isdigit():
            return self.get(int(key))
        try:
            day = dt.date.fromisoformat(key)
        except ValueError:
            raise NotFound(f"no meeting {key!r}: give its number or its date (YYYY-MM-DD)") from None
        rows = self.store.query("SELECT * FROM meetings WHERE date = ? ORDER BY id LIMIT 1", (day.isoformat(),))
        if not rows:
            raise NotFound(f"no meeting on {day:%-d %B %Y}")
        return meeting_row(rows[0])

    def on(self, day: dt.date) -> builtins.list[MeetingRow]:
        """The meetings on one day (usually none or one), in the order they were added."""
        return [meeting_row(r) for r in self.store.query("SELECT * FROM meetings WHERE date = ? ORDER BY id",
                                                         (day.isoformat(),))]

    def previous(self, meeting: MeetingRow) -> MeetingRow | None:
        """The meeting before this one (not cancelled)."""
        rows = self.store.query("SELECT * FROM meetings WHERE (date < ? OR (date = ? AND id < ?)) "
                                "AND status <> 'cancelled' ORDER BY date DESC, id DESC LIMIT 1",
                                (meeting.date.isoformat(), meeting.date.isoformat(), meeting.id))
        return meeting_row(rows[0]) if rows else None

    def next_planned_after(self, meeting: MeetingRow) -> MeetingRow | None:
        rows = self.store.query("SELECT * FROM meetings WHERE (date > ? OR (date = ? AND id > ?)) "
                                "AND status = 'planned' ORDER BY date, id LIMIT 1",
                                (meeting.date.isoformat(), meeting.date.isoformat(), meeting.id))
        return meeting_row(rows[0]) if rows else None

    # --- after the meeting ----------------------------------------------------------------------------------

    def close(self, meeting_id: int) -> int:
        """Mark the meeting held. Its questions that were not asked move to the next planned meeting (now, or
        when that meeting is created). Returns how many moved now."""
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            meeting = self.get(meeting_id)
            db.conn.execute("UPDATE meetings SET status = 'held', version = version + 1, updated_at = ? "
                            "WHERE id = ?", (utc_now(), meeting_id))
            following = self.next_planned_after(meeting)
            return self._carry_over_to(following.id) if following else 0

    def _carry_over_to(self, meeting_id: int) -> int:
        """Move every unasked question of held meetings before this one to it, recording why."""
        from accountability_tui.store.core import utc_now

        target = self.get(meeting_id)
        rows = self.store.query(
            f"SELECT q.id, q.version, q.meeting_id, m.date FROM questions q JOIN meetings m ON m.id = q.meeting_id "
            f"WHERE m.status = 'held' AND m.date <= ? AND q.status IN ({', '.join('?' for _ in UNASKED)})",
            (target.date.isoformat(), *UNASKED))
        now = utc_now()
        db = self.store.db
        for r in rows:
            db.conn.execute("UPDATE questions SET meeting_id = ?, version = ?, updated_at = ? WHERE id = ?",
                            (meeting_id, r["version"] + 1, now, r["id"]))
            db.conn.execute(
                "INSERT INTO question_history (question_id, version, at, who, field, old_value, new_value, note, "
                "source) VALUES (?, ?, ?, ?, 'meeting_id', ?, ?, ?, 'app')",
                (r["id"], r["version"] + 1, now, self.store.who, str(r["meeting_id"]), str(meeting_id),
                 f"not asked at the meeting of {dt.date.fromisoformat(r['date']):%-d %B %Y}: carried over"))
        return len(rows)

    def carried_over_into(self, meeting_id: int) -> builtins.list[int]:
        """Questions moved into this meeting because an earlier meeting did not ask them."""
        return [r["question_id"] for r in self.store.query(
            "SELECT DISTINCT h.question_id FROM question_history h JOIN questions q ON q.id = h.question_id "
            "WHERE h.field = 'meeting_id' AND h.new_value = ? AND h.note LIKE '%carried over' "
            "AND q.meeting_id = ?", (str(meeting_id), meeting_id))]

    # --- the overdue review ---------------------------------------------------------------------------------

    def reviewed(self, meeting_id: int) -> set[int]:
        return {r["action_id"] for r in self.store.query(
            "SELECT action_id FROM meeting_reviews WHERE meeting_id = ?", (meeting_id,))}

    def mark_reviewed(self, meeting_id: int, action_id: int, reviewed: bool = True) -> None:
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            if reviewed:
                db.conn.execute("INSERT OR IGNORE INTO meeting_reviews (meeting_id, action_id, reviewed_at, who) "
                                "VALUES (?, ?, ?, ?)", (meeting_id, action_id, utc_now(), self.store.who))
            else:
                db.conn.execute("DELETE FROM meeting_reviews WHERE meeting_id = ? AND action_id = ?",
                                (meeting_id, action_id))

    def set_section_order(self, meeting_id: int, sections: builtins.list[str]) -> None:
        with self.store.write() as db:
            db.conn.execute("UPDATE meetings SET sections = ? WHERE id = ?", (json.dumps(sections), meeting_id))

    def next_to_prepare(self) -> MeetingRow | None:
        """The first planned meeting since the last one held: the one ready questions not planned for another
        meeting go to."""
        rows = self.store.query("SELECT * FROM meetings WHERE status = 'planned' AND date >= coalesce("
                                "(SELECT max(date) FROM meetings WHERE status = 'held'), '') ORDER BY date, id LIMIT 1")
        return meeting_row(rows[0]) if rows else None

    def reviewed_overdue(self, meeting_id: int | None = None) -> dict[int, int]:
        """For each meeting (or one): how many of the actions reviewed for it are overdue at its date, in the
        office's own force — the one count of "reviewed of overdue" every screen shows."""
        current = self.store.plans.current()
        if current is None:
            return {}
        one = " AND r.meeting_id = ?" if meeting_id is not None else ""
        return {r["meeting_id"]: r["n"] for r in self.store.query(
            "SELECT r.meeting_id, count(*) AS n FROM meeting_reviews r JOIN meetings m ON m.id = r.meeting_id "
            "JOIN actions a ON a.id = r.action_id JOIN plans p ON p.id = a.plan_id "
            f"WHERE p.force = ? AND {overdue_sql('a.', 'm.date')}{one} GROUP BY r.meeting_id",
            (current.force, *((meeting_id,) if meeting_id is not None else ())))}

    def next_on_or_after(self, day: dt.date) -> MeetingRow | None:
        rows = self.store.query("SELECT * FROM meetings WHERE date >= ? AND status <> 'cancelled' "
                                "ORDER BY date, id LIMIT 1", (day.isoformat(),))
        return meeting_row(rows[0]) if rows else None

    def overdue_count(self, meeting: MeetingRow) -> int:
        """Actions overdue at the meeting's date, in the plans of the office's own force (the current plan's)."""
        current = self.store.plans.current()
        if current is None:
            return 0
        # plans first (CROSS JOIN fixes the order): the force's few plans, then their actions by index
        return int(self.store.scalar(
            "SELECT count(*) FROM plans p CROSS JOIN actions a ON a.plan_id = p.id WHERE p.force = ? "
            f"AND {overdue_sql()}", (current.force, meeting.date.isoformat())) or 0)

    def overdue_counts(self, dates: builtins.list[dt.date]) -> dict[dt.date, int]:
        """overdue_count() for many meeting dates at once (one read of the open actions' due dates)."""
        import bisect

        current = self.store.plans.current()
        if current is None:
            return {d: 0 for d in dates}
        # the open actions' due dates, once: an action is overdue at a date when its due date sorts before it
        latest = max(dates).isoformat() if dates else ""
        dues = [r["due"] for r in self.store.query(
            "SELECT a.due FROM plans p CROSS JOIN actions a ON a.plan_id = p.id WHERE p.force = ? "
            f"AND {overdue_sql()} ORDER BY a.due", (current.force, latest))]
        return {d: bisect.bisect_left(dues, d.isoformat()) for d in dates}

    def readiness_all(self) -> dict[int, dict[str, int]]:
        """readiness() of every meeting, in three queries."""
        result: dict[int, dict[str, int]] = {}
        for r in self.store.query("SELECT meeting_id, sum(included) AS items, sum(discuss) AS discuss "
                                  "FROM briefing_items GROUP BY meeting_id"):
            result.setdefault(r["meeting_id"], {}).update(items=r["items"] or 0, discuss=r["discuss"] or 0)
        for meeting_id, n in self.reviewed_overdue().items():
            result.setdefault(meeting_id, {})["reviewed"] = n
        for r in self.store.query("SELECT meeting_id, status, count(*) AS n FROM questions "
                                  "WHERE meeting_id IS NOT NULL GROUP BY meeting_id, status"):
            result.setdefault(r["meeting_id"], {})[r["status"]] = r["n"]
        return result

    def carried_over_counts(self) -> dict[int, int]:
        return {r["meeting_id"]: r["n"] for r in self.store.query(
            "SELECT q.meeting_id, count(DISTINCT h.question_id) AS n FROM question_history h "
            "JOIN questions q ON q.id = h.question_id WHERE h.field = 'meeting_id' AND h.note LIKE '%carried over' "
            "AND h.new_value = CAST(q.meeting_id AS TEXT) GROUP BY q.meeting_id")}

    def readiness(self, meeting_id: int) -> dict[str, int]:
        """How far the preparation of a meeting has got: reviewed actions, briefing items, questions by status."""
        counts = {"items": int(self.store.scalar(
            "SELECT count(*) FROM briefing_items WHERE meeting_id = ? AND included = 1", (meeting_id,)) or 0),
            "reviewed": self.reviewed_overdue(meeting_id).get(meeting_id, 0),
            "discuss": int(self.store.scalar("SELECT count(*) FROM briefing_items WHERE meeting_id = ? AND discuss = 1",
                                             (meeting_id,)) or 0)}
        for r in self.store.query("SELECT status, count(*) AS n FROM questions WHERE meeting_id = ? GROUP BY status",
                                  (meeting_id,)):
            counts[r["status"]] = r["n"]
        return counts
