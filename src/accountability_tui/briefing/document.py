"""A briefing as a document: headings, paragraphs, lists and tables, made once from the typed Briefing.

This is the only place that decides what a briefing says and in what order; markdown.py and docx.py only write
these blocks in their format. Text from the data stays in Runs of plain text (never markup): each writer escapes
it as its format needs. The same briefing always gives the same blocks: no clock, no machine details.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from accountability_tui.briefing.chart import trend
from accountability_tui.briefing.model import (
    ActionItem,
    Briefing,
    FindingItem,
    HmicfrsSection,
    Item,
    NoteItem,
    ObjectiveFigures,
    OverdueSection,
    PerformanceSection,
    QuestionItem,
    Section,
    SinceSection,
)
from accountability_tui.domain.figures import VERDICT, baseline_text, figure
from accountability_tui.domain.figures import change as change_text
from accountability_tui.domain.models import (
    STALE_DAYS,
    ActionRow,
    Grade,
    MeasureSummary,
    MeasureValueRow,
    QuestionStatus,
)


@dataclass(frozen=True)
class Run:
    """A piece of text, as written (a writer escapes it), bold or italic as a whole."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Run, ...]


def plain(text: object) -> Inline:
    return (Run("" if text is None else str(text)),)


def bold(text: object) -> Run:
    return Run("" if text is None else str(text), bold=True)


def italic(text: object) -> Run:
    return Run("" if text is None else str(text), italic=True)


@dataclass
class Heading:
    level: int  # 1: the title; 2: a section; 3, 4 below it
    text: Inline


@dataclass
class Para:
    text: Inline


@dataclass
class Quote:
    text: Inline


@dataclass
class ListItem:
    text: Inline
    children: list[Block] = field(default_factory=list)


@dataclass
class Bullets:
    items: list[ListItem]
    ordered: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[Inline]]
    align: list[str]  # "l" or "r", one a column


@dataclass
class Chart:
    """A measure's figures over time, drawn as a picture where the format has pictures (Word); Markdown has the
    trend line of the table instead."""

    title: str
    values: list[float]
    baseline: float | None
    target: float | None
    caption: str


Block = Heading | Para | Quote | Bullets | Table | Chart

CHART_FROM = 4  # a measure gets a chart in Word from this many figures


def date_text(value: dt.date | None, long: bool = True) -> str:
    if value is None:
        return "—"
    return value.strftime("%-d %B %Y" if long else "%-d %b %Y")


def number(value: int) -> str:
    return f"{value:,}"


def status_text(action: ActionRow) -> str:
    return "no status reported" if action.status.value == "unknown" else action.status.label.lower()


def status_as_at(action: ActionRow, as_of: dt.date, previous: dt.date | None, *, days: int) -> str:
    """The status with the date it was reported, flagged when stale (not reported for more than `days`, the
    briefing's stale_days, or since before the previous meeting): 'In progress, as at 2 Feb 2023 (stale)'."""
    if action.status.value == "unknown" or action.status_as_at is None:
        return "No status reported" if action.status.value == "unknown" else action.status.label
    stale = " (stale)" if action.stale(as_of, previous, days=days) else ""
    return f"{action.status.label}, as at {date_text(action.status_as_at, long=False)}{stale}"


def shown(items: list[Item], public: bool) -> list[Item]:
    return [i for i in items if i.included and not (public and i.restricted)]


def flags(item: Item, public: bool) -> tuple[Run, ...]:
    return (bold("RESTRICTED"), Run(" ")) if item.restricted and not public else ()


def comment(item: Item, public: bool) -> list[Block]:
    """An officer's comment: internal, unless the officer marked it public."""
    if not item.comment or (public and not item.public):
        return []
    return [Quote((italic("Officer's comment:"), Run(" "), Run(item.comment)))]


def action_ref(a: ActionRow) -> str:
    return f"{a.plan_code} {a.ref}"


# --- sections ----------------------------------------------------------------------------------------------------

def _details(b: Briefing, public: bool) -> list[Block]:
    m = b.meeting
    facts: list[tuple[str, str]] = []
    if m is not None:
        facts += [("Meeting", m.title or m.kind), ("Date", date_text(m.date)), ("Place", m.place or "—")]
        if m.themes:
            facts.append(("Themes", "; ".join(m.themes)))
        facts.append(("Status", m.status.value.capitalize()))
    else:
        facts.append(("Meeting", "None: an ad-hoc briefing"))
    if b.force:
        facts.append(("Force", b.force))
    facts.append(("Overdue judged at", date_text(b.as_of)))
    facts.append(("Previous meeting", b.previous.label if b.previous else "None recorded"))
    blocks: list[Block] = [Bullets([ListItem((bold(f"{name}:"), Run(" "), Run(value))) for name, value in facts])]
    if public:
        blocks.append(Para((italic("Public version: restricted items and officers' comments are left out."),)))
    return blocks


def _since(section: SinceSection, public: bool, previous: dt.date | None, stale_days: int) -> list[Block]:
    if section.start is None:
        return [Para(plain("No earlier meeting is recorded, so there is nothing to compare with."))]
    blocks: list[Block] = [Para(plain(f"From the previous meeting ({date_text(section.start)}) to "
                                      f"{date_text(section.end)}."))]
    items = shown(section.items, public)
    entries: list[ListItem] = []
    for item in items:
        tags = ", ".join(item.tags)
        if isinstance(item, ActionItem):
            p = item.action
            details: list[str] = []
            for change in item.changes:
                when = date_text(dt.date.fromisoformat(change.at[:10]))
                note = f": {change.note}" if change.note else ""
                if change.field == "due":
                    old = date_text(dt.date.fromisoformat(change.old_value)) if change.old_value else "no deadline"
                    new = date_text(dt.date.fromisoformat(change.new_value)) if change.new_value else "no deadline"
                    details.append(f"due date moved from {old} to {new} on {when}{note}")
                else:
                    old = (change.old_value or "—").replace("_", " ")
                    new = (change.new_value or "—").replace("_", " ")
                    details.append(f"status {old} → {new} on {when}{note}")
            if "newly overdue" in item.tags and p.due and section.end:
                said = status_as_at(p, section.end, previous, days=stale_days)
                details.append(f"due {date_text(p.due)}; {said[:1].lower()}{said[1:]}")
            children: list[Block] = [Bullets([ListItem(plain(d)) for d in details])] if details else []
            entries.append(ListItem((*flags(item, public), bold(f"Action {action_ref(p)}"), Run(f" ({tags}): "),
                                     Run(p.text)), children + comment(item, public)))
        elif isinstance(item, FindingItem):
            f = item.finding
            how = f" — {f.closed_how}" if f.closed_how else ""
            entries.append(ListItem((*flags(item, public), bold(f"Finding {f.inspection_code} {f.ref}"),
                                     Run(f" ({tags} {date_text(f.closed_on)}{how}): "), Run(f.text)),
                                    comment(item, public)))
        elif isinstance(item, QuestionItem):
            q = item.question
            answer: tuple[Run, ...] = ((Run(" "), italic(f"Answer ({date_text(q.answered_on)}):"), Run(" "),
                                        Run(q.answer)) if q.answer else ())
            entries.append(ListItem((*flags(item, public), bold(f"Question {q.id}"), Run(f" ({tags}): "),
                                     Run(q.text), *answer), comment(item, public)))
    by_measure: dict[int, list[MeasureValueRow]] = {}
    names = {}
    for m, v in section.public_figures if public else section.figures:
        by_measure.setdefault(m.id, []).append(v)
        names[m.id] = m
    for measure_id, values in by_measure.items():
        m, last = names[measure_id], max(values, key=lambda v: v.end)
        given = (f"{values[0].label}" if len(values) == 1 else
                 f"{len(values)} figures, {min(values, key=lambda v: v.end).label} to {last.label}")
        demo = " (demonstration figures)" if any(v.demo for v in values) else ""
        entries.append(ListItem((bold(f"Figures: {m.name}"), Run(f" (given or changed{demo}): {given}; latest "
                                                                f"{figure(last.value, m.unit)} ({last.label})"))))
    return blocks + [Bullets(entries)] if entries else blocks + [Para(plain("Nothing recorded in this period."))]


def _compared(s: MeasureSummary) -> str:
    """How the latest figure compares: with a year earlier, the baseline and the target, for its direction."""
    if s.latest is None:
        return "—"
    if s.measure.direction is None:
        return "direction not set"
    parts = [f"{VERDICT[how]} than {what}" if how.value != "same" else f"same as {what}"
             for how, what in ((s.versus_year, "a year earlier"), (s.versus_baseline, "baseline"))
             if how is not None]
    if s.versus_target is not None:
        parts.append("target met" if s.versus_target.value != "worse" else "target not met")
    return "; ".join(parts) or "nothing to compare with"


def _performance(section: PerformanceSection, public: bool) -> list[Block]:
    """Per objective, a table of its measures (latest, a year earlier, baseline, target, better or worse, trend);
    then a chart of each measure with enough figures (Word only)."""
    objectives: list[ObjectiveFigures] = section.public_objectives if public else section.objectives
    if not any(o.measures for o in objectives):
        return [Para(plain("No performance measures are recorded."))]
    blocks: list[Block] = []
    for objective in objectives:
        blocks.append(Heading(3, plain(objective.title)))
        if not objective.measures:
            blocks.append(Para(plain("No measures recorded for this objective.")))
            continue
        rows: list[list[Inline]] = []
        charts: list[Block] = []
        words: list[str] = []  # targets the plan gives in words, not figures
        for entry in objective.measures:
            s, m = entry.summary, entry.summary.measure
            latest = f"{figure(s.latest.value, m.unit)} ({s.latest.label})" if s.latest else "no figures yet"
            earlier = (f"{figure(s.year_earlier.value, m.unit)} ({change_text(s.change_year, m.unit)})"
                       if s.year_earlier else "—")
            target = figure(s.target, m.unit) if s.target is not None else "in words, below" if m.target_note else "—"
            if s.target is None and m.target_note and m.target_note not in words:
                words.append(m.target_note)
            rows.append([plain(m.name), plain(latest), plain(earlier), plain(baseline_text(m)), plain(target),
                         plain(_compared(s)), plain(trend([v.value for v in entry.values]) or "—")])
            if len(entry.values) >= CHART_FROM:
                first, last = entry.values[0], entry.values[-1]
                charts.append(Chart(m.name, [v.value for v in entry.values], m.baseline_value, s.target,
                                    f"{m.name}: {first.label} to {last.label}, from "
                                    f"{figure(min(v.value for v in entry.values), m.unit)} to "
                                    f"{figure(max(v.value for v in entry.values), m.unit)}"
                                    + (f"; baseline {figure(m.baseline_value, m.unit)} (grey dashes)"
                                       if m.baseline_value is not None else "")
                                    + (f"; target {figure(s.target, m.unit)} (green dashes)"
                                       if s.target is not None else "")))
        blocks.append(Table(["Measure", "Latest", "A year earlier", "Baseline", "Target", "Compared", "Trend"],
                            rows, ["l", "r", "r", "l", "r", "l", "l"]))
        blocks += [Para((italic("Target, in the plan's words:"), Run(" "), Run(w))) for w in words]
        blocks += charts
    return blocks


def _overdue(section: OverdueSection, as_of: dt.date, public: bool, previous: dt.date | None,
             stale_days: int) -> list[Block]:
    """The figures describe the data at the as-of date; which items are included decides only which are listed."""
    items = [i for i in shown(section.items, public) if isinstance(i, ActionItem)]
    if not section.total:
        return [Para(plain(f"No actions are overdue at {date_text(as_of)}."))]
    total = section.total
    summary = (f"{number(total)} action{'s are' if total != 1 else ' is'} overdue at {date_text(as_of)} (not "
               "complete nor withdrawn, and due before that date).")
    if len(items) < total:
        summary += f" {number(len(items))} of them are listed below, chosen for this briefing."
    # stale: not reported since the previous meeting or for more than stale_days (domain.md, "Staleness")
    since = (f"since the last meeting ({date_text(previous)}) or " if previous else "") + (
        f"for more than {stale_days} days")
    summary += f" {number(section.stale)} of the {number(total)} have had no update {since}."
    blocks: list[Block] = [Para(plain(summary))]
    counts = {(g.plan, g.group): g.count for g in section.groups}
    listed: dict[tuple[str, str], int] = {}
    for item in items:
        key = (item.action.plan_code, item.action.group)
        listed[key] = listed.get(key, 0) + 1
    blocks.append(Table(["Plan", "Priority / theme", "Overdue", "Listed"],
                        [[plain(plan), plain(group), plain(number(n)), plain(number(listed.get((plan, group), 0)))]
                         for (plan, group), n in counts.items()], ["l", "l", "r", "r"]))
    current: tuple[str, str] | None = None
    table: Table | None = None
    for item in items:
        a = item.action
        if current is None or current[0] != a.plan_code:
            blocks.append(Heading(3, plain(f"{a.plan_code}: {section.plans.get(a.plan_code, '')}")))
        if current != (a.plan_code, a.group):
            current = (a.plan_code, a.group)
            shown_here = listed[current]
            of = f"{number(shown_here)} of {number(counts[current])}" if shown_here < counts[current] else number(
                shown_here)
            blocks.append(Heading(4, plain(f"{a.group} ({of})")))
            table = Table(["Ref", "Action", "Status", "Due", "Days overdue", "Due date moved"], [],
                          ["l", "l", "l", "l", "r", "r"])
            blocks.append(table)
        assert table is not None
        discuss = (Run(" "), italic("(for discussion)")) if item.discuss else ()
        table.rows.append([plain(a.ref), (*flags(item, public), Run(a.text), *discuss),
                           plain(status_as_at(a, as_of, previous, days=stale_days)),
                           plain(date_text(a.due, long=False)), plain(number(a.days_overdue(as_of))),
                           plain(str(item.due_changes) if item.due_changes else "")])
    discussed = [i for i in items if i.discuss]
    if discussed:
        blocks.append(Heading(3, plain("For discussion")))
        for item in discussed:
            blocks += _discussion(item, as_of, public, previous, stale_days)
    commented = [i for i in items if i.comment and not i.discuss and comment(i, public)]
    if commented:
        blocks.append(Heading(3, plain("Officers' comments on overdue actions")))
        blocks.append(Bullets([ListItem((bold(action_ref(i.action)), Run(": "), Run(i.comment or "")))
                               for i in commented]))
    return blocks


def _discussion(item: ActionItem, as_of: dt.date, public: bool, previous: dt.date | None,
                stale_days: int) -> list[Block]:
    a = item.action
    moved = item.due_changes
    slip = (f", moved {moved} time{'s' if moved != 1 else ''} since the baseline of {date_text(a.baseline_due)}"
            if moved else "")
    facts: list[ListItem] = [
        ListItem(plain(f"Status: {status_as_at(a, as_of, previous, days=stale_days)}; "
                       f"RAG: {a.rag.label if a.rag else 'not rated'}; lead: "
                       f"{a.lead or 'not stated'}; mechanism: {a.mechanism.label if a.mechanism else '—'}")),
        ListItem(plain(f"Due {date_text(a.due)}{slip}: {number(a.days_overdue(as_of))} days overdue (timeframe as "
                       f"written: {a.timeframe or '—'})")),
    ]
    if a.explanation:
        facts.append(ListItem(plain(f"Latest explanation: {a.explanation}")))
    for h in item.history[-5:]:
        # who made the change: in the internal paper (the public one does not name officers)
        when = date_text(dt.date.fromisoformat(h.at[:10])) + ("" if public else f" by {h.who}")
        if h.field == "note":
            facts.append(ListItem(plain(f"Note {when}: {h.note}")))
        elif h.field == "due":
            reason = f" ({h.note})" if h.note else ""
            old = date_text(dt.date.fromisoformat(h.old_value)) if h.old_value else "no deadline"
            new = date_text(dt.date.fromisoformat(h.new_value)) if h.new_value else "no deadline"
            facts.append(ListItem(plain(f"Due date moved on {when} from {old} to {new}{reason}")))
        elif h.field in ("status", "rag"):
            note = f": {h.note}" if h.note else ""
            name = "RAG" if h.field == "rag" else "Status"
            facts.append(ListItem(plain(f"{name} {(h.old_value or '—').replace('_', ' ')} → "
                                        f"{(h.new_value or '—').replace('_', ' ')} on {when}{note}")))
    for f in item.findings:
        facts.append(ListItem(plain(f"Linked finding {f.inspection_code} {f.ref} ({f.kind.label.lower()}, "
                                    f"{f.status.label.lower()}): {f.text}")))
    for q in item.questions:
        answer = f" Answer: {q.answer}" if q.answer else ""
        facts.append(ListItem(plain(f"Question {q.id} ({q.status.label.lower()}): {q.text}{answer}")))
    return [Heading(4, (*flags(item, public), Run(f"{action_ref(a)}: {a.group}"))), Para(plain(a.text)),
            Bullets(facts), *comment(item, public)]


def _hmicfrs(section: HmicfrsSection, public: bool, as_of: dt.date, previous: dt.date | None,
             stale_days: int) -> list[Block]:
    blocks: list[Block] = []
    for i in section.inspections:
        published = f"published {date_text(i.published)}" if i.published else "publication date not recorded"
        blocks += [Heading(3, plain(i.title)), Para(plain(f"{i.kind}; inspected {i.inspected or '—'}; {published}."))]
        if i.s55_published_on is not None:
            where = f" ({i.s55_link})" if i.s55_link else ""
            blocks.append(Para(plain(f"The PCC's response under section 55 of the Police Act 1996 was published on "
                                     f"{date_text(i.s55_published_on)}{where}.")))
        elif i.s55 is not None and i.s55_days is not None:
            days = i.s55_days
            state = f"{days} days left" if days > 0 else "due today" if days == 0 else f"passed {-days} days ago"
            blocks.append(Para(plain(f"The PCC's response under section 55 of the Police Act 1996 was due "
                                     f"{date_text(i.s55)} (56 days after publication): {state}.")))
        if i.grades:
            blocks.append(Table(["Area", "Grade"], [[plain(area), plain(Grade(g).label)] for area, g in i.grades],
                                ["l", "l"]))
    blocks.append(Heading(3, plain("Open findings")))
    items = [i for i in shown(section.items, public) if isinstance(i, FindingItem)]
    if not items:
        return blocks + [Para(plain("No open findings."))]
    blocks.append(Table(
        ["Inspection", "Ref", "Kind", "Status", "Finding", "Linked actions"],
        [[plain(i.finding.inspection_code), plain(i.finding.ref), plain(i.finding.kind.label),
          plain(i.finding.status.label), (*flags(i, public), Run(i.finding.text)),
          plain(", ".join(f"{a.plan_code} {a.ref} ({status_as_at(a, as_of, previous, days=stale_days).lower()})"
                          for a in i.actions)
                or "none")]
         for i in items], ["l"] * 6))
    commented = [i for i in items if i.comment and comment(i, public)]
    if commented:
        blocks.append(Para(plain("Officers' comments:")))
        blocks.append(Bullets([ListItem((bold(i.finding.ref), Run(": "), Run(i.comment or ""))) for i in commented]))
    return blocks


def _questions(section: Section, public: bool) -> list[Block]:
    items = [i for i in shown(section.items, public) if isinstance(i, QuestionItem)]
    if not items:
        return [Para(plain("No questions yet."))]
    entries: list[ListItem] = []
    for item in items:
        q = item.question
        status = (italic(f"({q.status.label})"), Run(" ")) if q.status is not QuestionStatus.READY else ()
        children: list[Block] = []
        if q.rationale:
            children.append(Para((italic("Why:"), Run(" "), Run(q.rationale))))
        if item.links and not item.links.startswith("nothing"):
            children.append(Para((italic("About:"), Run(" "), Run(item.links))))
        if q.follow_up_of:
            children.append(Para((italic(f"Follows up question {q.follow_up_of}."),)))
        if q.answer:
            children.append(Para((italic(f"Answer ({date_text(q.answered_on)}):"), Run(" "), Run(q.answer))))
        entries.append(ListItem((*flags(item, public), *status, Run(q.text)), children + comment(item, public)))
    return [Bullets(entries, ordered=True)]


def _notes(section: Section, public: bool) -> list[Block]:
    """Officers' notes are internal: the public version has only those marked public."""
    items = [i for i in shown(section.items, public) if isinstance(i, NoteItem) and (i.public or not public)]
    if not items:
        return [Para(plain("No notes."))]
    return [Para((*flags(item, public), Run(item.text))) for item in items]


def approval_line(briefing: Briefing) -> list[Block]:
    """Under the title: who approved the briefing and on what day, and whether it has changed since (nothing when
    it was never approved)."""
    approval = briefing.approval
    if approval is None:
        return []
    said = f"Approved by {approval.who} on {date_text(approval.on)}"
    if approval.changed:
        return [Para((italic(said), Run(" — "), bold("changed since approval"), Run(".")))]
    return [Para((italic(f"{said}."),))]


def document(briefing: Briefing, *, public: bool = False) -> list[Block]:
    """The briefing's blocks. public=True leaves out restricted items and officers' comments."""
    blocks = content(briefing, public=public)
    return blocks[:1] + approval_line(briefing) + blocks[1:]


def _canonical(value: object) -> object:
    """A block, run or value as plain JSON data, the same in every process (no hash(), no set order)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, *(_canonical(getattr(value, f.name)) for f in dataclasses.fields(value))]
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    raise TypeError(f"a briefing's blocks hold no {type(value).__name__}")


def fingerprint(briefing: Briefing) -> str:
    """What the briefing contains, as a sha256 (hex): everything its full and its public versions say, in order
    (every item in it, its flags, comments and notes, and the figures behind it), except the approval line. The
    same content always gives the same fingerprint; any change to what either version says gives another.

    Staleness is left out: it is each officer's way of reading the paper (their stale_days setting), not what it
    contains, so the paper is fingerprinted with the default threshold and without the count of stale actions —
    else an officer with another setting would see 'changed since approval' with nothing changed."""
    sections = [dataclasses.replace(s, stale=0) if isinstance(s, OverdueSection) else s for s in briefing.sections]
    briefing = dataclasses.replace(briefing, sections=sections, stale_days=STALE_DAYS)
    data = [_canonical(content(briefing, public=public)) for public in (False, True)]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content(briefing: Briefing, *, public: bool = False) -> list[Block]:
    """The briefing's blocks without its approval line: what an approval approves."""
    title = briefing.title + (" (public version)" if public else "")
    blocks: list[Block] = [Heading(1, plain(title))]
    previous = briefing.previous.date if briefing.previous else None
    number_ = 0
    for section in briefing.sections:
        if public and section.key == "notes" and not any(isinstance(i, NoteItem) and i.public and i.included
                                                         and not i.restricted for i in section.items):
            continue  # no note is public: the public version has no notes section at all
        number_ += 1
        heading = section.title
        if section.key == "overdue":
            heading = f"{section.title} at {date_text(briefing.as_of)}"
        blocks.append(Heading(2, plain(f"{number_}. {heading}")))
        if section.key == "details":
            blocks += _details(briefing, public)
        elif isinstance(section, SinceSection):
            blocks += _since(section, public, previous, briefing.stale_days)
        elif isinstance(section, PerformanceSection):
            blocks += _performance(section, public)
        elif isinstance(section, OverdueSection):
            blocks += _overdue(section, briefing.as_of, public, previous, briefing.stale_days)
        elif isinstance(section, HmicfrsSection):
            blocks += _hmicfrs(section, public, briefing.as_of, previous, briefing.stale_days)
        elif section.key == "questions":
            blocks += _questions(section, public)
        else:
            blocks += _notes(section, public)
    return blocks
