"""What enters the store: pydantic records that validate every value, and the one sentence a failure becomes.

Loaded only when something is written (importing pydantic and building these models is a fifth of the app's
start-up otherwise; measured: make bench).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from accountability_tui.domain.cleaning import CONTROL
from accountability_tui.domain.errors import ValidationFailed
from accountability_tui.domain.models import (
    DEFAULT_FORCE,
    MAX_TEXT,
    Direction,
    FindingKind,
    FindingStatus,
    Grade,
    Mechanism,
    MeetingStatus,
    QuestionStatus,
    Rag,
    Status,
    Unit,
)
from accountability_tui.domain.periods import Period, PeriodKind

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
OptText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT)]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=False)

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Control characters (an ESC in a paste, say) never reach the database; line ends are kept."""
        if isinstance(value, str):
            return CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return value


class Plan(Record):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60,
                                           pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    title: Text
    force: Text = "Hertfordshire"
    pcc: OptText = None
    period: OptText = None
    source: OptText = None
    is_current: bool = False
    demo: bool = False


class Priority(Record):
    number: int = Field(ge=1, le=99)
    title: Text
    goals: list[Text] = Field(default_factory=list)


class ActionIn(Record):
    """An action (a plan commitment or a delivery-plan row) as it enters the store."""

    ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    text: Text
    priority: int | None = Field(default=None, ge=1, le=99)
    theme: OptText = None
    lead: OptText = None
    mechanism: Mechanism | None = None
    status: Status = Status.UNKNOWN
    status_text: OptText = None
    rag: Rag | None = None
    timeframe: OptText = None
    due: dt.date | None = None
    plan_page: OptText = None
    explanation: OptText = None
    position: int | None = None

    _blank = field_validator("theme", "lead", "status_text", "timeframe", "plan_page", "explanation",
                             mode="before")(_blank_to_none)


class InspectionIn(Record):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    kind: Text
    title: Text
    force: Text = "Hertfordshire"
    inspected: OptText = None
    published: dt.date | None = None
    source: OptText = None
    grades: list[tuple[str, Grade]] = Field(default_factory=list)
    demo: bool = False


class FindingIn(Record):
    ref: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    kind: FindingKind
    area: OptText = None
    text: Text
    status: FindingStatus = FindingStatus.OPEN
    closed_on: dt.date | None = None
    closed_how: OptText = None
    source: OptText = None
    demo: bool = False


class QuestionIn(Record):
    text: Text
    rationale: OptText = None
    priority_id: int | None = None
    action_id: int | None = None
    finding_id: int | None = None
    meeting_id: int | None = None
    follow_up_of: int | None = None
    status: QuestionStatus = QuestionStatus.DRAFT
    demo: bool = False


class MeetingIn(Record):
    date: dt.date
    kind: Text = "Accountability and Performance Meeting"
    title: OptText = None
    themes: list[Text] = Field(default_factory=list)
    place: OptText = "Police Headquarters, Welwyn Garden City"
    status: MeetingStatus = MeetingStatus.PLANNED
    notes: OptText = None
    demo: bool = False


FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]  # a figure: never NaN or infinite
MeasureName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class MeasureIn(Record):
    """A performance measure as it enters the store (store.measures.add). A baseline with no figure is pending when
    baseline_note gives the source's words on why ("will be known once ...")."""

    name: MeasureName
    force: Text = DEFAULT_FORCE
    unit: Unit | None = None
    direction: Direction | None = None
    objective_id: int | None = None
    priority_id: int | None = None
    baseline_value: FiniteFloat | None = None
    baseline_period: OptText = None
    baseline_source: OptText = None
    baseline_note: OptText = None
    target_value: FiniteFloat | None = None
    target_note: OptText = None
    source_note: OptText = None
    restricted: bool = False
    demo: bool = False
    position: int | None = None

    _blank = field_validator("baseline_period", "baseline_source", "baseline_note", "target_note", "source_note",
                             mode="before")(_blank_to_none)


class MeasureValueIn(Record):
    """One figure for one period, as it enters the store (store.measures.upsert_values). The measure is named as the
    source names it (found with case and spacing ignored; a new name makes a new measure, whose unit is `unit`
    when the source shows it, a % sign say). Make one from a parsed period with MeasureValueIn.of."""

    measure: MeasureName
    period: Text  # as written
    kind: PeriodKind
    start: dt.date
    end: dt.date
    value: FiniteFloat
    target: FiniteFloat | None = None
    source: OptText = None
    unit: Unit | None = None
    restricted: bool = False
    demo: bool = False

    _blank = field_validator("source", mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def _start_before_end(self) -> MeasureValueIn:
        if self.end < self.start:
            raise ValueError(f"the period {self.period!r} ends before it starts")
        return self

    @classmethod
    def of(cls, measure: str, period: Period, value: float, **extra: Any) -> MeasureValueIn:
        """A figure of `measure` for a period read by domain.periods (extra: target, source, unit, restricted,
        demo). Raises ValidationFailed with one sentence."""
        return validated(cls, {"measure": measure, "period": period.written, "kind": period.kind,
                               "start": period.start, "end": period.end, "value": value, **extra}, "figure")

    @property
    def as_period(self) -> Period:
        return Period(self.start, self.end, self.kind, self.period)


_FIELD_NAMES = {
    "ref": "ref", "text": "text", "due": "due date", "rag": "RAG", "plan_page": "plan page",
    "closed_on": "closed date", "published": "published date", "code": "code",
}


def describe_error(error: ValidationError, subject: str = "") -> str:
    """Turn a pydantic ValidationError into one line a person can act on."""
    parts = []
    for item in error.errors():
        loc = ".".join(str(p) for p in item["loc"] if not isinstance(p, int)) or "value"
        name = _FIELD_NAMES.get(loc, loc.replace("_", " "))
        value = item.get("input")
        kind = item["type"]
        if kind == "missing":
            parts.append(f"{name} is required")
        elif kind in ("string_too_short",):
            parts.append(f"{name} must not be empty")
        elif kind == "string_too_long":
            parts.append(f"{name} is too long ({len(str(value)):,} characters; at most {MAX_TEXT:,})")
        elif kind.startswith("date"):
            parts.append(f"{name} {str(value)[:40]!r} is not a date (use YYYY-MM-DD)")
        elif kind == "enum":
            allowed = item.get("ctx", {}).get("expected", "")
            parts.append(f"{name} {str(value)[:40]!r} is not one of {allowed}")
        else:
            parts.append(f"{name}: {item['msg']}")
    prefix = f"{subject}: " if subject else ""
    return prefix + "; ".join(parts)


R = TypeVar("R", bound=BaseModel)


def validated(model: type[R], value: R | dict[str, Any], subject: str) -> R:
    """value as a model record (a dict is validated); a failure raises ValidationFailed with one sentence."""
    if isinstance(value, model):
        return value
    if not isinstance(value, dict):
        raise TypeError(f"{subject}: expected a {model.__name__} or a dict, not {type(value).__name__}")
    try:
        return model(**value)
    except ValidationError as exc:
        raise ValidationFailed(describe_error(exc, subject)) from exc
