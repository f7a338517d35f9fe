"""What a briefing is made of: its sections and their typed items. Built by services/briefing.py, written by
briefing/markdown.py. Plain data: no database here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accountability_tui.domain.models import (
    STALE_DAYS,
    ActionRow,
    FindingRow,
    HistoryEntry,
    MeasureRow,
    MeasureSummary,
    MeasureValueRow,
    MeetingRow,
    QuestionRow,
)

SECTIONS: list[tuple[str, str]] = [
    ("details", "Meeting details"),
    ("since", "Since the last meeting"),
    ("performance", "Performance"),
    ("overdue", "Overdue actions"),
    ("hmicfrs", "HMICFRS update"),
    ("questions", "Questions for the Chief Constable"),
    ("notes", "Officer's notes"),
]
SECTION_TITLES = dict(SECTIONS)


@dataclass(kw_only=True)
class Item:
    """One item of a section, with the officer's decisions about it."""

    section: str
    kind: str  # action | finding | question | note
    ref_id: int
    tags: list[str] = field(default_factory=list)  # why it is here, e.g. "status changed", "newly overdue"
    included: bool = True
    restricted: bool = False
    comment: str | None = None
    discuss: bool = False
    public: bool = False  # a note, or the comment on an item, goes into the public version (internal by default)
    position: int = 0  # the officer's order (0: the standard order)
    default_index: int = 0

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.ref_id)

    @property
    def label(self) -> str:  # pragma: no cover - every kind of item says what it is
        raise NotImplementedError


@dataclass(kw_only=True)
class ActionItem(Item):
    kind: str = "action"
    action: ActionRow
    days_overdue: int = 0
    due_changes: int = 0  # how often the due date moved since the baseline
    changes: list[HistoryEntry] = field(default_factory=list)  # status and due-date changes in the period
    # what the briefing says about an action put forward for discussion
    findings: list[FindingRow] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Action {self.action.plan_code} {self.action.ref}{_tags(self)}: {self.action.text}"


@dataclass(kw_only=True)
class FindingItem(Item):
    kind: str = "finding"
    finding: FindingRow
    actions: list[ActionRow] = field(default_factory=list)  # the actions linked to it

    @property
    def label(self) -> str:
        return f"Finding {self.finding.inspection_code} {self.finding.ref}{_tags(self)}: {self.finding.text}"


@dataclass(kw_only=True)
class QuestionItem(Item):
    kind: str = "question"
    question: QuestionRow
    links: str = ""  # how its links read

    @property
    def label(self) -> str:
        q = self.question
        return f"Question {q.id} [{q.status.label}]{_tags(self)}: {q.text}"


@dataclass(kw_only=True)
class NoteItem(Item):
    kind: str = "note"
    text: str

    @property
    def label(self) -> str:
        return f"Note: {self.text}"


def _tags(item: Item) -> str:
    return f" ({', '.join(item.tags)})" if item.tags else ""


@dataclass
class GroupCount:
    plan: str
    group: str
    count: int


@dataclass
class InspectionSummary:
    title: str
    code: str
    kind: str
    inspected: str | None
    published: dt.date | None
    grades: list[tuple[str, str]]
    s55: dt.date | None  # the section 55 response deadline
    s55_days: int | None  # days left at the as-of date (negative: passed)
    s55_published_on: dt.date | None = None  # when the PCC's response was published (None: not recorded)
    s55_link: str | None = None


@dataclass
class Section:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class SinceSection(Section):
    start: dt.date | None = None
    end: dt.date | None = None
    figures: list[tuple[MeasureRow, MeasureValueRow]] = field(default_factory=list)  # given or changed since
    public_figures: list[tuple[MeasureRow, MeasureValueRow]] = field(default_factory=list)  # of those, public


@dataclass
class MeasureFigures:
    """A measure in the briefing: its summary at the as-of date and its figures up to then, oldest first."""

    summary: MeasureSummary
    values: list[MeasureValueRow]


@dataclass
class ObjectiveFigures:
    title: str
    measures: list[MeasureFigures]


@dataclass
class PerformanceSection(Section):
    """The measures by objective; public_objectives leaves out every measure and figure whose source is
    restricted (worked out from the data, not filtered afterwards, so that 'latest' is the latest public one)."""

    objectives: list[ObjectiveFigures] = field(default_factory=list)
    public_objectives: list[ObjectiveFigures] = field(default_factory=list)


@dataclass
class OverdueSection(Section):
    groups: list[GroupCount] = field(default_factory=list)
    total: int = 0  # every overdue action at the as-of date, whatever the briefing lists
    stale: int = 0  # of those, how many have had no update since the last meeting or for Briefing.stale_days
    plans: dict[str, str] = field(default_factory=dict)  # code -> title of the plans with overdue actions


@dataclass
class HmicfrsSection(Section):
    inspections: list[InspectionSummary] = field(default_factory=list)


@dataclass(frozen=True)
class Approval:
    """A meeting's briefing as approved: by whom, when, and whether what it contains has changed since (its
    fingerprint differs from the one approved; services/briefing.py works that out)."""

    who: str
    at: str  # ISO, UTC
    fingerprint: str  # of what the briefing contained when approved
    changed: bool = False

    @property
    def on(self) -> dt.date:
        """The day it was approved, on this computer's clock (an approval at 00:30 in summer is that day's, not
        the day before's, as UTC would have it on an official paper)."""
        at = dt.datetime.fromisoformat(self.at)
        return (at if at.tzinfo is None else at.astimezone()).date()


@dataclass
class Briefing:
    meeting: MeetingRow | None
    as_of: dt.date
    previous: MeetingRow | None
    sections: list[Section]
    force: str | None = None
    stale_days: int = STALE_DAYS  # a status not reported for more than this many days is stale (the setting)
    approval: Approval | None = None  # its latest approval (None: never approved, or no meeting)

    @property
    def title(self) -> str:
        if self.meeting is None:
            return f"Briefing at {self.as_of:%-d %B %Y}"
        return f"Briefing: {self.meeting.title or self.meeting.kind}, {self.meeting.date:%A %-d %B %Y}"

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def item_count(self) -> int:
        return sum(len(s.items) for s in self.sections)
