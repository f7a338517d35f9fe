"""An approved briefing on paper (issue 14, item 4): the Markdown and the Word document, full and public, say who
approved it and on what day, under the title, and say when it has changed since; a briefing never approved says
nothing about approval."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from accountability_tui.briefing.model import Approval
from accountability_tui.services import Services

MEETING = dt.date(2026, 12, 10)


@pytest.fixture
def meeting(seeded):
    return seeded.meetings.add({"date": MEETING})


def word_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of each paragraph of a Word document, in order."""
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


def markdown_lines(services: Services, meeting: int, public: bool) -> list[str]:
    return [line for line in services.briefings.markdown(meeting, public=public).splitlines() if line]


@pytest.mark.parametrize("public", [False, True])
def test_the_approval_is_said_under_the_title_in_markdown_and_word(seeded, meeting, public):
    services = Services(seeded)
    seeded.acting_as("Jo Bloggs")
    approval = services.briefings.approve(meeting)
    day = f"{approval.on:%-d %B %Y}"
    lines = markdown_lines(services, meeting, public)
    assert lines[0].startswith("# Briefing: Accountability and Performance Meeting, Thursday 10 December 2026")
    assert lines[1] == f"*Approved by Jo Bloggs on {day}.*"
    paragraphs = word_paragraphs(services.briefings.docx(meeting, public=public))
    assert paragraphs[0][0] == "Title"
    assert paragraphs[1] == ("Normal", f"Approved by Jo Bloggs on {day}.")
    assert sum("Approved by" in text for _, text in paragraphs) == 1


@pytest.mark.parametrize("public", [False, True])
def test_a_change_since_approval_is_said_in_markdown_and_word(seeded, meeting, public):
    services = Services(seeded)
    seeded.acting_as("Jo Bloggs")
    approval = services.briefings.approve(meeting)
    note = services.briefings.add_note(meeting, "Added after the approval")
    item = next(i for i in services.briefings.build(meeting).section("notes").items if i.ref_id == note)
    services.briefings.set(meeting, item, public=True)  # in both versions
    day = f"{approval.on:%-d %B %Y}"
    assert markdown_lines(services, meeting, public)[1] == f"*Approved by Jo Bloggs on {day}* — **changed since " \
                                                           "approval**."
    paragraphs = word_paragraphs(services.briefings.docx(meeting, public=public))
    assert paragraphs[1][1] == f"Approved by Jo Bloggs on {day} — changed since approval."
    runs = docx.Document(io.BytesIO(services.briefings.docx(meeting, public=public))).paragraphs[1].runs
    assert [(r.text, bool(r.italic), bool(r.bold)) for r in runs if r.text.strip(" —.")] == [
        (f"Approved by Jo Bloggs on {day}", True, False), ("changed since approval", False, True)]


def test_a_briefing_never_approved_says_nothing_about_approval(seeded, meeting):
    services = Services(seeded)
    assert "Approved by" not in services.briefings.markdown(meeting)
    paragraphs = word_paragraphs(services.briefings.docx(meeting))
    assert not any("approv" in text.lower() for _, text in paragraphs)


def test_the_approval_line_is_not_part_of_what_is_approved(seeded, meeting):
    """The same briefing with and without its approval line: the same fingerprint (the line is not content)."""
    from accountability_tui.briefing.document import fingerprint

    services = Services(seeded)
    briefing = services.briefings.build(meeting)
    before = fingerprint(briefing)
    briefing.approval = Approval("Jo Bloggs", "2026-11-23T10:00:00+00:00", "0" * 64, changed=True)
    assert fingerprint(briefing) == before
    briefing.approval = None
    assert "Approved by" not in services.briefings.rendered(briefing, width=0).markdown
