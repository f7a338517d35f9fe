"""The command line's meeting new, question new and questions, on copies of the seeded database."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from accountability_tui.cli import HANDLERS, build_parser, main
from accountability_tui.domain.models import MeetingStatus, QuestionStatus
from accountability_tui.services import Services
from accountability_tui.services.meetings import MeetingDraft
from accountability_tui.services.questions import QuestionDraft
from accountability_tui.store import Store

QUESTION = "How will the Constabulary make sure every reported crime is recorded correctly?"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def state(path: Path) -> tuple[str, bytes]:
    """What the database holds (as SQL), and the bytes of its file (SQLite's -wal and -shm beside it come and go)."""
    data = path.read_bytes()
    with Store.open(path) as store:
        return store.dump(), data


def one_line_error(code: int, out: str, err: str, message: str) -> None:
    assert code != 0, (out, err)
    assert message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err and not out


@pytest.fixture
def planned(seeded_path: Path) -> dict[str, int]:
    """Two meetings still to come (10 December 2026, 14 January 2027) beside the seed's three held ones."""
    with Store.open(seeded_path) as store:
        services = Services(store)
        december, _ = services.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10)))
        january, _ = services.meetings.add(MeetingDraft(date=dt.date(2027, 1, 14), title="PEEL follow-up"))
    return {"december": december.id, "january": january.id}


def ids(store: Store) -> dict[str, int]:
    plans = {p.code: p.id for p in store.plans.list()}
    finding = {f.ref: f.id for f in store.findings.list()}
    return {"action 5": store.actions.by_ref(plans["CSCJ-2022-27"], "5").id,
            "action 1.1": store.actions.by_ref(plans["PCP-2025-29"], "1.1").id,
            "priority 2": store.plans.priority_id(plans["PCP-2025-29"], 2) or 0,
            "CoC-1": finding["CoC-1"], "JTAI-referrals": finding["JTAI-referrals"]}


# --- the subcommands dispatch through the one table --------------------------------------------------------------

def test_sub_actions_dispatch_through_the_handlers_table():
    parser = build_parser()
    assert parser.parse_args(["meeting", "new", "--date", "2026-12-10"]).handler is HANDLERS["meeting new"]
    assert parser.parse_args(["question", "new", "Why?"]).handler is HANDLERS["question new"]
    assert parser.parse_args(["questions"]).handler is HANDLERS["questions"]
    args = parser.parse_args(["meeting", "--db", "a.db", "new", "--date", "10/12/2026"])
    assert args.db == "a.db" and args.date == dt.date(2026, 12, 10)
    assert parser.parse_args(["--db", "b.db", "question", "new", "Why?"]).db == "b.db"


# --- meeting new -------------------------------------------------------------------------------------------------

def test_meeting_new_prints_the_meeting_with_its_number(seeded_path, capsys):
    code, out, err = run(capsys, "meeting", "new", "--db", seeded_path, "--date", "10/12/2026",
                         "--themes", "Crime recording;  999 calls ; ")
    assert code == 0, err
    assert out == ("meeting 4: Thursday 10 December 2026 — Accountability and Performance Meeting, Police "
                   "Headquarters, Welwyn Garden City; themes: Crime recording; 999 calls\n")
    with Store.open(seeded_path) as store:
        meeting = store.meetings.get(4)
    assert meeting.date == dt.date(2026, 12, 10) and meeting.status is MeetingStatus.PLANNED
    assert meeting.themes == ("Crime recording", "999 calls")
    code, out, _ = run(capsys, "meetings", "--db", seeded_path)
    assert out.splitlines()[-1].split() == ["4", "2026-12-10", "planned", "Accountability", "and", "Performance",
                                            "Meeting"]


def test_meeting_new_json_and_the_questions_it_carries_over(seeded_path, capsys):
    with Store.open(seeded_path) as store:
        services = Services(store)
        held = services.meetings.find("2025-04-01")
        assert held.status is MeetingStatus.HELD
        unasked = services.questions.save(QuestionDraft(text="Not reached in April?", meeting_id=held.id,
                                                        status=QuestionStatus.READY))
    code, out, err = run(capsys, "meeting", "new", "--db", seeded_path, "--date", "2027-01-14", "--kind",
                         "Special meeting", "--title", "PEEL follow-up", "--place", "", "--json")
    assert code == 0, err
    meeting = json.loads(out)
    assert meeting == {"id": 4, "date": "2027-01-14", "kind": "Special meeting", "title": "PEEL follow-up",
                       "themes": [], "place": None, "status": "planned", "demo": False, "carried_over": 1}
    with Store.open(seeded_path) as store:
        assert store.questions.get(unasked).meeting_id == 4
    code, out, err = run(capsys, "meeting", "new", "--db", seeded_path, "--date", "2027-02-11")
    assert code == 0 and out.startswith("meeting 5: Thursday 11 February 2027") and out.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--date", "31/02/2026"], "argument --date: '31/02/2026' is not a date; use YYYY-MM-DD or DD/MM/YYYY"),
        ([], "the following arguments are required: --date"),
        (["--date", "2026-12-10", "--kind", " "], "meeting: kind must not be empty"),
        (["--date", "2026-12-10", "--title", "x" * 100_001], "meeting: title is too long (100,001 characters"),
        (["--date", "18/07/2024"], "meeting 1 is already on Thursday 18 July 2024; nothing was added"),
        (["--date", "2026-12-10", "--frobnicate"], "unrecognized arguments: --frobnicate"),
    ],
)
def test_meeting_new_refused_says_why_and_changes_nothing(seeded_path, capsys, argv, message):
    before = state(seeded_path)
    one_line_error(*run(capsys, "meeting", "new", "--db", seeded_path, *argv), message)
    assert state(seeded_path) == before


def test_meeting_without_a_sub_action_says_which_there_are(seeded_path, capsys):
    one_line_error(*run(capsys, "meeting", "--db", seeded_path), "the following arguments are required: {new}")
    one_line_error(*run(capsys, "question", "--db", seeded_path), "the following arguments are required: {new}")


def test_a_read_only_database_is_not_written(seeded_path, capsys):
    before = state(seeded_path)
    code, out, err = run(capsys, "--read-only", "meeting", "new", "--db", seeded_path, "--date", "2026-12-10")
    assert code != 0 and "read-only" in err and "nothing was changed" in err and not out
    code, out, err = run(capsys, "--read-only", "question", "new", QUESTION, "--db", seeded_path)
    assert code != 0 and "nothing was changed" in err and "Traceback" not in err
    assert state(seeded_path) == before


# --- question new ------------------------------------------------------------------------------------------------

def test_question_new_linked_to_an_action_a_finding_and_a_priority_for_a_meeting(seeded_path, planned, capsys):
    code, out, err = run(capsys, "question", "new", QUESTION, "--db", seeded_path, "--action", "CSCJ-2022-27:5",
                         "--finding", "CoC-1", "--priority", "2", "--meeting", planned["december"], "--status",
                         "ready")
    assert code == 0, err
    assert out == ("question 1 (ready; meeting 4 of 10 December 2026; priority PCP-2025-29:2; action "
                   f"CSCJ-2022-27:5 · finding PEEL-2023-25:CoC-1): {QUESTION}\n")
    with Store.open(seeded_path) as store:
        q, known = store.questions.get(1), ids(store)
    assert q.text == QUESTION and q.status is QuestionStatus.READY and q.meeting_id == planned["december"]
    assert (q.action_id, q.finding_id, q.priority_id) == (known["action 5"], known["CoC-1"], known["priority 2"])


def test_question_new_json_meeting_by_date_and_finding_by_inspection(seeded_path, planned, capsys):
    code, out, err = run(capsys, "question", "new", "Which referrals changed?", "--db", seeded_path, "--finding",
                         "JTAI-2024-DA-0-7:JTAI-referrals", "--action", "PCP-2025-29:1.1", "--meeting",
                         "14/01/2027", "--json")
    assert code == 0, err
    item = json.loads(out)
    assert {k: item[k] for k in ("id", "status", "meeting", "meeting_date", "priority", "action", "finding",
                                 "text", "follow_up_of", "answer")} == {
        "id": 1, "status": "draft", "meeting": planned["january"], "meeting_date": "2027-01-14", "priority": None,
        "action": "PCP-2025-29:1.1", "finding": "JTAI-2024-DA-0-7:JTAI-referrals",
        "text": "Which referrals changed?", "follow_up_of": None, "answer": None}
    code, out, err = run(capsys, "question", "new", "And when?", "--db", seeded_path, "--meeting", "2026-12-10",
                         "--priority", "PCP-2025-29:5", "--json")
    assert code == 0, err
    item = json.loads(out)
    assert (item["id"], item["meeting"], item["priority"]) == (2, planned["december"], "PCP-2025-29:5")
    with Store.open(seeded_path) as store:
        known = ids(store)
        first = store.questions.get(1)
        assert (first.action_id, first.finding_id) == (known["action 1.1"], known["JTAI-referrals"])
        assert [h["field"] for h in store.questions.history(1)] == ["created"]


def test_question_new_without_a_meeting(seeded_path, capsys):
    before = state(seeded_path)
    code, out, _ = run(capsys, "question", "new", "A draft?", "--db", seeded_path)
    assert code == 0 and out == "question 1 (draft; no meeting yet): A draft?\n"
    after = state(seeded_path)  # what the refused commands are checked by does see a change
    assert after[0] != before[0] and after[1] != before[1]
    code, out, _ = run(capsys, "question", "new", "Ready?", "--db", seeded_path, "--status", "ready")
    assert code == 0 and out == "question 2 (ready; for the next meeting): Ready?\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--action", "CSCJ-2022-27:999"], "no action 999 in plan CSCJ-2022-27"),
        (["--action", "x:7.1"], "no plan 'x' (plans: PCP-2025-29, CSCJ-2022-27)"),
        (["--action", "7.1"], "no action '7.1': name it as PLAN:REF"),
        (["--finding", "nope"], "no finding 'nope': name it by its ref, or as INSPECTION:REF"),
        (["--finding", "PEEL-2023-25:nope"], "no finding nope in inspection PEEL-2023-25"),
        (["--finding", "NOPE:CoC-9"], "no inspection 'NOPE'"),
        (["--priority", "9"], "no priority 9 in plan PCP-2025-29 (its priorities are 1, 2, 3, 4, 5)"),
        (["--priority", "CSCJ-2022-27:1"], "no priority 1 in plan CSCJ-2022-27 (it has no priorities)"),
        (["--priority", "two"], "no priority 'two': give its number in the current plan (PCP-2025-29), or PLAN:N"),
        (["--meeting", "99"], "no meeting numbered 99"),
        (["--meeting", "9" * 30], f"no meeting numbered {'9' * 30}"),
        (["--priority", "9" * 30], f"no priority {'9' * 30} in plan PCP-2025-29"),
        (["--meeting", "1"], "meeting 1 of 18 July 2024 is held; plan the question for a planned meeting"),
        (["--meeting", "2026-12-11"], "no meeting on Friday 11 December 2026"),
        (["--meeting", "31/02/2026"], "no meeting '31/02/2026': give the meeting's number, or its date as "
                                      "YYYY-MM-DD or DD/MM/YYYY"),
        # a good action and a bad meeting: the action is found, and still nothing is written
        (["--action", "CSCJ-2022-27:5", "--meeting", "2027-03-01"], "no meeting on Monday 1 March 2027"),
        (["--status", "asked"], "argument --status: invalid choice: 'asked' (choose from 'draft', 'ready')"),
    ],
)
def test_question_new_refused_says_why_and_changes_nothing(seeded_path, planned, capsys, argv, message):
    before = state(seeded_path)
    one_line_error(*run(capsys, "question", "new", QUESTION, "--db", seeded_path, *argv), message)
    assert state(seeded_path) == before


@pytest.mark.parametrize(("text", "message"), [(" \n ", "question: text must not be empty"),
                                               ("x" * 100_001, "question: text is too long (100,001 characters")])
def test_question_new_without_usable_text_changes_nothing(seeded_path, capsys, text, message):
    before = state(seeded_path)
    one_line_error(*run(capsys, "question", "new", text, "--db", seeded_path), message)
    assert state(seeded_path) == before


def test_a_finding_ref_two_inspections_share_needs_its_inspection(seeded_path, capsys):
    with Store.open(seeded_path) as store:
        other = store.findings.add_inspection({"code": "PEEL-2025-27", "kind": "PEEL", "title": "PEEL 2025-27"})
        store.findings.add(other, {"ref": "CoC-1", "kind": "cause_of_concern", "text": "Another concern."})
    before = state(seeded_path)
    one_line_error(*run(capsys, "question", "new", QUESTION, "--db", seeded_path, "--finding", "CoC-1"),
                   "finding CoC-1 is in 2 inspections (")
    assert state(seeded_path) == before
    code, out, err = run(capsys, "question", "new", QUESTION, "--db", seeded_path, "--finding", "PEEL-2025-27:CoC-1",
                         "--json")
    assert code == 0, err
    assert json.loads(out)["finding"] == "PEEL-2025-27:CoC-1"


def test_control_characters_never_reach_the_database(seeded_path, capsys):
    code, out, _ = run(capsys, "question", "new", "Why \x1b[31mred\x1b[0m?\x07", "--db", seeded_path, "--json")
    assert code == 0 and json.loads(out)["text"] == "Why [31mred[0m?"


# --- questions ---------------------------------------------------------------------------------------------------

@pytest.fixture
def questions(seeded_path: Path, planned: dict[str, int]) -> dict[str, int]:
    """Four questions written through the services: two for December (one ready), one for January, one unplanned."""
    with Store.open(seeded_path) as store:
        services, known = Services(store), ids(store)
        made = {
            "december ready": services.questions.save(QuestionDraft(
                text=QUESTION, action_id=known["action 5"], finding_id=known["CoC-1"],
                priority_id=known["priority 2"], meeting_id=planned["december"], status=QuestionStatus.READY)),
            "december draft": services.questions.save(QuestionDraft(
                text="What has changed\nsince the inspection?\tIn figures.", meeting_id=planned["december"])),
            "january": services.questions.save(QuestionDraft(
                text="When will the referrals change?", finding_id=known["JTAI-referrals"],
                meeting_id=planned["january"], status=QuestionStatus.READY)),
            "unplanned": services.questions.save(QuestionDraft(text="Anything else?")),
        }
    return made


HEADER = ["id", "status", "meeting", "meeting_date", "priority", "action", "finding", "text"]


def tsv(out: str) -> list[list[str]]:
    lines = out.splitlines()
    assert lines[0].split("\t") == HEADER
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == len(HEADER) for row in rows)
    return rows


def test_questions_to_a_pipe_are_tab_separated_with_the_whole_text(seeded_path, questions, capsys):
    code, out, err = run(capsys, "questions", "--db", seeded_path)
    assert code == 0, err
    rows = tsv(out)
    assert [int(r[0]) for r in rows] == sorted(questions.values())
    assert rows[0] == [str(questions["december ready"]), "ready", "4", "2026-12-10", "PCP-2025-29:2",
                       "CSCJ-2022-27:5", "PEEL-2023-25:CoC-1", QUESTION]
    assert rows[1][7] == "What has changed since the inspection? In figures."  # whole, on one line
    assert rows[2][1:7] == ["ready", "5", "2027-01-14", "", "", "JTAI-2024-DA-0-7:JTAI-referrals"]
    assert rows[3][1:4] == ["draft", "", ""]


def test_questions_of_one_meeting_by_number_or_by_date(seeded_path, planned, questions, capsys):
    december = {questions["december ready"], questions["december draft"]}
    for key in (planned["december"], "2026-12-10", "10/12/2026"):
        code, out, err = run(capsys, "questions", "--db", seeded_path, "--meeting", key)
        assert code == 0, err
        assert {int(r[0]) for r in tsv(out)} == december
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--meeting", "14/01/2027", "--json")
    assert [q["id"] for q in json.loads(out)] == [questions["january"]]


def test_questions_by_status_and_as_json(seeded_path, questions, capsys):
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--status", "ready", "--json")
    items = json.loads(out)
    assert code == 0 and [q["id"] for q in items] == [questions["december ready"], questions["january"]]
    assert {"id", "status", "meeting", "meeting_date", "priority", "action", "finding", "text", "rationale",
            "follow_up_of", "answer", "answered_on", "asking_order", "created_by", "created_at", "demo"} == set(items[0])
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--status", "draft", "--meeting", "2026-12-10")
    assert [int(r[0]) for r in tsv(out)] == [questions["december draft"]]
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--status", "Follow-up")
    assert code == 0 and tsv(out) == []


def test_questions_in_a_terminal_are_a_table(seeded_path, questions, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "140")
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--meeting", "4")
    text = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert code == 0 and text.startswith("2 questions for meeting 4 of 10 December 2026")
    assert re.search(r"No\.\s+Status\s+Meeting\s+Priority\s+Link\s+Question", text)
    assert re.search(r"Ready\s+4 · 2026-12-10\s+PCP-2025-29:2\s+action CSCJ-2022-27:5", text)
    assert "What has changed since the inspection? In figures." in text


def test_text_from_the_data_is_printed_literally(seeded_path, questions, capsys):
    with Store.open(seeded_path) as store, store.write() as db:  # as another program might have written it
        db.conn.execute("UPDATE questions SET text = ? WHERE id = ?", ("Red \x1b[31malert\x1b[0m\x07?",
                                                                      questions["unplanned"]))
    code, out, _ = run(capsys, "questions", "--db", seeded_path, "--status", "draft")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert tsv(out)[-1][7] == "Red \\x1b[31malert\\x1b[0m\\x07?"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--meeting", "99"], "no meeting numbered 99"),
        (["--meeting", "next week"], "no meeting 'next week': give the meeting's number"),
        (["--status", "pending"], "'pending' is not a question's status; use one of draft, ready, asked, answered, "
                                  "follow_up"),
    ],
)
def test_questions_refused_says_why(seeded_path, questions, capsys, argv, message):
    before = state(seeded_path)
    one_line_error(*run(capsys, "questions", "--db", seeded_path, *argv), message)
    assert state(seeded_path) == before
