"""The detail of one action: its full text, explanation, links, questions and whole history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from textual.content import Content

from accountability_tui.domain.models import HistoryEntry, Mechanism
from accountability_tui.services.actions import ActionDetailData
from accountability_tui.ui.widgets.text import clean, date_text, status_as_at
from accountability_tui.ui.widgets.text_pane import TextPane

if TYPE_CHECKING:
    from accountability_tui.ui.shell import Shell

MAX_SHOWN = 20_000  # characters of one field shown at once; the rest is in the database and the export


FIELD_NAMES = {"created": "created", "status": "status", "rag": "RAG", "due": "due date", "note": "note",
               "text": "text", "explanation": "explanation", "timeframe": "timeframe", "lead": "lead",
               "theme": "theme", "plan_page": "plan page", "priority_id": "priority", "mechanism": "mechanism",
               "ref": "ref", "priority": "priority"}


def _value(field: str, value: str | None) -> str:
    if value is None:
        return "—"
    if field == "due":
        return date_text(dt.date.fromisoformat(value))
    if field in ("status", "rag"):
        return value.replace("_", " ")
    if field == "mechanism" and value in set(Mechanism):
        return Mechanism(value).label
    return clean(value, one_line=True, limit=120)


def history_line(h: HistoryEntry) -> str:
    when = h.at[:16].replace("T", " ")
    name = FIELD_NAMES.get(h.field, h.field)
    if h.field == "created":
        text = f"created ({_value('status', h.new_value)})"
    elif h.field == "note":
        text = "note"
    elif h.field == "finding":  # a link to a finding made or removed; the note names the finding
        text = f"{'linked to' if h.new_value else 'unlinked from'} finding"
    else:
        text = f"{name}: {_value(h.field, h.old_value)} → {_value(h.field, h.new_value)}"
    note = f" — {clean(h.note, one_line=True, limit=300)}" if h.note else ""
    return f"{when}  {clean(h.who)}  {text}{note}  [{clean(h.source)}]"


def _section(title: str) -> Content:
    return Content(f"\n\n{title}\n").stylize("bold")


class ActionDetail(TextPane):
    """Shows one action. Text from the data is never markup (see widgets/text.py)."""

    DEFAULT_CSS = """
    ActionDetail { height: 1fr; border-top: solid $primary; }
    """
    shown_id: int | None = None  # the action shown (for the benchmark and the tests to wait on)

    def show_empty(self, message: str) -> None:
        self.update(Content(message))

    def show(self, data: ActionDetailData, as_of: dt.date) -> None:
        a = data.action
        days = a.days_overdue(as_of)
        slips = sum(1 for h in data.history if h.field == "due")
        parts: list[Content] = [
            Content(clean(f"{a.plan_code} {a.ref} — {a.group}", one_line=True) + "\n").stylize("bold"),
            Content(clean(a.text, limit=MAX_SHOWN) + "\n"),
        ]
        due = date_text(a.due) if a.due else "no deadline"
        stale_days = cast("Shell", self.app).services.stale_days  # the officer's setting, whichever screen shows it
        facts = [f"Status: {status_as_at(a, as_of, days=stale_days, explain=True)}" + (f" (as written: {clean(a.status_text, one_line=True)})"
                                                       if a.status_text and a.status_text.lower() != a.status.label.lower()
                                                       else ""),
                 f"RAG: {a.rag.label if a.rag else '—'}",
                 f"Lead: {clean(a.lead) if a.lead else 'not stated'}",
                 f"Mechanism: {a.mechanism.label if a.mechanism else '—'}",
                 f"Timeframe: {clean(a.timeframe, one_line=True) if a.timeframe else '—'}",
                 f"Due: {due}" + (f" — {days} days overdue at {as_of:%-d %b %Y}" if days else ""),
                 f"Baseline due: {date_text(a.baseline_due) if a.baseline_due else '—'}"
                 + (f" — moved {slips} time{'s' if slips != 1 else ''} since" if slips else ""),
                 f"Plan page: {clean(a.plan_page) if a.plan_page else '—'}"]
        parts.append(Content("\n".join(facts) + "\n"))
        parts.append(_section("Latest explanation"))
        parts.append(Content(clean(a.explanation, limit=MAX_SHOWN) if a.explanation else "None given."))
        parts.append(_section(f"Linked HMICFRS findings ({len(data.findings)})"))
        parts.append(Content("\n".join(
            f"• {f.inspection_code} {f.ref} ({f.kind.label}, {f.status.label.lower()}): "
            f"{clean(f.text, one_line=True, limit=200)}" for f in data.findings) or "None."))
        parts.append(_section(f"Questions for the Chief Constable ({len(data.questions)})"))
        parts.append(Content("\n".join(
            f"• [{q.status.label}] {clean(q.text, one_line=True, limit=200)}" for q in data.questions)
            or "None yet."))
        parts.append(_section(f"History ({len(data.history)})"))
        parts.append(Content("\n".join(history_line(h) for h in reversed(data.history))))
        self.update(Content("").join(parts))
        self.shown_id = a.id
