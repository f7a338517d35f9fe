"""The vocabulary every layer speaks: enums, and the plain read-only rows the store hands back.

Plain Python: no Textual here (a test checks it), and no pydantic either: what enters the store is validated by the
records in :mod:`accountability_tui.domain.records`, which are loaded only when something is written, so that opening the
app does not pay for them (measured: make bench).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from accountability_tui.domain.periods import Period, PeriodKind

MAX_TEXT = 100_000  # characters in any one text field (an imported cell over 100 kB is refused)

class Status(StrEnum):
    """An action's status. On hold is not complete (it can be overdue); withdrawn is kept with its history but
    is never overdue and is left out of every count (lists show it only when asked for)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    UNKNOWN = "unknown"
    ON_HOLD = "on_hold"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "complete": "Complete",
                "unknown": "Unknown", "on_hold": "On hold", "withdrawn": "Withdrawn"}[self.value]

    @property
    def counted(self) -> bool:
        """Whether actions of this status count (in totals, by status, overdue): all but withdrawn."""
        return self is not Status.WITHDRAWN

    @property
    def closed(self) -> bool:
        """Complete or withdrawn: never overdue."""
        return self in (Status.COMPLETE, Status.WITHDRAWN)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Mechanism(StrEnum):
    """How the PCC delivers a commitment, read from the verb it starts with."""

    ASK_CHIEF_CONSTABLE = "ask_chief_constable"
    HOLD_TO_ACCOUNT = "hold_to_account"
    OPCC_DELIVERS = "opcc_delivers"
    PARTNERS = "partners"
    LOBBYING = "lobbying"

    @property
    def label(self) -> str:
        return {
            "ask_chief_constable": "Ask the Chief Constable",
            "hold_to_account": "Hold to account",
            "opcc_delivers": "OPCC delivers",
            "partners": "With partners",
            "lobbying": "Lobbying",
        }[self.value]


class FindingKind(StrEnum):
    CAUSE_OF_CONCERN = "cause_of_concern"
    RECOMMENDATION = "recommendation"
    AREA_FOR_IMPROVEMENT = "area_for_improvement"

    @property
    def label(self) -> str:
        return {"cause_of_concern": "Cause of concern", "recommendation": "Recommendation",
                "area_for_improvement": "Area for improvement"}[self.value]

    @property
    def plural(self) -> str:
        return {"cause_of_concern": "causes of concern", "recommendation": "recommendations",
                "area_for_improvement": "areas for improvement"}[self.value]


class FindingStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Grade(StrEnum):
    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires_improvement"
    INADEQUATE = "inadequate"
    NOT_GRADED = "not_graded"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class QuestionStatus(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    ASKED = "asked"
    ANSWERED = "answered"
    FOLLOW_UP = "follow_up"  # answered, and a follow-up question was raised from it

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


# --- What the store hands back: plain, fast, read-only rows. -------------------------------------------------

@dataclass(frozen=True, slots=True)
class PlanRow:
    id: int
    code: str
    title: str
    force: str
    pcc: str | None
    period: str | None
    source: str | None
    is_current: bool
    demo: bool
    actions: int = 0  # not counting withdrawn ones
    version: int = 1


@dataclass(frozen=True, slots=True)
class PriorityRow:
    id: int
    plan_id: int
    number: int
    title: str
    goals: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: int
    plan_id: int
    plan_code: str
    ref: str
    priority_id: int | None
    priority_number: int | None
    priority_title: str | None
    theme: str | None
    text: str
    lead: str | None
    mechanism: Mechanism | None
    status: Status
    status_text: str | None
    rag: Rag | None
    timeframe: str | None
    baseline_due: dt.date | None
    due: dt.date | None
    plan_page: str | None
    explanation: str | None
    position: int | None
    version: int
    updated_at: str
    status_as_at: dt.date | None = None  # when the status was last reported (see is_stale)

    def stale(self, as_of: dt.date, previous_meeting: dt.date | None = None, *, days: int | None = None) -> bool:
        return is_stale(self.status_as_at, as_of, previous_meeting, days=days)

    def days_overdue(self, as_of: dt.date) -> int:
        """Days past the due date at as_of; 0 when not overdue."""
        if self.status.closed or self.due is None or self.due >= as_of:
            return 0
        return (as_of - self.due).days

    def is_overdue(self, as_of: dt.date) -> bool:
        return self.days_overdue(as_of) > 0

    @property
    def group(self) -> str:
        """What the action is grouped under: its priority, else its theme."""
        if self.priority_number is not None:
            return f"{self.priority_number}. {self.priority_title}"
        return self.theme or "No theme"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    version: int
    at: str
    who: str
    field: str
    old_value: str | None
    new_value: str | None
    note: str | None
    source: str


@dataclass(frozen=True, slots=True)
class GroupCounts:
    """Counts of one priority (or theme) of a plan at an as-of date."""

    key: str
    priority_id: int | None
    by_status: dict[str, int]
    overdue: int
    no_deadline: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(frozen=True, slots=True)
class FindingRow:
    id: int
    inspection_id: int
    inspection_code: str
    inspection_title: str
    inspection_published: dt.date | None
    ref: str
    kind: FindingKind
    area: str | None
    text: str
    status: FindingStatus
    closed_on: dt.date | None
    closed_how: str | None
    source: str | None
    demo: bool
    version: int


@dataclass(frozen=True, slots=True)
class QuestionRow:
    id: int
    text: str
    rationale: str | None
    priority_id: int | None
    action_id: int | None
    finding_id: int | None
    meeting_id: int | None
    follow_up_of: int | None
    status: QuestionStatus
    answer: str | None
    answered_on: dt.date | None
    asking_order: int | None
    demo: bool
    version: int
    created_by: str
    created_at: str
    measure_id: int | None = None  # the performance measure it is about


@dataclass(frozen=True, slots=True)
class MeetingRow:
    id: int
    date: dt.date
    kind: str
    title: str | None
    themes: tuple[str, ...]
    place: str | None
    status: MeetingStatus
    notes: str | None
    source: str | None
    demo: bool
    version: int
    sections: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.date:%-d %B %Y} — {self.title or self.kind}"


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str  # action | finding | question
    item_id: int
    title: str
    snippet: str


STALE_DAYS = 90  # a status not reported for longer than this is stale (the default of the stale_days setting)


def is_stale(as_at: dt.date | None, as_of: dt.date, previous_meeting: dt.date | None = None, *,
             days: int | None = None) -> bool:
    """A status is stale when it was last reported more than `days` (default STALE_DAYS; the officer's
    stale_days setting, where the caller carries it) before the as-of date, or before the previous meeting
    (domain.md, "Staleness"). A status never reported (unknown) has no date and is not stale."""
    if as_at is None:
        return False
    limit = STALE_DAYS if days is None else days
    return (as_of - as_at).days > limit or (previous_meeting is not None and as_at < previous_meeting)


SECTION_55_DAYS = 56


def section55_deadline(published: dt.date | None) -> dt.date | None:
    """The date by which the PCC must publish a response to an HMICFRS report (Police Act 1996, s.55): 56 days
    after publication."""
    return published + dt.timedelta(days=SECTION_55_DAYS) if published else None


# --- Performance measures (domain.md, "Performance measures") --------------------------------------------------

DEFAULT_FORCE = "Hertfordshire"  # the force a record belongs to when none is named (the schema's default)


class Unit(StrEnum):
    PERCENT = "%"
    COUNT = "count"
    RATE_PER_1000 = "rate per 1,000"
    DAYS = "days"
    MINUTES = "minutes"

    @property
    def label(self) -> str:
        return self.value


class Direction(StrEnum):
    """Which way is better for a measure."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return f"{self.value} is better"


class Movement(StrEnum):
    """How a figure compares with another (a year earlier, the baseline, the target), for the measure's direction."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"

    @property
    def label(self) -> str:
        return self.value


def movement(direction: Direction | None, value: float | None, reference: float | None) -> Movement | None:
    """Whether value is better, worse or the same as reference for a measure whose direction is given. None when
    either figure is missing or the direction is not known (a measure an import created: nothing is guessed).
    Figures equal to nine significant places are the same."""
    if direction is None or value is None or reference is None:
        return None
    if math.isclose(value, reference, rel_tol=1e-9, abs_tol=1e-9):
        return Movement.SAME
    return Movement.BETTER if (value > reference) == (direction is Direction.HIGHER) else Movement.WORSE


def difference(value: float, reference: float) -> float:
    """value - reference without binary noise (92.5 - 88.9 is 3.6, not 3.5999999999999943): figures are written
    with a few decimals, so the difference is rounded to nine."""
    return round(value - reference, 9) + 0.0  # + 0.0: never -0.0


_SAME_CHARACTERS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                                  "\u2014": "-", "\u2212": "-"})


def measure_key(name: str) -> str:
    """A measure's name with case and spacing ignored, how a measure is found by name: "Charge / summons rate" and
    "charge/summons  RATE" are the same measure. Curly quotes and dashes count as straight ones."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(_SAME_CHARACTERS)
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    """A strategic performance objective of a plan (number = its place in the plan)."""

    id: int
    plan_id: int
    plan_code: str
    force: str
    number: int
    title: str
    aim: str | None
    baseline: str | None  # the plan's own words on the starting point
    success: str | None  # the plan's own words on what success looks like
    priority_id: int | None
    priority_number: int | None

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True, slots=True)
class MeasureRow:
    id: int
    force: str
    name: str
    unit: Unit | None  # None: not known yet (a measure an import created)
    direction: Direction | None  # None: not known yet; nothing is then better or worse
    objective_id: int | None
    objective_number: int | None
    objective_title: str | None
    priority_id: int | None
    priority_number: int | None
    baseline_value: float | None
    baseline_period: str | None
    baseline_source: str | None
    baseline_note: str | None
    target_value: float | None
    target_note: str | None
    source_note: str | None
    restricted: bool
    demo: bool
    position: int | None
    version: int
    updated_at: str

    @property
    def is_percent(self) -> bool:
        return self.unit is Unit.PERCENT

    @property
    def baseline_pending(self) -> bool:
        """No baseline figure yet, and the source says why ("will be known once ...")."""
        return self.baseline_value is None and self.baseline_note is not None


@dataclass(frozen=True, slots=True)
class MeasureValueRow:
    """One figure of a measure, for one period."""

    id: int
    measure_id: int
    period: str  # as first written
    kind: PeriodKind
    start: dt.date
    end: dt.date
    value: float
    target: float | None  # the period's own target, where the source gives one
    source: str | None
    restricted: bool
    demo: bool
    imported_by: str
    imported_at: str

    @property
    def as_period(self) -> Period:
        return Period(self.start, self.end, self.kind, self.period)

    @property
    def label(self) -> str:
        """The period as this project writes it ("Q1 2024/25")."""
        return self.as_period.label


@dataclass(frozen=True, slots=True)
class MeasureSummary:
    """A measure at an as-of date: its latest figure (the last value ending on or before the date), the figure for
    the same period a year earlier, and how the latest compares with that, the baseline and the target."""

    measure: MeasureRow
    as_of: dt.date
    latest: MeasureValueRow | None
    year_earlier: MeasureValueRow | None

    @property
    def target(self) -> float | None:
        """The latest period's own target, else the measure's."""
        if self.latest is not None and self.latest.target is not None:
            return self.latest.target
        return self.measure.target_value

    @property
    def change_year(self) -> float | None:
        """Latest minus the same period a year earlier (percentage points for a % measure)."""
        if self.latest is None or self.year_earlier is None:
            return None
        return difference(self.latest.value, self.year_earlier.value)

    @property
    def versus_year(self) -> Movement | None:
        """Whether the measure moved the right way since the same period a year earlier."""
        return movement(self.measure.direction, self._latest, self.year_earlier.value if self.year_earlier else None)

    @property
    def change_baseline(self) -> float | None:
        if self.latest is None or self.measure.baseline_value is None:
            return None
        return difference(self.latest.value, self.measure.baseline_value)

    @property
    def versus_baseline(self) -> Movement | None:
        return movement(self.measure.direction, self._latest, self.measure.baseline_value)

    @property
    def versus_target(self) -> Movement | None:
        """BETTER: beats the target; SAME: meets it exactly; WORSE: short of it."""
        return movement(self.measure.direction, self._latest, self.target)

    @property
    def _latest(self) -> float | None:
        return self.latest.value if self.latest is not None else None


@dataclass(frozen=True, slots=True)
class MeasureHistoryEntry:
    """One recorded change of a measure or of one of its values (period set for a value's change)."""

    id: int
    measure_id: int
    version: int
    at: str
    who: str
    field: str
    period: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    old_value: str | None
    new_value: str | None
    note: str | None
    source: str
