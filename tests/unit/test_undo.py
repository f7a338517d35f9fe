"""Undo: the last change to a record is reversed by a change of its own; the history keeps every row."""

from __future__ import annotations

import datetime as dt

import pytest

from accountability_tui.domain.errors import Conflict, ValidationFailed
from accountability_tui.domain.models import FindingStatus, QuestionStatus, Rag, Status
from accountability_tui.services import Services


def _action(seeded, ref="7"):
    return seeded.actions.by_ref(seeded.plans.get("CSCJ-2022-27").id, ref)


def test_undo_goes_back_one_change_at_a_time_and_keeps_every_history_row(seeded):
    services = Services(seeded)
    a = _action(seeded)
    first_status, first_due = a.status, a.due
    a = seeded.actions.update(a.id, a.version, status=Status.COMPLETE, note="Done (by mistake)")
    a = seeded.actions.update(a.id, a.version, rag=Rag.RED)
    a = seeded.actions.update(a.id, a.version, due=dt.date(2027, 3, 31), due_reason="Slipped")
    rows = len(seeded.actions.history(a.id))
    assert services.actions.last_change(a.id).field == "due"
    undone = services.actions.undo(a)
    assert undone.field == "due" and seeded.actions.get(a.id).due == first_due
    assert services.actions.undo(seeded.actions.get(a.id)).field == "rag"
    assert seeded.actions.get(a.id).rag is None
    assert services.actions.undo(seeded.actions.get(a.id)).field == "status"
    assert seeded.actions.get(a.id).status is first_status
    history = seeded.actions.history(a.id)
    assert len(history) == rows + 3 and all("undo of change #" in (h.note or "") for h in history[rows:])
    assert services.actions.last_change(a.id) is None  # every change of this action has been undone
    with pytest.raises(ValidationFailed, match="no change to undo"):
        services.actions.undo(seeded.actions.get(a.id))


def test_undo_a_link_to_a_finding_and_a_stale_undo_is_refused(seeded):
    services = Services(seeded)
    a = _action(seeded, "8")
    finding = seeded.findings.list()[0]
    assert services.findings.link(finding.id, a.id)
    assert any(h.field == "finding" for h in seeded.actions.history(a.id))
    stale = seeded.actions.get(a.id)
    seeded.actions.update(stale.id, stale.version, note="someone else's note")
    with pytest.raises(Conflict):
        services.actions.undo(stale)  # the action changed since it was looked at
    change = services.actions.undo(seeded.actions.get(a.id))
    assert change.field == "finding" and "link to finding" in change.describe()
    assert a.id not in seeded.findings.linked_action_ids(finding.id)


def test_undo_a_finding_status_and_a_question_status_outside_the_lifecycle(seeded):
    services = Services(seeded)
    finding = next(f for f in seeded.findings.list() if f.status is FindingStatus.OPEN)
    finding = seeded.findings.update_status(finding.id, finding.version, FindingStatus.CLOSED, closed_how="letter",
                                            closed_on=dt.date(2026, 11, 1))
    services.findings.undo(finding)
    assert seeded.findings.get(finding.id).status is FindingStatus.OPEN
    question_id = seeded.questions.add({"text": "When?"})
    q = seeded.questions.get(question_id)
    q = seeded.questions.update(q.id, q.version, status=QuestionStatus.READY)
    q = seeded.questions.update(q.id, q.version, text="When, exactly?")
    services.questions.undo(q)
    assert seeded.questions.get(q.id).text == "When?"
    services.questions.undo(seeded.questions.get(q.id))
    assert seeded.questions.get(q.id).status is QuestionStatus.DRAFT
