"""A change in a record's history, as undo speaks of it."""

from __future__ import annotations

from dataclasses import dataclass

NAMES = {"status": "status", "rag": "RAG", "due": "due date", "lead": "lead", "finding": "link to a finding",
         "text": "wording", "rationale": "rationale", "priority_id": "link to a priority",
         "action_id": "link to an action", "finding_id": "link to a finding", "meeting_id": "meeting",
         "measure_id": "link to a measure",
         "answer": "answer"}


@dataclass(frozen=True)
class Change:
    """One recorded change that undo can reverse."""

    field: str
    old: str | None
    new: str | None
    who: str
    at: str  # ISO, UTC
    note: str | None = None

    def describe(self) -> str:
        """'status in progress → complete, by ann on 2026-11-20 14:03'."""
        when = self.at[:16].replace("T", " ")
        name = NAMES.get(self.field, self.field.replace("_", " "))
        if self.field == "finding":
            what = f"{'link to' if self.new else 'unlink from'} finding {self.note or self.new or self.old}"
        elif self.field == "measure_id" and self.note:  # the note names the measure (store.measures)
            what = f"{'link to' if self.new else 'unlink from'} the measure {self.note}"
        elif self.field in ("text", "rationale", "answer"):
            what = f"{name} changed"
        else:
            what = f"{name} {_show(self.old)} → {_show(self.new)}"
        return f"{what}, by {self.who} on {when}"


def _show(value: str | None) -> str:
    return (value or "none").replace("_", " ")
