"""What goes into a briefing, worked out from the data and the officer's decisions, and the decisions themselves.

A briefing is built for a meeting (its date is the as-of date) or, without one, ad hoc at an as-of date: then it
has every overdue action, the open findings and the questions ready to ask. briefing/markdown.py writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from accountability_tui.briefing.document import document, fingerprint
from accountability_tui.briefing.files import write_atomically
from accountability_tui.briefing.markdown import render
from accountability_tui.briefing.model import (
    SECTION_TITLES,
    SECTIONS,
    ActionItem,
    Approval,
    Briefing,
    FindingItem,
    GroupCount,
    HmicfrsSection,
    InspectionSummary,
    Item,
    MeasureFigures,
    NoteItem,
    ObjectiveFigures,
    OverdueSection,
    PerformanceSection,
    QuestionItem,
    Section,
    SinceSection,
)
from accountability_tui.briefing.text import Line
from accountability_tui.briefing.text import lines as text_lines
from accountability_tui.domain.errors import AppError, Conflict
from accountability_tui.domain.models import STALE_DAYS, MeetingRow, QuestionStatus, section55_deadline
from accountability_tui.services.access import AccessService
from accountability_tui.services.actions import in_plan_order
from accountability_tui.services.links import describe_questions
from accountability_tui.services.measures import MeasuresService
from accountability_tui.services.meetings import MeetingsService
from accountability_tui.store import Store
from accountability_tui.store.briefings import ApprovalRow, Decision

I = TypeVar("I", bound=Item)  # noqa: E741


def _apply(items: Sequence[I], decisions: dict[tuple[str, str, int], Decision]) -> list[I]:
    for index, item in enumerate(items):
        item.default_index = index
        decision = decisions.get((item.section, item.kind, item.ref_id))
        if decision is not None:
            item.included = decision.included
            item.restricted = decision.restricted
            item.comment = decision.comment
            item.discuss = decision.discuss
            item.public = decision.public
            item.position = decision.position
    return sorted(items, key=lambda i: (i.position if i.position > 0 else 1_000_000_000, i.default_index))


def _since(store: Store, meeting: MeetingRow | None, previous: MeetingRow | None, as_of: dt.date,
           force: str | None) -> SinceSection:
    section = SinceSection("since", SECTION_TITLES["since"])
    if previous is None:
        section.end = as_of
        return section
    start, end = previous.date, as_of
    items: dict[tuple[str, int], Item] = {}
    for action, change in store.actions.changes_between(start, end, ("status", "due"), force=force):
        entry = items.setdefault(("action", action.id), ActionItem(section="since", ref_id=action.id, action=action))
        assert isinstance(entry, ActionItem)
        entry.changes.append(change)
        tag = "status changed" if change.field == "status" else "due date moved"
        if tag not in entry.tags:
            entry.tags.append(tag)
    for action in store.actions.newly_overdue(start, end, force=force):
        items.setdefault(("action", action.id), ActionItem(section="since", ref_id=action.id, action=action)
                         ).tags.append("newly overdue")
    for finding in store.findings.closed_between(start, end, force=force):
        items.setdefault(("finding", finding.id), FindingItem(section="since", ref_id=finding.id, finding=finding)
                         ).tags.append("closed")
    for question in store.questions.answered_between(start, end):
        items.setdefault(("question", question.id),
                         QuestionItem(section="since", ref_id=question.id, question=question)).tags.append("answered")
    carried = set(store.meetings.carried_over_into(meeting.id)) if meeting else set()
    for question in store.questions.list(meeting_id=previous.id):
        if question.status is QuestionStatus.ASKED or question.id in carried:
            items.setdefault(("question", question.id), QuestionItem(section="since", ref_id=question.id,
                                                                     question=question)
                             ).tags.append("carried over unanswered")
    for question_id in carried:
        if ("question", question_id) not in items:
            items[("question", question_id)] = QuestionItem(section="since", ref_id=question_id,
                                                            question=store.questions.get(question_id),
                                                            tags=["carried over unanswered"])
    actions = in_plan_order(i.action for i in items.values() if isinstance(i, ActionItem))
    findings = sorted((i for i in items.values() if isinstance(i, FindingItem)),
                      key=lambda i: (i.finding.inspection_code, i.finding.ref))
    questions = sorted((i for i in items.values() if isinstance(i, QuestionItem)),
                       key=lambda i: (i.question.asking_order or 0, i.question.id))
    section.items = [items[("action", a.id)] for a in actions] + [*findings, *questions]
    section.start, section.end = start, end
    measures = MeasuresService(store)
    section.figures = measures.changed_between(start, end, force=force)
    section.public_figures = measures.changed_between(start, end, force=force, public=True)
    return section


def _performance(store: Store, as_of: dt.date, force: str | None) -> PerformanceSection:
    """The measures by objective at the as-of date, each with its figures up to then (for the trend and chart)."""
    measures = MeasuresService(store)
    section = PerformanceSection("performance", SECTION_TITLES["performance"])
    for public in (False, True):
        groups = measures.by_objective(as_of, force=force, public=public)
        ids = [s.measure.id for g in groups for s in g.summaries]
        values = measures.values_of(ids, until=as_of, public=public) if ids else {}
        objectives = [ObjectiveFigures(g.title, [MeasureFigures(s, values.get(s.measure.id, []))
                                                 for s in g.summaries]) for g in groups]
        if public:
            section.public_objectives = objectives
        else:
            section.objectives = objectives
    return section


def _overdue(store: Store, as_of: dt.date, force: str | None, previous: MeetingRow | None,
             stale_days: int) -> OverdueSection:
    actions = in_plan_order(store.actions.overdue(as_of, force=force))
    moved = store.actions.due_changes_of([a.id for a in actions])
    groups: dict[tuple[str, str], GroupCount] = {}
    items: list[Item] = []
    for a in actions:
        groups.setdefault((a.plan_code, a.group), GroupCount(a.plan_code, a.group, 0)).count += 1
        items.append(ActionItem(section="overdue", ref_id=a.id, action=a, days_overdue=a.days_overdue(as_of),
                                due_changes=moved.get(a.id, 0)))
    codes = {a.plan_code for a in actions}
    plans = {p.code: p.title for p in store.plans.list(counts=False) if p.code in codes}
    stale = sum(1 for a in actions if a.stale(as_of, previous.date if previous else None, days=stale_days))
    return OverdueSection("overdue", SECTION_TITLES["overdue"], items, groups=list(groups.values()),
                          total=len(actions), stale=stale, plans=plans)


def _discussion_facts(store: Store, item: ActionItem) -> None:
    """What the briefing says about an overdue action put forward for discussion."""
    a = item.action
    item.findings = store.findings.for_action(a.id)
    item.questions = store.questions.list(action_id=a.id)
    item.history = [h for h in store.actions.history(a.id) if h.field in ("status", "due", "note", "rag")]


def _hmicfrs(store: Store, as_of: dt.date, force: str | None) -> HmicfrsSection:
    findings = store.findings.list(open_only=True, force=force)
    linked = store.findings.linked_action_ids_of([f.id for f in findings])
    actions = store.actions.get_many([i for ids in linked.values() for i in ids])
    items: list[Item] = [FindingItem(section="hmicfrs", ref_id=f.id, finding=f,
                                     actions=[actions[i] for i in linked.get(f.id, []) if i in actions])
                         for f in findings]
    inspections = []
    for i in store.findings.inspections(force=force):
        deadline = section55_deadline(i["published"])
        inspections.append(InspectionSummary(
            title=i["title"], code=i["code"], kind=i["kind"], inspected=i["inspected"], published=i["published"],
            grades=i["grades"], s55=deadline, s55_days=(deadline - as_of).days if deadline else None,
            s55_published_on=i.get("s55_published_on"), s55_link=i.get("s55_link")))
    return HmicfrsSection("hmicfrs", SECTION_TITLES["hmicfrs"], items, inspections=inspections)


def _questions(store: Store, meeting: MeetingRow | None) -> list[QuestionItem]:
    """The meeting's questions in their asking order; the next meeting also gets every ready question not planned
    for any meeting (an ad-hoc briefing: every ready question)."""
    if meeting is None:
        questions = store.questions.list(status=QuestionStatus.READY)
    else:
        questions = store.questions.list(meeting_id=meeting.id)
        following = store.meetings.next_to_prepare()
        if following is not None and following.id == meeting.id:
            questions += store.questions.list(status=QuestionStatus.READY, unplanned=True)
    links = describe_questions(store, questions)
    return [QuestionItem(section="questions", ref_id=q.id, question=q, links=links[q.id]) for q in questions]


def build_briefing(store: Store, meeting_id: int | None = None, as_of: dt.date | None = None, *,
                   stale_days: int = STALE_DAYS) -> Briefing:
    """The briefing of a meeting (at its date), or an ad-hoc briefing at as_of. stale_days: the officer's
    staleness threshold, which the briefing counts and words its stale statuses by."""
    meeting = store.meetings.get(meeting_id) if meeting_id is not None else None
    as_of = meeting.date if meeting is not None else (as_of or dt.date.today())
    if meeting is not None:
        previous = store.meetings.previous(meeting)
    else:
        earlier = [m for m in store.meetings.list() if m.date < as_of and m.status.value != "cancelled"]
        previous = earlier[-1] if earlier else None
    decisions = store.briefings.decisions(meeting.id) if meeting is not None else {}
    current = store.plans.current()
    force = current.force if current is not None else None  # an office's briefing is about its own force

    since = _since(store, meeting, previous, as_of, force)
    since.items = _apply(since.items, decisions)
    overdue = _overdue(store, as_of, force, previous, stale_days)
    overdue.items = _apply(overdue.items, decisions)
    hmicfrs = _hmicfrs(store, as_of, force)
    hmicfrs.items = _apply(hmicfrs.items, decisions)
    notes = sorted((NoteItem(section="notes", ref_id=d.id, text=d.text or "") for d in decisions.values()
                    if d.kind == "note"), key=lambda i: i.ref_id)
    built: dict[str, Section] = {
        "details": Section("details", SECTION_TITLES["details"]),
        "since": since,
        "overdue": overdue,
        "performance": _performance(store, as_of, force),
        "hmicfrs": hmicfrs,
        "questions": Section("questions", SECTION_TITLES["questions"], _apply(_questions(store, meeting), decisions)),
        "notes": Section("notes", SECTION_TITLES["notes"], _apply(notes, decisions)),
    }
    for item in overdue.items:
        if item.discuss and isinstance(item, ActionItem):
            _discussion_facts(store, item)
    order = [k for k in (meeting.sections if meeting else ()) if k in built]
    for n, (key, _) in enumerate(SECTIONS):  # a section the officer's order lacks goes after the one before it
        if key not in order:
            before = next((order.index(k) for k, _ in reversed(SECTIONS[:n]) if k in order), -1)
            order.insert(before + 1, key)
    briefing = Briefing(meeting=meeting, as_of=as_of, previous=previous, sections=[built[k] for k in order],
                        force=force, stale_days=stale_days)
    if meeting is not None:
        latest = store.briefings.latest_approval(meeting.id)
        if latest is not None:
            briefing.approval = _approval(latest)
            check_approval(briefing)
    return briefing


def _approval(row: ApprovalRow, changed: bool = False) -> Approval:
    return Approval(who=row.who, at=row.at, fingerprint=row.fingerprint, changed=changed)


def check_approval(briefing: Briefing) -> Approval | None:
    """The briefing's approval, marked changed (or no longer) by what the briefing contains now: after a build, and
    after the builder changes the briefing in memory."""
    approval = briefing.approval
    if approval is not None:
        changed = fingerprint(briefing) != approval.fingerprint
        if changed != approval.changed:
            briefing.approval = approval = Approval(approval.who, approval.at, approval.fingerprint, changed)
    return approval


EXPORT_FORMATS = {"md": "Markdown", "docx": "Word"}


def export_format(path: str | Path | None, format: str | None = None) -> str:
    """The format a briefing is written in: the one asked for, else by the file's suffix (.docx is Word, anything
    else, or no file, Markdown)."""
    if format is not None:
        if format not in EXPORT_FORMATS:
            raise AppError(f"unknown briefing format {format!r}; use docx or md")
        return format
    return "docx" if path is not None and Path(path).suffix.lower() == ".docx" else "md"


def export_folder() -> Path:
    """Where briefings are written unless the officer says otherwise: a folder in their documents (made when
    first used), never the folder the program happened to start in."""
    from platformdirs import user_documents_path

    return user_documents_path() / "accountability-tui briefings"


def export_problem(path: str | Path, folder: Path | None = None) -> str | None:
    """Why a briefing cannot be written to path, in one sentence (None: it can). The folder exports are suggested
    in (the settings' export folder, else the default one) is made when it is used."""
    target = Path(path).expanduser()
    if target.is_dir():
        return f"{target} is a folder; add a file name, e.g. {target / 'briefing.md'}"
    if target.parent == (folder or export_folder()):
        target.parent.mkdir(parents=True, exist_ok=True)
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist; give a folder that does"
    return None


@dataclass(frozen=True)
class ApprovalState:
    """A meeting's briefing and its approvals: what it contains now (its fingerprint), its latest approval (marked
    changed since, or not), and every approval, oldest first (each marked changed when it approved other content
    than the briefing has now)."""

    fingerprint: str
    latest: Approval | None
    history: list[Approval]

    def says(self) -> str:
        """How the builder and the command line say it, in one line."""
        return approval_said(self.latest)


def approval_said(approval: Approval | None) -> str:
    """'Approved by Jo on 23 November 2026', 'Changed since approval (approved by Jo on …)', 'Not yet approved'."""
    if approval is None:
        return "Not yet approved"
    said = f"approved by {approval.who} on {approval.on:%-d %B %Y}"
    return f"Changed since approval ({said})" if approval.changed else said[:1].upper() + said[1:]


@dataclass
class Version:
    """One version of a briefing (the full one, or the public one) for the builder's preview: its lines of text at
    a width (briefing/text.py). The blocks they were made from are not kept (thousands of objects a version, for
    the garbage collector to go through again and again); the Markdown is written when asked for, from the
    briefing as it is then (the builder changes it in place, and lays the preview out again after each change)."""

    briefing: Briefing
    public: bool
    width: int
    lines: list[Line]
    written: str | None = field(default=None, repr=False)

    @property
    def markdown(self) -> str:
        if self.written is None:
            self.written = render(self.briefing, public=self.public)
        return self.written


def _version(briefing: Briefing, public: bool, width: int) -> Version:
    return Version(briefing, public, width, text_lines(document(briefing, public=public), width) if width > 0 else [])


class BriefingService:
    def __init__(self, store: Store, *, stale_days: int = STALE_DAYS) -> None:
        self._store = store
        self.stale_days = stale_days  # the officer's staleness threshold (Services sets it from the settings)
        # the roles' check (Services sets it): the internal version, with restricted items and officers' notes,
        # is for an editor; a reader exports the public one
        self.access: AccessService | None = None

    def _internal(self, public: bool) -> None:
        if not public and self.access is not None:
            self.access.require_editor("export the internal briefing (use the public version)")

    def build(self, meeting_id: int | None, as_of: dt.date | None = None) -> Briefing:
        return build_briefing(self._store, meeting_id, as_of, stale_days=self.stale_days)

    def preview(self, meeting_id: int | None, *, public: bool = False, width: int = 0) -> Version:
        """A meeting's briefing for the builder's preview: read, and laid out in lines of text at width (none when
        width is 0), in its full or its public version."""
        return _version(self.build(meeting_id), public, width)

    def rendered(self, briefing: Briefing, *, public: bool = False, width: int) -> Version:
        """A briefing already read (and since changed only as the database was) laid out again for the builder's
        preview: after a decision, in the other version, or at another width. Its approval is checked again (a
        decision may have changed what it contains, or put it back as approved)."""
        check_approval(briefing)
        return _version(briefing, public, width)

    def markdown(self, meeting_id: int | None, as_of: dt.date | None = None, *, public: bool = False) -> str:
        """The Markdown of a meeting's briefing (or an ad-hoc one at as_of)."""
        self._internal(public)
        return render(self.build(meeting_id, as_of), public=public)

    def docx(self, meeting_id: int | None, as_of: dt.date | None = None, *, public: bool = False) -> bytes:
        """The Word document (.docx) of a meeting's briefing (or an ad-hoc one at as_of): the same content."""
        from accountability_tui.briefing.docx import render_docx  # python-docx only when Word is asked for

        self._internal(public)
        return render_docx(self.build(meeting_id, as_of), public=public)

    def export(self, meeting_id: int | None, path: str | Path, *, as_of: dt.date | None = None,
               public: bool = False, force: bool = False, format: str | None = None) -> Path:
        """Write the briefing to a file, atomically; FileExists unless force. format: "docx" or "md", else the
        file's suffix decides (.docx is Word, anything else Markdown)."""
        if export_format(path, format) == "docx":
            return write_atomically(path, self.docx(meeting_id, as_of, public=public), force=force, private=not public)
        return write_atomically(path, self.markdown(meeting_id, as_of, public=public), force=force,
                                private=not public)

    def meeting_for(self, key: str | None, as_of: dt.date) -> MeetingRow | None:
        """A meeting by its number or date; without one, the first meeting on or after as_of (or None)."""
        if key:  # by number or by date as officers type it, with the same messages as every command
            return MeetingsService(self._store).find(key)
        return self._store.meetings.next_on_or_after(as_of)

    # --- approval -----------------------------------------------------------------------------------------------

    def approval(self, meeting_id: int) -> ApprovalState:
        """The meeting's briefing as it is now against its approvals."""
        briefing = self.build(meeting_id)
        now = fingerprint(briefing)
        history = [_approval(row, changed=row.fingerprint != now)
                   for row in self._store.briefings.approvals(meeting_id)]
        return ApprovalState(now, history[-1] if history else None, history)

    @staticmethod
    def fingerprint(briefing: Briefing) -> str:
        """What a briefing contains, as approving it records it (briefing/document.py)."""
        return fingerprint(briefing)

    def approve(self, meeting_id: int, *, seen: str | None = None, source: str = "app") -> Approval:
        """Approve the meeting's briefing as it is now: only an approver (or an admin) may, whatever their keys
        show. seen: the fingerprint of the briefing the approver looked at (ApprovalState.fingerprint); if it has
        changed since (another officer's change, say), Conflict, and nothing is written."""
        if self.access is not None:
            self.access.require_approver()
        now = fingerprint(self.build(meeting_id))
        if seen is not None and seen != now:
            raise Conflict("the briefing has changed since you looked at it; it was not approved: look at it "
                           "again, then approve it")
        return _approval(self._store.briefings.approve(meeting_id, now, source=source))

    # --- the officer's decisions ----------------------------------------------------------------------------

    def set(self, meeting_id: int, item: Item, *, included: bool | None = None, restricted: bool | None = None,
            discuss: bool | None = None, public: bool | None = None, comment: str | None = None) -> None:
        """Record a decision about an item. An overdue action put forward for discussion also gets, in `item`,
        what the briefing says about it (its findings, questions and history), as reading the briefing would."""
        changes: dict[str, object] = {k: v for k, v in (("included", included), ("restricted", restricted),
                                                       ("discuss", discuss), ("public", public),
                                                       ("comment", comment)) if v is not None}
        self._store.briefings.set(meeting_id, item.section, item.kind, item.ref_id, **changes)
        if discuss and isinstance(item, ActionItem) and item.section == "overdue":
            _discussion_facts(self._store, item)

    def set_discuss(self, meeting_id: int, action_id: int, discuss: bool) -> None:
        """Put an overdue action forward for discussion, or take it back."""
        self._store.briefings.set(meeting_id, "overdue", "action", action_id, discuss=discuss)

    def add_note(self, meeting_id: int, text: str) -> int:
        return self._store.briefings.add_note(meeting_id, text)

    def delete_note(self, meeting_id: int, note_id: int) -> None:
        self._store.briefings.delete_note(meeting_id, note_id)

    def move_section(self, meeting_id: int, order: list[str]) -> None:
        self._store.meetings.set_section_order(meeting_id, order)

    def move_item(self, meeting_id: int, section: str, keys: list[tuple[str, int]]) -> None:
        """Give the items of a section this order (the asking order, for questions)."""
        with self._store.write():
            if section == "questions":
                self._store.questions.set_order([ref for _, ref in keys])
            self._store.briefings.reorder(meeting_id, section, keys)
