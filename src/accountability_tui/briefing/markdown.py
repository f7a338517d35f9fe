"""Writing a briefing as Markdown (CommonMark with GFM tables) — the only place that formats a briefing.

Every piece of text from the data goes through `inline()` (or `cell()` in a table), so that a `|`, a leading `#`,
markup, HTML or a line break in an action or a question can never change the document's structure. The same
briefing always gives the same bytes: no clock, no machine details.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from accountability_tui.briefing.model import (
    ActionItem,
    Briefing,
    FindingItem,
    HmicfrsSection,
    Item,
    NoteItem,
    OverdueSection,
    QuestionItem,
    Section,
    SinceSection,
)
from accountability_tui.domain.cleaning import CONTROL
from accountability_tui.domain.models import ActionRow, Grade, QuestionStatus

_ALWAYS = re.compile(r"([\\`*_\[\]<|~])|&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _plain(text: object) -> str:
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub("", value)


def _escape_line(line: str) -> str:
    line = _ALWAYS.sub(lambda m: "\\" + (m.group(1) or "&"), line.strip())
    match = _LINE_START.match(line)
    if match:  # a line that would start a heading, quote, list or rule is shown as text
        marker = match.group(2)
        escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
        line = match.group(1) + escaped + line[match.end():]
    return line


def inline(text: object) -> str:
    """Text from the data for a paragraph or a list item: escaped, its lines kept as hard line breaks."""
    lines = [_escape_line(line) for line in _plain(text).split("\n")]
    lines = [line for line in lines if line] or [""]
    return "\\\n".join(lines)


def indented(text: object, indent: str) -> str:
    """Inline text whose continuation lines are indented to stay inside a list item."""
    return inline(text).replace("\\\n", "\\\n" + indent)


def cell(text: object) -> str:
    """Text from the data for a table cell: escaped, on one line (line breaks become <br>)."""
    lines = [_escape_line(line) for line in _plain(text).split("\n")]
    return "<br>".join(line for line in lines if line) or " "


def _date(value: dt.date | None, long: bool = True) -> str:
    if value is None:
        return "—"
    return value.strftime("%-d %B %Y" if long else "%-d %b %Y")


def _status(action: ActionRow) -> str:
    return "no status reported" if action.status.value == "unknown" else action.status.label.lower()


def _number(value: int) -> str:
    return f"{value:,}"


def _table(header: list[str], rows: Iterable[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["l"] * len(header)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _shown(items: list[Item], public: bool) -> list[Item]:
    return [i for i in items if i.included and not (public and i.restricted)]


def _flags(item: Item, public: bool) -> str:
    return "**RESTRICTED** " if item.restricted and not public else ""


def _comment(item: Item, public: bool, indent: str = "") -> list[str]:
    if public or not item.comment:
        return []
    return [f"{indent}> *Officer's comment:* {indented(item.comment, indent + '> ')}"]


# --- sections ------------------------------------------------------------------------------------------------

def _details(b: Briefing, public: bool) -> list[str]:
    m = b.meeting
    rows: list[list[str]] = []
    if m is not None:
        rows += [["Meeting", cell(m.title or m.kind)], ["Date", _date(m.date, long=True)],
                 ["Place", cell(m.place or "—")]]
        if m.themes:
            rows.append(["Themes", cell("; ".join(m.themes))])
        rows.append(["Status", m.status.value.capitalize()])
    else:
        rows.append(["Meeting", "None: an ad-hoc briefing"])
    if b.force:
        rows.append(["Force", cell(b.force)])
    rows.append(["Overdue judged at", _date(b.as_of, long=True)])
    rows.append(["Previous meeting", cell(b.previous.label) if b.previous else "None recorded"])
    lines = _table(["", ""], rows)
    if public:
        lines += ["", "*Public version: restricted items and officers' comments are left out.*"]
    return lines


def _action_line(a: ActionRow) -> str:
    return f"{cell(a.plan_code)} {cell(a.ref)}"


def _since(section: SinceSection, public: bool) -> list[str]:
    start, end = section.start, section.end
    if start is None:
        return ["No earlier meeting is recorded, so there is nothing to compare with."]
    lines = [f"From the previous meeting ({_date(start, long=True)}) to {_date(end, long=True)}.", ""]
    items = _shown(section.items, public)
    if not items:
        return lines + ["Nothing recorded in this period."]
    for item in items:
        tags = ", ".join(item.tags)
        if isinstance(item, ActionItem):
            p = item.action
            what = f"**Action {_action_line(p)}** ({tags})"
            details = []
            for change in item.changes:
                when = _date(dt.date.fromisoformat(change.at[:10]))
                note = f": {indented(change.note, '    ')}" if change.note else ""
                if change.field == "due":
                    old = _date(dt.date.fromisoformat(change.old_value)) if change.old_value else "no deadline"
                    new = _date(dt.date.fromisoformat(change.new_value)) if change.new_value else "no deadline"
                    details.append(f"due date moved from {old} to {new} on {when}{note}")
                else:
                    old = (change.old_value or "—").replace("_", " ")
                    new = (change.new_value or "—").replace("_", " ")
                    details.append(f"status {cell(old)} → {cell(new)} on {when}{note}")
            if "newly overdue" in item.tags and p.due:
                details.append(f"due {_date(p.due, long=True)}, {_status(p)}")
            lines.append(f"- {_flags(item, public)}{what}: {indented(p.text, '  ')}")
            lines += [f"  - {d}" for d in details]
        elif isinstance(item, FindingItem):
            f = item.finding
            how = f" — {indented(f.closed_how, '  ')}" if f.closed_how else ""
            lines.append(f"- {_flags(item, public)}**Finding {cell(f.inspection_code)} {cell(f.ref)}** ({tags} "
                         f"{_date(f.closed_on, long=True)}{how}): {indented(f.text, '  ')}")
        elif isinstance(item, QuestionItem):
            q = item.question
            answer = f" *Answer ({_date(q.answered_on, long=True)}):* {indented(q.answer, '  ')}" if q.answer else ""
            lines.append(f"- {_flags(item, public)}**Question {q.id}** ({tags}): {indented(q.text, '  ')}{answer}")
        lines += _comment(item, public, "  ")
    return lines


def _overdue(section: OverdueSection, as_of: dt.date, public: bool) -> list[str]:
    items = [i for i in _shown(section.items, public) if isinstance(i, ActionItem)]
    if not items:
        return [f"No actions are overdue at {_date(as_of, long=True)}."]
    lines = [f"{_number(len(items))} actions are overdue at {_date(as_of, long=True)} (not complete, and due "
             "before that date).", ""]
    counts: dict[tuple[str, str], int] = {}
    for item in items:
        counts[(item.action.plan_code, item.action.group)] = counts.get((item.action.plan_code,
                                                                         item.action.group), 0) + 1
    lines += _table(["Plan", "Priority / theme", "Overdue"],
                    [[cell(plan), cell(group), _number(n)] for (plan, group), n in counts.items()], ["l", "l", "r"])
    current: tuple[str, str] | None = None
    plans = section.plans
    for item in items:
        a = item.action
        if current is None or current[0] != a.plan_code:
            lines += ["", f"### {cell(a.plan_code)}: {cell(plans.get(a.plan_code, ''))}"]
        if current != (a.plan_code, a.group):
            current = (a.plan_code, a.group)
            lines += ["", f"#### {cell(a.group)} ({_number(counts[current])})", ""]
            lines += _table(["Ref", "Action", "Status", "Due", "Days overdue", "Due date moved"], [],
                            ["l", "l", "l", "l", "r", "r"])
        moved = item.due_changes
        flag = "**RESTRICTED** " if item.restricted and not public else ""
        discuss = " *(for discussion)*" if item.discuss else ""
        lines.append("| " + " | ".join([cell(a.ref), flag + cell(a.text) + discuss, a.status.label,
                                       _date(a.due, long=False),
                                       _number(a.days_overdue(as_of)), str(moved) if moved else ""]) + " |")
    discussed = [i for i in items if i.discuss]
    if discussed:
        lines += ["", "### For discussion"]
        for item in discussed:
            lines += [""] + _discussion(item, as_of, public)
    commented = [i for i in items if i.comment and not i.discuss and not public]
    if commented:
        lines += ["", "### Officers' comments on overdue actions", ""]
        for item in commented:
            lines.append(f"- **{_action_line(item.action)}**: {indented(item.comment, '  ')}")
    return lines


def _discussion(item: ActionItem, as_of: dt.date, public: bool) -> list[str]:
    a = item.action
    moved = item.due_changes
    slip = f", moved {moved} time{'s' if moved != 1 else ''} since the baseline of {_date(a.baseline_due, long=True)}" \
        if moved else ""
    lines = [f"#### {_flags(item, public)}{_action_line(a)}: {cell(a.group)}", "", inline(a.text), "",
             f"- Status: {_status(a).capitalize()}; RAG: {a.rag.label if a.rag else 'not rated'}; lead: "
             f"{cell(a.lead) if a.lead else 'not stated'}; mechanism: {a.mechanism.label if a.mechanism else '—'}",
             f"- Due {_date(a.due, long=True)}{slip}: {_number(a.days_overdue(as_of))} days overdue "
             f"(timeframe as written: {cell(a.timeframe) if a.timeframe else '—'})"]
    if a.explanation:
        lines.append(f"- Latest explanation: {indented(a.explanation, '  ')}")
    for h in item.history[-5:]:
        if h.field == "note":
            lines.append(f"- Note {_date(dt.date.fromisoformat(h.at[:10]))}: {indented(h.note, '  ')}")
        elif h.field == "due":
            reason = f" ({indented(h.note, '  ')})" if h.note else ""
            old = _date(dt.date.fromisoformat(h.old_value)) if h.old_value else "no deadline"
            new = _date(dt.date.fromisoformat(h.new_value)) if h.new_value else "no deadline"
            lines.append(f"- Due date moved on {_date(dt.date.fromisoformat(h.at[:10]))} from {old} to {new}{reason}")
        elif h.field in ("status", "rag"):
            note = f": {indented(h.note, '  ')}" if h.note else ""
            lines.append(f"- {h.field.upper() if h.field == 'rag' else 'Status'} "
                         f"{cell((h.old_value or '—').replace('_', ' '))} → "
                         f"{cell((h.new_value or '—').replace('_', ' '))} on "
                         f"{_date(dt.date.fromisoformat(h.at[:10]))}{note}")
    for f in item.findings:
        lines.append(f"- Linked finding {cell(f.inspection_code)} {cell(f.ref)} ({f.kind.label.lower()}, "
                     f"{f.status.label.lower()}): {indented(f.text, '  ')}")
    for q in item.questions:
        answer = f" Answer: {indented(q.answer, '  ')}" if q.answer else ""
        lines.append(f"- Question {q.id} ({q.status.label.lower()}): {indented(q.text, '  ')}{answer}")
    lines += _comment(item, public)
    return lines


def _hmicfrs(section: HmicfrsSection, as_of: dt.date, public: bool) -> list[str]:
    lines: list[str] = []
    for i in section.inspections:
        published = f"published {_date(i.published, long=True)}" if i.published else "publication date not recorded"
        lines += [f"### {cell(i.title)}", "", f"{cell(i.kind)}; inspected {cell(i.inspected or '—')}; "
                  f"{published}."]
        if i.s55 is not None and i.s55_days is not None:
            days = i.s55_days
            state = (f"{days} days left" if days > 0 else "due today" if days == 0 else f"passed {-days} days ago")
            lines += ["", f"The PCC's response under section 55 of the Police Act 1996 was due "
                          f"{_date(i.s55, long=True)} (56 days after publication): {state}."]
        if i.grades:
            lines += [""] + _table(["Area", "Grade"], [[cell(area), Grade(g).label] for area, g in i.grades])
        lines.append("")
    items = [i for i in _shown(section.items, public) if isinstance(i, FindingItem)]
    lines.append("### Open findings")
    lines.append("")
    if not items:
        return lines + ["No open findings."]
    lines += _table(["Inspection", "Ref", "Kind", "Status", "Finding", "Linked actions"],
                    [[cell(i.finding.inspection_code), cell(i.finding.ref), i.finding.kind.label,
                      i.finding.status.label, _flags(i, public) + cell(i.finding.text),
                      cell(", ".join(f"{a.plan_code} {a.ref} ({_status(a)})" for a in i.actions)) or "none"]
                     for i in items])
    commented = [i for i in items if i.comment and not public]
    if commented:
        lines += ["", "Officers' comments:", ""]
        lines += [f"- **{cell(i.finding.ref)}**: {indented(i.comment, '  ')}" for i in commented]
    return lines


def _questions(section: Section, public: bool) -> list[str]:
    items = [i for i in _shown(section.items, public) if isinstance(i, QuestionItem)]
    if not items:
        return ["No questions yet."]
    lines: list[str] = []
    for n, item in enumerate(items, start=1):
        q = item.question
        marker = f"{n}. "
        pad = " " * len(marker)
        status = "" if q.status is QuestionStatus.READY else f"*({q.status.label})* "
        lines.append(f"{marker}{_flags(item, public)}{status}{indented(q.text, pad)}")
        if q.rationale:
            lines += ["", f"{pad}*Why:* {indented(q.rationale, pad)}"]
        links = item.links
        if links and not links.startswith("nothing"):
            lines += ["", f"{pad}*About:* {indented(links, pad)}"]
        if q.follow_up_of:
            lines += ["", f"{pad}*Follows up question {q.follow_up_of}.*"]
        if q.answer:
            lines += ["", f"{pad}*Answer ({_date(q.answered_on, long=True)}):* {indented(q.answer, pad)}"]
        comment = _comment(item, public, pad)
        if comment:
            lines += [""] + comment
        lines.append("")
    return lines[:-1]


def _notes(section: Section, public: bool) -> list[str]:
    items = [i for i in _shown(section.items, public) if isinstance(i, NoteItem)]
    if not items:
        return ["No notes."]
    out: list[str] = []
    for item in items:
        out += [f"{_flags(item, public)}{inline(item.text)}", ""]
    return out[:-1]


def render(briefing: Briefing, *, public: bool = False) -> str:
    """The briefing as Markdown. public=True leaves out restricted items and officers' comments."""
    title = briefing.title + (" (public version)" if public else "")
    lines = [f"# {cell(title)}", ""]
    number = 0
    for section in briefing.sections:
        number += 1
        heading = section.title
        if section.key == "overdue":
            heading = f"{section.title} at {_date(briefing.as_of, long=True)}"
        lines += [f"## {number}. {heading}", ""]
        if section.key == "details":
            body = _details(briefing, public)
        elif isinstance(section, SinceSection):
            body = _since(section, public)
        elif isinstance(section, OverdueSection):
            body = _overdue(section, briefing.as_of, public)
        elif isinstance(section, HmicfrsSection):
            body = _hmicfrs(section, briefing.as_of, public)
        elif section.key == "questions":
            body = _questions(section, public)
        else:
            body = _notes(section, public)
        lines += body + [""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)
