"""Meetings in the store: the review's memory, closing a meeting and carrying questions over; the CLI export."""

import datetime as dt

import pytest

from accountability_tui.cli import main
from accountability_tui.domain.errors import NotFound
from accountability_tui.domain.models import MeetingStatus, QuestionStatus
from accountability_tui.domain.records import QuestionIn
from accountability_tui.store import Store


def test_a_review_remembers_what_was_reviewed_per_meeting(seeded):
    december = seeded.meetings.add({"date": "2026-12-10"})
    january = seeded.meetings.add({"date": "2027-01-14"})
    overdue = seeded.actions.overdue(dt.date(2026, 12, 10))
    seeded.meetings.mark_reviewed(december, overdue[0].id)
    seeded.meetings.mark_reviewed(december, overdue[1].id)
    seeded.meetings.mark_reviewed(december, overdue[1].id)  # twice is once
    assert seeded.meetings.reviewed(december) == {overdue[0].id, overdue[1].id}
    assert seeded.meetings.reviewed(january) == set()
    seeded.meetings.mark_reviewed(december, overdue[0].id, reviewed=False)
    assert seeded.meetings.readiness(december)["reviewed"] == 1


def test_closing_a_meeting_carries_unasked_questions_to_the_next(seeded):
    december = seeded.meetings.add({"date": "2026-12-10"})
    asked = seeded.questions.add(QuestionIn(text="Asked and answered?", meeting_id=december,
                                            status=QuestionStatus.READY))
    unasked = seeded.questions.add(QuestionIn(text="Not reached?", meeting_id=december, status=QuestionStatus.READY))
    draft = seeded.questions.add(QuestionIn(text="Never approved?", meeting_id=december))
    q = seeded.questions.get(asked)
    q = seeded.questions.update(q.id, q.version, status=QuestionStatus.ASKED)
    seeded.questions.record_answer(q.id, q.version, "Yes, in writing.", dt.date(2026, 12, 10))
    assert seeded.meetings.close(december) == 0  # no next meeting yet
    assert seeded.meetings.get(december).status is MeetingStatus.HELD
    january = seeded.meetings.add({"date": "2027-01-14"})  # created later: the questions come with it
    assert {q.id for q in seeded.questions.list(meeting_id=january)} == {unasked, draft}
    assert seeded.questions.get(asked).meeting_id == december
    assert set(seeded.meetings.carried_over_into(january)) == {unasked, draft}
    history = seeded.questions.history(unasked)
    assert history[-1]["field"] == "meeting_id" and "carried over" in history[-1]["note"]
    assert "10 December 2026" in history[-1]["note"]


def test_closing_moves_questions_at_once_when_the_next_meeting_exists(seeded):
    december = seeded.meetings.add({"date": "2026-12-10"})
    january = seeded.meetings.add({"date": "2027-01-14"})
    unasked = seeded.questions.add(QuestionIn(text="Not reached?", meeting_id=december))
    assert seeded.meetings.close(december) == 1
    assert seeded.questions.get(unasked).meeting_id == january


def test_find_a_meeting_by_number_or_date(seeded):
    december = seeded.meetings.add({"date": "2026-12-10"})
    assert seeded.meetings.find(str(december)).date == dt.date(2026, 12, 10)
    assert seeded.meetings.find("2026-12-10").id == december
    with pytest.raises(NotFound, match="no meeting on 1 January 2030"):
        seeded.meetings.find("2030-01-01")
    with pytest.raises(NotFound, match="its number or its date"):
        seeded.meetings.find("next")


def test_export_briefing_from_the_command_line(seeded_path, tmp_path, capsys):
    with Store.open(seeded_path) as store:
        store.meetings.add({"date": "2026-12-10"})
    out = tmp_path / "briefing.md"
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", "2026-11-22", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    text = out.read_text()
    assert text.startswith("# Briefing: Accountability and Performance Meeting, Thursday 10 December 2026")
    assert main(["export-briefing", "--db", str(seeded_path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "already exists; add --force" in err and err.count("\n") == 1
    assert out.read_text() == text
    assert main(["export-briefing", "2026-12-10", "--db", str(seeded_path), "-o", str(out), "--force"]) == 0
    assert out.read_text() == text  # same data, same bytes
    capsys.readouterr()
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", "2027-02-01", "--public"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Briefing at 1 February 2027 (public version)")
    assert main(["export-briefing", "99", "--db", str(seeded_path)]) == 1
    assert "no meeting numbered 99" in capsys.readouterr().err
    assert main(["export-briefing", "9" * 20, "--db", str(seeded_path)]) == 1  # was an OverflowError traceback
    assert "no meeting numbered" in capsys.readouterr().err
    assert main(["export-briefing", "10/12/2026", "--db", str(seeded_path), "-o", str(out), "--force"]) == 0
    assert out.read_text() == text  # the date as officers type it
