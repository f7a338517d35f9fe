"""Meetings as the screens ask for them: the list with each meeting's preparation, the overdue review, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accountability_tui.domain.errors import NotFound, ValidationFailed
from accountability_tui.domain.models import ActionRow, MeetingRow, MeetingStatus
from accountability_tui.services.actions import in_plan_order
from accountability_tui.store import Store

DEFAULT_KIND = "Accountability and Performance Meeting"
DEFAULT_PLACE = "Police Headquarters, Welwyn Garden City"


@dataclass
class MeetingLine:
    meeting: MeetingRow
    overdue: int
    readiness: dict[str, int]
    carried: int

    @property
    def preparation(self) -> str:
        r = self.readiness
        questions = sum(r.get(s, 0) for s in ("draft", "ready", "asked", "answered", "follow_up"))
        return (f"reviewed {r.get('reviewed', 0)} of {self.overdue} overdue · {r.get('discuss', 0)} for discussion · "
                f"{questions} question{'s' if questions != 1 else ''} ({r.get('ready', 0)} ready)")


@dataclass
class ReviewState:
    meeting: MeetingRow
    actions: list[ActionRow]  # in plan order
    reviewed: set[int]
    discuss: set[int]


@dataclass
class MeetingDraft:
    """A meeting as the officer enters it."""

    date: dt.date
    kind: str = DEFAULT_KIND
    title: str | None = None
    themes: tuple[str, ...] = ()
    place: str | None = None


class MeetingsService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, meeting_id: int) -> MeetingRow:
        return self._store.meetings.get(meeting_id)

    def listing(self) -> list[MeetingRow]:
        """Every meeting, oldest first."""
        return self._store.meetings.list()

    def planned(self) -> list[MeetingRow]:
        """The meetings still to come (planned), soonest first."""
        return [m for m in self._store.meetings.list() if m.status.value == "planned"]

    def lines(self) -> list[MeetingLine]:
        """Every meeting, newest first, with how far its preparation has got."""
        meetings = self._store.meetings
        rows = list(reversed(meetings.list()))
        overdue = meetings.overdue_counts([m.date for m in rows])
        readiness = meetings.readiness_all()
        carried = meetings.carried_over_counts()
        return [MeetingLine(m, overdue[m.date], readiness.get(m.id, {}), carried.get(m.id, 0)) for m in rows]

    def save(self, draft: MeetingDraft, meeting: MeetingRow | None = None) -> int:
        """A new meeting (meeting None) or an edit of one; returns its id."""
        from accountability_tui.domain.records import MeetingIn, validated

        record = validated(MeetingIn, {"date": draft.date, "kind": draft.kind, "title": draft.title,
                                       "themes": list(draft.themes), "place": draft.place}, "meeting")
        if meeting is None:
            return self._store.meetings.add(record)
        self._store.meetings.update(meeting.id, meeting.version, record)
        return meeting.id

    def add(self, draft: MeetingDraft) -> tuple[MeetingRow, int]:
        """A new meeting, unless one (not cancelled) is already on that day; returns it, with how many questions
        not asked at earlier meetings were carried over to it."""
        same_day = [m for m in self._store.meetings.on(draft.date) if m.status is not MeetingStatus.CANCELLED]
        if same_day:
            raise ValidationFailed(f"meeting {same_day[0].id} is already on {draft.date:%A %-d %B %Y}; "
                                   "nothing was added")
        meeting_id = self.save(draft)
        return self.get(meeting_id), len(self._store.meetings.carried_over_into(meeting_id))

    def find(self, key: str) -> MeetingRow:
        """A meeting by its number, or by its date as officers type dates (2026-12-10 or 10/12/2026); of two on one
        day, the one not cancelled."""
        from accountability_tui.domain.dates import parse_date

        key = key.strip()
        if key.isascii() and key.isdigit():
            number = int(key)
            try:
                if number >= 2**63:  # beyond SQLite's integers: no meeting has such a number
                    raise NotFound(key)
                return self.get(number)
            except NotFound:
                raise NotFound(f"no meeting numbered {number} (see: accountability-tui meetings)") from None
        try:
            day = parse_date(key)
        except ValueError:
            raise NotFound(f"no meeting {key!r}: give the meeting's number, or its date as YYYY-MM-DD or "
                           "DD/MM/YYYY") from None
        meetings = sorted(self._store.meetings.on(day), key=lambda m: m.status is MeetingStatus.CANCELLED)
        if not meetings:
            raise NotFound(f"no meeting on {day:%A %-d %B %Y} (see: accountability-tui meetings)")
        return meetings[0]

    def to_plan_for(self, key: str) -> MeetingRow:
        """find(key), for planning a question: a meeting still to come, not one held or cancelled."""
        meeting = self.find(key)
        if meeting.status is not MeetingStatus.PLANNED:
            raise ValidationFailed(f"meeting {meeting.id} of {meeting.date:%-d %B %Y} is {meeting.status.value}; "
                                   "plan the question for a planned meeting")
        return meeting

    def close(self, meeting_id: int) -> int:
        """Mark it held; returns how many unasked questions moved to the next meeting."""
        return self._store.meetings.close(meeting_id)

    # --- the overdue review ----------------------------------------------------------------------------------

    def review(self, meeting_id: int) -> ReviewState:
        """The actions overdue at the meeting's date, and those reviewed for it that are no longer overdue (their
        due date moved, or they were completed, during the review), in plan order."""
        store = self._store
        meeting = store.meetings.get(meeting_id)
        current = store.plans.current()
        force = current.force if current is not None else None  # the office's own force, as the briefing
        actions = store.actions.overdue(meeting.date, force=force)
        reviewed = store.meetings.reviewed(meeting_id)
        missing = reviewed - {a.id for a in actions}
        actions += store.actions.get_many(sorted(missing)).values()
        discuss = {d.ref_id for d in store.briefings.decisions(meeting_id).values()
                   if d.kind == "action" and d.section == "overdue" and d.discuss and d.ref_id is not None}
        return ReviewState(meeting=meeting, actions=in_plan_order(actions), reviewed=reviewed, discuss=discuss)

    def mark_reviewed(self, meeting_id: int, action_id: int, reviewed: bool = True) -> None:
        self._store.meetings.mark_reviewed(meeting_id, action_id, reviewed)
