"""The briefing: what goes in, and its Markdown — parsed with a CommonMark parser, escaped, deterministic."""

import datetime as dt

import pytest
from markdown_it import MarkdownIt

from accountability_tui.briefing.files import FileExists, write_atomically
from accountability_tui.briefing.markdown import render
from accountability_tui.domain.models import QuestionStatus, Status
from accountability_tui.domain.records import QuestionIn
from accountability_tui.services import Services
from accountability_tui.services.briefing import build_briefing
from accountability_tui.store.actions import Filters


def export_briefing(store, meeting_id, as_of, *, public=False):
    return Services(store).briefings.markdown(meeting_id, as_of, public=public)


MEETING = dt.date(2026, 12, 10)
HOSTILE = "Pipe | in it\n# not a heading\n[@click=app.quit]x[/] <script>alert(1)</script> *loud* `code` 1. two"


def parse(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def headings(tokens, level: str) -> list[str]:
    out = []
    for n, t in enumerate(tokens):
        if t.type == "heading_open" and t.tag == level:
            out.append(tokens[n + 1].content)
    return out


def tables(tokens) -> list[list[list[str]]]:
    """Every table as rows of cell texts (header row first)."""
    result, table, row = [], None, None
    for n, t in enumerate(tokens):
        if t.type == "table_open":
            table = []
        elif t.type == "tr_open":
            row = []
        elif t.type in ("td_open", "th_open"):
            row.append(tokens[n + 1].content if tokens[n + 1].type == "inline" else "")
        elif t.type == "tr_close":
            table.append(row)
        elif t.type == "table_close":
            result.append(table)
    return result


def text_of(inline_source: str) -> str:
    """What a reader sees of an inline Markdown source (escapes resolved, <br> as a line break)."""
    tokens = MarkdownIt("commonmark").parseInline(inline_source)[0].children
    out = []
    for t in tokens:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif t.type == "html_inline" and t.content == "<br>":
            out.append("\n")
        elif t.type == "html_inline":
            out.append(f"<HTML {t.content}>")
    return "".join(out)


@pytest.fixture
def meeting(seeded):
    return seeded.meetings.add({"date": MEETING, "themes": ["Crime data integrity"]})


def test_sections_in_order_with_the_overdue_tables(seeded, meeting):
    text = export_briefing(seeded, meeting, None)
    tokens = parse(text)
    assert headings(tokens, "h1") == ["Briefing: Accountability and Performance Meeting, Thursday 10 December 2026"]
    assert headings(tokens, "h2") == ["1. Meeting details", "2. Since the last meeting", "3. Performance",
                                      "4. Overdue actions at 10 December 2026", "5. HMICFRS update",
                                      "6. Questions for the Chief Constable", "7. Officer's notes"]
    overdue_rows = [row for table in tables(tokens) if table[0][:2] == ["Ref", "Action"] for row in table[1:]]
    assert len(overdue_rows) == 70
    assert all(len(row) == 6 for row in overdue_rows)
    summary = next(t for t in tables(tokens) if t[0] == ["Plan", "Priority / theme", "Overdue", "Listed"])
    assert sum(int(r[2]) for r in summary[1:]) == 70 and sum(int(r[3]) for r in summary[1:]) == 70
    # every status carries the date it was reported; the ADP's are as at 2 February 2023, stale by now
    assert {row[2] for row in overdue_rows} <= {"In progress, as at 2 Feb 2023 (stale)",
                                                "Not started, as at 2 Feb 2023 (stale)"}
    assert "70 of the 70 have had no update since the last meeting (1 April 2025)" in text
    grades = next(t for t in tables(tokens) if t[0] == ["Area", "Grade"])
    assert ["Recording data about crime", "Inadequate"] in grades
    assert "passed 729 days ago" in text  # section 55: 16 Oct 2024 + 56 days = 11 Dec 2024


def test_since_the_last_meeting(seeded, meeting):
    briefing = build_briefing(seeded, meeting)
    since = briefing.section("since")
    assert since.start == dt.date(2025, 4, 1)
    tags = {(i.kind, i.action.ref if i.kind == "action" else i.finding.ref if i.kind == "finding" else i.ref_id): i.tags
            for i in since.items}
    assert tags == {("action", "137"): ["newly overdue"], ("finding", "CoC-1"): ["closed"]}
    action = seeded.actions.overdue(MEETING)[0]
    seeded.actions.update(action.id, action.version, status=Status.COMPLETE, note="Done at last")
    since = build_briefing(seeded, meeting).section("since")
    changed = next(i for i in since.items if i.kind == "action" and i.ref_id == action.id)
    assert changed.tags == ["status changed"] and changed.changes[0].note == "Done at last"


def test_text_from_the_data_cannot_break_the_document(seeded, meeting):
    action = seeded.actions.overdue(MEETING)[0]
    seeded.db.conn.execute("UPDATE actions SET text = ? WHERE id = ?", (HOSTILE, action.id))
    seeded.questions.add(QuestionIn(text=HOSTILE, rationale=HOSTILE, meeting_id=meeting,
                                    status=QuestionStatus.READY))
    seeded.briefings.set(meeting, "overdue", "action", action.id, discuss=True, comment=HOSTILE)
    seeded.briefings.add_note(meeting, HOSTILE)
    text = export_briefing(seeded, meeting, None)
    tokens = parse(text)
    assert len(headings(tokens, "h2")) == 7  # no heading came from the data
    assert all(not t.content.startswith("not a heading") for t in tokens if t.type == "inline" and
               tokens[tokens.index(t) - 1].type == "heading_open")
    assert not any(t.type == "html_block" for t in tokens)
    rows = [row for table in tables(tokens) if table[0][:2] == ["Ref", "Action"] for row in table[1:]]
    assert len(rows) == 70 and all(len(r) == 6 for r in rows)
    hostile_row = next(r for r in rows if "Pipe" in r[1])
    assert text_of(hostile_row[1]).replace(" *(for discussion)*", "").startswith(HOSTILE.split("\n")[0])
    assert text_of(hostile_row[1]).split(" (for discussion)")[0] == HOSTILE
    inlines = [t for t in tokens if t.type == "inline"]
    for t in inlines:
        children = t.children or []
        for n, child in enumerate(children):
            assert child.type not in ("link_open", "html_inline") or child.content == "<br>", child
            if child.type in ("em_open", "strong_open"):  # only the briefing's own emphasis, never the data's
                assert children[n + 1].content != "loud"
    assert sum(1 for t in inlines if text_of(t.content).endswith(HOSTILE.split("\n")[-1])) >= 3


def test_the_same_data_gives_the_same_bytes(seeded, meeting):
    assert export_briefing(seeded, meeting, None) == export_briefing(seeded, meeting, None)


def test_written_atomically_and_never_over_a_file_without_force(seeded, meeting, tmp_path):
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "briefing.md"
    text = export_briefing(seeded, meeting, None)
    write_atomically(path, text)
    first = path.read_bytes()
    with pytest.raises(FileExists, match="add --force"):
        write_atomically(path, "something else")
    assert path.read_bytes() == first
    write_atomically(path, text, force=True)
    assert path.read_bytes() == first
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["briefing.md"]  # no temporary file left behind


def test_public_version_leaves_out_restricted_items_and_comments(seeded, meeting):
    action = seeded.actions.overdue(MEETING)[0]
    seeded.briefings.set(meeting, "overdue", "action", action.id, restricted=True, comment="Sensitive: staff names")
    finding = seeded.findings.list(open_only=True)[0]
    seeded.briefings.set(meeting, "hmicfrs", "finding", finding.id, comment="Ask about the revisit")
    full = export_briefing(seeded, meeting, None)
    public = export_briefing(seeded, meeting, None, public=True)
    assert "RESTRICTED" in full and "Sensitive: staff names" in full and "Ask about the revisit" in full
    assert "RESTRICTED" not in public and "Sensitive" not in public and "Ask about the revisit" not in public
    assert action.text not in public
    assert "(public version)" in public.splitlines()[0]


def test_include_exclude_reorder_items_and_sections(seeded, meeting):
    overdue = build_briefing(seeded, meeting).section("overdue").items
    seeded.briefings.set(meeting, "overdue", "action", overdue[0].ref_id, included=False)
    hmicfrs = build_briefing(seeded, meeting).section("hmicfrs").items
    keys = [i.key for i in hmicfrs][::-1]
    seeded.briefings.reorder(meeting, "hmicfrs", keys)
    seeded.meetings.set_section_order(meeting, ["details", "questions", "hmicfrs", "overdue", "since", "notes"])
    briefing = build_briefing(seeded, meeting)
    # a section the officer's order lacks (Performance, newer than the order) goes after the one before it
    assert [s.key for s in briefing.sections] == ["details", "questions", "hmicfrs", "overdue", "since",
                                                  "performance", "notes"]
    assert [i.key for i in briefing.section("hmicfrs").items] == keys
    text = render(briefing)
    assert "70 actions are overdue" in text and "69 of them are listed below" in text  # figures stay
    assert headings(parse(text), "h2")[1] == "2. Questions for the Chief Constable"


def test_questions_in_asking_order_and_notes(seeded, meeting):
    first = seeded.questions.add(QuestionIn(text="First?", meeting_id=meeting, status=QuestionStatus.READY))
    second = seeded.questions.add(QuestionIn(text="Second?", meeting_id=meeting))
    seeded.questions.set_order([second, first])
    seeded.briefings.add_note(meeting, "Bring the PEEL revisit letter")
    text = export_briefing(seeded, meeting, None)
    section = text.split("## 6. Questions for the Chief Constable")[1].split("## 7.")[0]
    assert section.index("Second?") < section.index("First?")
    assert "*(Draft)* Second?" in section
    assert "Bring the PEEL revisit letter" in text.split("## 7. Officer's notes")[1]


def test_ad_hoc_briefing_without_a_meeting(seeded):
    seeded.questions.add(QuestionIn(text="Ready to ask?", status=QuestionStatus.READY))
    seeded.questions.add(QuestionIn(text="Still a draft?"))
    text = export_briefing(seeded, None, dt.date(2027, 1, 15))
    assert text.startswith("# Briefing at 15 January 2027\n")
    assert "None: an ad-hoc briefing" in text and "Ready to ask?" in text and "Still a draft?" not in text
    assert "70 actions are overdue at 15 January 2027" in text
    assert "Open findings" in text


def test_a_briefing_of_500_items_stays_a_valid_document(seeded, meeting):
    plan = seeded.plans.get("CSCJ-2022-27")
    for a in seeded.actions.list(Filters(plan_id=plan.id)):
        seeded.briefings.set(meeting, "overdue", "action", a.id, comment=f"Comment {a.ref} | with a pipe")
    for n in range(300):
        seeded.questions.add(QuestionIn(text=f"Question {n} | #{n}", meeting_id=meeting))
    text = export_briefing(seeded, meeting, None)
    tokens = parse(text)
    assert len(headings(tokens, "h2")) == 7
    assert sum(1 for t in tokens if t.type == "list_item_open") >= 300


def test_figures_describe_the_data_whatever_is_left_out(seeded, meeting):
    overdue = build_briefing(seeded, meeting).section("overdue").items
    group = overdue[0].action.group
    seeded.briefings.set(meeting, "overdue", "action", overdue[0].ref_id, included=False)
    text = export_briefing(seeded, meeting, None)
    assert "70 actions are overdue at 10 December 2026" in text and "69 of them are listed below" in text
    assert f"#### {group} (6 of 7)" in text
    summary = next(t for t in tables(parse(text)) if t[0][:3] == ["Plan", "Priority / theme", "Overdue"])
    assert [group, "7", "6"] == summary[1][1:]


def test_notes_and_comments_are_internal_unless_marked_public(seeded, meeting):
    note = seeded.briefings.add_note(meeting, "Internal: the Chief Constable is away that week")
    overdue = build_briefing(seeded, meeting).section("overdue").items
    seeded.briefings.set(meeting, "overdue", "action", overdue[0].ref_id, comment="Ask about the audit")
    public = export_briefing(seeded, meeting, None, public=True)
    assert "7. Officer's notes" not in headings(parse(public), "h2")
    assert "away that week" not in public and "Ask about the audit" not in public
    full = export_briefing(seeded, meeting, None)
    assert "away that week" in full and "Ask about the audit" in full
    seeded.briefings.set(meeting, "notes", "note", note, public=True)
    seeded.briefings.set(meeting, "overdue", "action", overdue[0].ref_id, public=True)
    public = export_briefing(seeded, meeting, None, public=True)
    assert "7. Officer's notes" in headings(parse(public), "h2")
    assert "away that week" in public and "Ask about the audit" in public


def test_the_section_55_response_once_published(seeded, meeting):
    inspection = seeded.findings.inspection_id("PEEL-2023-25")
    assert "passed 729 days ago" in export_briefing(seeded, meeting, None)
    seeded.findings.set_s55_response(inspection, dt.date(2024, 12, 9), "https://www.hertfordshire-pcc.gov.uk/")
    text = export_briefing(seeded, meeting, None)
    assert "passed 729 days ago" not in text
    assert "was published on 9 December 2024 (https://www.hertfordshire-pcc.gov.uk/)" in text


def test_ready_questions_not_planned_for_a_meeting_go_to_the_next_one(seeded, meeting):
    later = seeded.meetings.add({"date": "2027-01-14"})
    free = seeded.questions.add(QuestionIn(text="Drafted on the Findings screen", status=QuestionStatus.READY))
    draft = seeded.questions.add(QuestionIn(text="Still a draft"))
    planned = seeded.questions.add(QuestionIn(text="Kept for January", status=QuestionStatus.READY, meeting_id=later))
    now = [i.question.id for i in build_briefing(seeded, meeting).section("questions").items]
    assert free in now and draft not in now and planned not in now
    january = [i.question.id for i in build_briefing(seeded, later).section("questions").items]
    assert january == [planned]


def test_the_history_of_an_action_for_discussion_names_who_made_each_change_internally(seeded, meeting):
    services = Services(seeded)
    action = services.actions.overdue(MEETING, "CSCJ-2022-27")[0]
    seeded.acting_as("Jo Bloggs")
    services.actions.add_note(action, "Chased the lead; reply promised by Friday")
    services.briefings.set_discuss(meeting, action.id, True)
    internal = export_briefing(seeded, meeting, MEETING)
    assert "by Jo Bloggs: Chased the lead; reply promised by Friday" in internal
    public = export_briefing(seeded, meeting, MEETING, public=True)
    assert "Jo Bloggs" not in public  # the public paper does not name officers
