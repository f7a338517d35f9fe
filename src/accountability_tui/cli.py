"""The command line: a thin shell over the same services the screens use.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from accountability_tui import __version__
from accountability_tui.domain.cleaning import CONTROL
from accountability_tui.domain.errors import AppError, UsageError

if TYPE_CHECKING:
    from rich.table import Table

    from accountability_tui.domain.models import (
        ActionRow,
        MeasureSummary,
        MeasureValueRow,
        Mechanism,
        MeetingRow,
        QuestionStatus,
        Status,
    )
    from accountability_tui.domain.roles import Role
    from accountability_tui.services import Services
    from accountability_tui.services.questions import QuestionLine

PROG = "accountability-tui"

# What must never reach the terminal as it is: the control characters the importers remove (ESC, bidi overrides,
# ...), tab and newline (an error is one line), and the stand-ins for bytes of a file name that are not UTF-8.
_UNSAFE = re.compile(f"{CONTROL.pattern}|[\\t\\n\\ud800-\\udfff]")


def _escaped(char: str) -> str:
    if char in "\t\n\r":
        return repr(char)[1:-1]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """text with every control character shown as an escape (ESC as \\x1b), as repr() would: a file name cannot
    move the cursor, recolour the terminal or break the line."""
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def _tell(line: str) -> None:
    """One line on stderr, control characters escaped."""
    print(visible(line), file=sys.stderr)


def _say(line: str) -> None:
    """One line on stdout, control characters escaped."""
    print(visible(line))


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        raise UsageError(f"{message} (see {self.prog} --help)")


def _date(value: str) -> dt.date:
    """The same date reader as the app's (YYYY-MM-DD or DD/MM/YYYY)."""
    from accountability_tui.domain.dates import parse_date

    try:
        return parse_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _status(value: str) -> Status:
    from accountability_tui.domain.models import Status
    from accountability_tui.domain.values import read_status

    try:
        return Status(value)
    except ValueError:
        pass
    status = read_status(value)
    if status is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a status; use one of {', '.join(s.value for s in Status)}")
    return status


def _question_status(value: str) -> QuestionStatus:
    from accountability_tui.domain.models import QuestionStatus

    try:
        return QuestionStatus(value.strip().lower().replace("-", "_"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a question's status; use one of {', '.join(s.value for s in QuestionStatus)}"
        ) from None


def _role(value: str) -> Role:
    from accountability_tui.domain.roles import read_role

    try:
        return read_role(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    db_help = "the database file (default: $ACCOUNTABILITY_TUI_DB, else one in your user data folder)"
    parser = _Parser(prog=PROG, description="Prepare the PCC's Accountability and Performance Meeting: plan "
                                            "actions, HMICFRS findings, questions for the Chief Constable.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--db", help=db_help)
    parser.add_argument("--as-of", type=_date, help="the date overdue is judged at (default: the as_of setting, "
                                                    "else today)")
    parser.add_argument("--read-only", action="store_true",
                        help="open the database without changing anything (also automatic for a read-only file)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    groups: dict[str, Any] = {}  # the subparsers of each group of subcommands

    def sub(name: str, help_text: str, group: str | None = None) -> argparse.ArgumentParser:
        """A subcommand (of a group of them, as `meeting new`), dispatched through HANDLERS by its full name."""
        p = (groups[group] if group else commands).add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        p.set_defaults(handler=HANDLERS[f"{group} {name}" if group else name])
        return p

    def group(name: str, help_text: str) -> None:
        """A subcommand that only gathers others (`meeting` gathers `meeting new`)."""
        p = commands.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, help=db_help)
        groups[name] = p.add_subparsers(dest="subcommand", required=True, parser_class=_Parser)

    p = sub("init", "create a database (with the Hertfordshire data unless --empty)")
    p.add_argument("--empty", action="store_true", help="create it without the seed data")

    p = sub("import", "import a delivery-plan table (ADP text, CSV or XLSX) into a plan")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--plan", metavar="CODE", help="the plan the actions belong to (created if new)")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--column", action="append", metavar="FIELD=HEADER", default=[],
                   help="say which column holds a field: ref, text, status, update, timeframe, lead, page, rag, "
                        "theme, priority, mechanism (repeatable)")
    p.add_argument("--dates-as-days", action="store_true",
                   help="read a timeframe column's date cells as days even when they all fall on the 1st of a month "
                        "(by default they are then read as whole months)")
    p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub("import-measures", "import performance figures (CSV or XLSX; one figure a row, or one measure a row "
                               "with a column per period) into the measures, all or nothing")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--sheet", metavar="NAME", help="the XLSX sheet to read (default: the first)")
    p.add_argument("--column", action="append", metavar="FIELD=HEADER", default=[],
                   help="say which column holds a field: measure, period, value, target, source, unit (repeatable)")
    p.add_argument("--dry-run", action="store_true", help="check and report, change nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = sub("measures", "list the performance measures with their figures, latest first in each line")
    p.add_argument("--objective", type=int, metavar="N", help="only the measures of objective N of the plan")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS,
                   help="the date the latest figure is judged at (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("overdue", "list the actions overdue at a date")
    p.add_argument("--plan", metavar="CODE", help="only this plan (default: every plan)")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS, help="the date (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("export-briefing", "write a meeting's briefing as Markdown or Word (.docx)")
    p.add_argument("meeting", metavar="MEETING", nargs="?",
                   help="the meeting's number or date (default: the first meeting on or after the as-of date, "
                        "else an ad-hoc briefing at the as-of date)")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS, help="the date (default: today)")
    p.add_argument("-o", "--output", metavar="FILE", help="the file to write (default: print the briefing)")
    p.add_argument("--format", choices=("docx", "md"), default=None,
                   help="docx (Word) or md (Markdown) (default: by FILE's suffix, .docx is Word; printed: Markdown)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--public", action="store_true", help="leave out restricted items and officers' comments")

    p = sub("check", "check the database file for damage (SQLite integrity and foreign keys)")
    p.add_argument("--quick", action="store_true", help="the quicker check (skips index contents)")

    p = sub("backup", "copy the database now (SQLite backup API); backups made by hand are never removed, "
                      "the last ten automatic ones are kept")
    p.add_argument("--list", action="store_true", help="list the backups instead")

    p = sub("restore", "replace the database with a backup, whatever state it is in (a sound one is backed up "
                       "first, a damaged one set aside as NAME-damaged-TIME.db)")
    p.add_argument("backup", metavar="BACKUP", help="the backup file (see: accountability-tui backup --list)")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    p = sub("demo-data", "add a national-scale demonstration data set (43 forces; every record flagged demo)")
    p.add_argument("--actions", type=int, default=100_000, metavar="N", help="how many actions (default 100,000)")
    p.add_argument("--seed", type=int, default=43, help="the random seed (same seed, same data)")

    p = sub("config", "say where the settings file is and every setting in force, with where it came from")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("meetings", "list the meetings, past and coming")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("actions", "list every action, with the fields the screens show")
    p.add_argument("--plan", metavar="CODE", help="only this plan")
    p.add_argument("--status", type=_status, help="only this status: not_started, in_progress, complete, unknown, "
                                                  "on_hold, withdrawn (withdrawn ones are listed only when asked)")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS, help="the date for days overdue")
    p.add_argument("--json", action="store_true", help="print JSON")
    _list_export_options(p)

    _tracker_commands(sub, group)

    group("meeting", "add a meeting (meeting new)")
    p = sub("new", "add a meeting and print it with its number (questions not asked at earlier meetings carry "
                   "over to it)", group="meeting")
    p.add_argument("--date", type=_date, required=True, help="its date: YYYY-MM-DD or DD/MM/YYYY")
    p.add_argument("--kind", help="what kind of meeting (default: Accountability and Performance Meeting)")
    p.add_argument("--title", help="its title (optional)")
    p.add_argument("--themes", metavar='"A; B"', help="its themes, separated by ;")
    p.add_argument("--place", help="where (default: Police Headquarters, Welwyn Garden City)")
    p.add_argument("--json", action="store_true", help="print JSON")

    group("question", "write a question for the Chief Constable (question new)")
    p = sub("new", "write a question for the Chief Constable and print it with its number", group="question")
    p.add_argument("text", metavar="TEXT", help="the question")
    p.add_argument("--action", metavar="PLAN:REF", help="the action it is about (e.g. CSCJ-2022-27:5)")
    p.add_argument("--finding", metavar="REF", help="the HMICFRS finding it is about, by its ref (e.g. CoC-1), or "
                                                    "INSPECTION:REF")
    p.add_argument("--priority", metavar="N", help="the priority it serves: its number in the current plan, or "
                                                   "PLAN:N")
    p.add_argument("--meeting", metavar="NUMBER|DATE", help="plan it for this meeting (without it, a ready "
                                                            "question goes to the next meeting)")
    p.add_argument("--status", choices=("draft", "ready"), default="draft",
                   help="draft (the default), or ready: approved for a meeting")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("questions", "list the questions for the Chief Constable")
    p.add_argument("--meeting", metavar="NUMBER|DATE", help="only those planned for this meeting")
    p.add_argument("--status", type=_question_status,
                   help="only this status: draft, ready, asked, answered, follow_up")
    p.add_argument("--json", action="store_true", help="print JSON")
    _list_export_options(p)
    group("report", "write a report from the tracker (report panel)")
    p = sub("panel", "write the Annual Delivery Plan progress report to the Police and Crime Panel as Word (.docx), "
                     "Excel (.xlsx) or Markdown (.md), by FILE's ending", group="report")
    p.add_argument("--plan", metavar="CODE", required=True, help="the plan reported on")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS,
                   help="the date the report describes (default: today)")
    p.add_argument("--since", type=_date, help="count actions completed from this date (default: a year before "
                                               "the as-of date)")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the file to write: .docx, .xlsx or .md")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    _briefing_commands(sub, group)
    _user_commands(sub, group)
    _serve_command(sub)
    for actions in groups.values():  # named in --help and in "the following arguments are required: {new}"
        actions.metavar = "{" + ",".join(actions.choices) + "}"
    return parser


def _mechanism(value: str) -> Mechanism | None:
    from accountability_tui.domain.models import Mechanism

    if value.strip().lower() in ("", "none"):
        return None
    for m in Mechanism:
        if value.strip().lower() in (m.value, m.label.lower()):
            return m
    raise argparse.ArgumentTypeError(f"{value!r} is not a mechanism; use one of {', '.join(m.value for m in Mechanism)}")


def _tracker_commands(sub: Callable[..., argparse.ArgumentParser], group: Callable[[str, str], None]) -> None:
    """action new|edit|withdraw and plan rename|set-current: keeping the tracker from the command line."""
    group("action", "add, edit or withdraw an action (action new|edit|withdraw)")
    p = sub("new", "add an action to a plan and print it (its ref: the next free one unless --ref)", group="action")
    p.add_argument("text", metavar="TEXT", help="the action: what will be done")
    p.add_argument("--plan", metavar="CODE", required=True, help="the plan it belongs to")
    fields = [("--ref", "its number in the plan (default: the next free one)"),
              ("--theme", "its theme (a new name makes a new theme)"), ("--lead", "who delivers it"),
              ("--timeframe", "as written (Spring 2026, March 2026, 2025/26 …): the due date follows"),
              ("--page", "the plan page")]
    for flag, help_text in fields:
        p.add_argument(flag, help=help_text)
    p.add_argument("--priority", type=int, metavar="N", help="the plan's priority it serves, by number")
    p.add_argument("--mechanism", type=_mechanism, help="ask_chief_constable, hold_to_account, opcc_delivers, "
                                                        "partners or lobbying")
    p.add_argument("--status", type=_status, default=None, help="its status (default: not_started)")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("edit", "change any field of an action; each change is kept in its history", group="action")
    p.add_argument("action", metavar="PLAN:REF", help="the action (e.g. CSCJ-2022-27:5)")
    p.add_argument("--text", help="its text")
    p.add_argument("--ref", help="a new ref")
    for flag, help_text in fields[1:]:
        p.add_argument(flag, help=help_text + " ('' for none)")
    p.add_argument("--priority", metavar="N|none", help="the plan's priority it serves, by number")
    p.add_argument("--mechanism", type=_mechanism, default=argparse.SUPPRESS, help="as for action new; none for none")
    p.add_argument("--status", type=_status, help="a new status (needs --note)")
    p.add_argument("--note", help="a note for its history (required with a new status)")
    p.add_argument("--rag", choices=("green", "amber", "red", "none"), help="your RAG judgement")
    p.add_argument("--due", type=_date, help="a new due date (needs --reason)")
    p.add_argument("--reason", help="why the due date moved")
    p.add_argument("--if-version", type=int, metavar="N", help="refuse if someone changed it since version N")
    p.add_argument("--json", action="store_true", help="print JSON")

    p = sub("withdraw", "withdraw an action: kept with its history, never overdue, left out of every count",
            group="action")
    p.add_argument("action", metavar="PLAN:REF", help="the action (e.g. CSCJ-2022-27:5)")
    p.add_argument("--reason", required=True, help="why (kept in its history)")
    p.add_argument("--if-version", type=int, metavar="N", help="refuse if someone changed it since version N")
    p.add_argument("--json", action="store_true", help="print JSON")

    group("plan", "rename a plan or make it current (plan rename|set-current)")
    p = sub("rename", "give a plan a new code or title, or rename one of its themes", group="plan")
    p.add_argument("plan", metavar="CODE", help="the plan's code now")
    p.add_argument("--code", help="its new code")
    p.add_argument("--title", help="its new title")
    p.add_argument("--theme", action="append", default=[], metavar="OLD=NEW",
                   help="rename a theme of its actions (repeatable)")
    p = sub("set-current", "make a plan the current one (the app and the lists open on it)", group="plan")
    p.add_argument("plan", metavar="CODE", help="the plan's code")


def _user_commands(sub: Callable[..., argparse.ArgumentParser], group: Callable[[str, str], None]) -> None:
    """user add|list|set-role|remove: the people who may use the database and their roles (issue 14)."""
    roles = "reader (looks, exports the public version), editor (changes anything), approver (an editor who " \
            "approves briefings) or admin (manages people)"
    group("user", "the people who may use the database and their roles (user add|list|set-role|remove)")
    p = sub("add", "add a person, with their role (an admin only, or the file's owner)", group="user")
    p.add_argument("name", metavar="NAME", help="their name, as their login or the office's sign-on gives it")
    p.add_argument("--role", type=_role, required=True, help=roles)
    p = sub("list", "list the people and their roles (while there is no one, everyone may do everything)",
            group="user")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub("set-role", "give a person another role (an admin only, or the file's owner)", group="user")
    p.add_argument("name", metavar="NAME", help="their name")
    p.add_argument("role", metavar="ROLE", type=_role, help=roles)
    p = sub("remove", "take a person off the list (an admin only, or the file's owner)", group="user")
    p.add_argument("name", metavar="NAME", help="their name")


def _serve_command(sub: Callable[..., argparse.ArgumentParser]) -> None:
    """serve: the app in a browser, a process per tab, the person signed in by the office's proxy (issue 14)."""
    p = sub("serve", "serve the app to browsers on this database: each tab its own app, the person signed in by "
                     "the office's proxy (--trust-header), one fixed person (--user), or the OS user")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1; any other than this computer's own needs "
                        "--trust-header)")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    p.add_argument("--trust-header", metavar="HEADER",
                   help="take the signed-in person's name from this header, which the office's sign-in proxy sets "
                        "(as X-Remote-User); a request without it is refused")
    p.add_argument("--user", metavar="NAME", help="serve one fixed person, on this computer only, to try it out")


def action_dict(action: ActionRow, as_of: dt.date) -> dict[str, Any]:
    return {
        "plan": action.plan_code, "ref": action.ref, "priority": action.priority_number,
        "priority_title": action.priority_title, "theme": action.theme, "text": action.text, "lead": action.lead,
        "mechanism": action.mechanism.value if action.mechanism else None, "status": action.status.value,
        "rag": action.rag.value if action.rag else None, "timeframe": action.timeframe,
        "baseline_due": action.baseline_due.isoformat() if action.baseline_due else None,
        "due": action.due.isoformat() if action.due else None, "days_overdue": action.days_overdue(as_of),
        "plan_page": action.plan_page,
    }


TSV_FIELDS = ("plan", "ref", "priority_title", "theme", "status", "due", "days_overdue", "lead", "text")


def _cell(value: object) -> str:
    """A value on one line: tabs and line breaks become spaces, other control characters escapes, None nothing."""
    return visible(" ".join(str("" if value is None else value).split()))


def _print_tsv(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> None:
    """For a pipe or a file: one line a row, tab-separated, every field in full, under a header line."""
    print("\t".join(fields))
    for row in rows:
        print("\t".join(_cell(row[k]) for k in fields))


_ONE_LINE: dict[str, Any] = {"no_wrap": True, "overflow": "ellipsis"}  # a table's column, one line a row


def _table(title: str) -> Table:
    """A table for people, in the one style of the command line's tables."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    return Table(title=Text(_cell(title)), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=True,
                 padding=(0, 1))


def _print_table(actions: list[ActionRow], as_of: dt.date, *, title: str) -> None:
    """Tables for people, one per plan, one line an action (the JSON output has every field in full). When the
    output is not a terminal (a pipe, a file), the whole text instead: tab-separated values."""
    if not sys.stdout.isatty():
        _print_tsv((action_dict(a, as_of) for a in actions), TSV_FIELDS)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    wide = console.width >= 120
    console.print(Text(_cell(title), style="bold"))
    plans: dict[str, list[ActionRow]] = {}
    for a in actions:
        plans.setdefault(a.plan_code, []).append(a)
    for plan, rows in plans.items():
        show_lead = wide or any(a.lead for a in rows)
        table = _table(f"{plan}: {len(rows)}")
        table.add_column("Ref", justify="right", min_width=3, **_ONE_LINE)
        table.add_column("Priority / theme", min_width=10, max_width=28 if wide else 16, **_ONE_LINE)
        table.add_column("Status", min_width=11, **_ONE_LINE)
        table.add_column("Due", min_width=11, **_ONE_LINE)
        table.add_column("Days", justify="right", min_width=4, **_ONE_LINE)
        if show_lead:
            table.add_column("Lead", min_width=4, max_width=16, **_ONE_LINE)
        table.add_column("Action", ratio=1, min_width=20, **_ONE_LINE)
        for a in rows:
            days = a.days_overdue(as_of)
            cells = [Text(_cell(a.ref)), Text(_cell(a.group)), Text(a.status.label),
                     Text(a.due.isoformat() if a.due else "no deadline"), Text(str(days) if days else "")]
            if show_lead:
                cells.append(Text(_cell(a.lead or "—")))
            table.add_row(*cells, Text(_cell(a.text)))
        console.print(table)


def _open(args: argparse.Namespace) -> Services:
    """The services over an existing database (--db, else the default one), saying its warnings first."""
    from accountability_tui.services.database import open_services

    services = open_services(args.db, create=None, readonly=args.read_only)
    loaded = getattr(args, "settings", None)
    if loaded is not None:  # the officer's staleness threshold, for the briefing and the Panel report
        services.stale_days = loaded.settings.stale_days
    for warning in services.warnings:
        _tell(f"{PROG}: warning: {warning}")
    if services.readonly and services.readonly_reason:
        _tell(f"{PROG}: note: {services.readonly_reason}")
    return services


def _as_of(args: argparse.Namespace, services: Services | None = None) -> dt.date:
    """--as-of, else the date the as_of setting gives (worked out once): today, a date, or the next meeting's."""
    if args.as_of is None:
        from accountability_tui import settings as config

        loaded: config.Loaded | None = getattr(args, "settings", None)
        rule = loaded.settings.as_of if loaded else "today"
        args.as_of = config.as_of_date(rule, dt.date.today(), lambda today: _next_meeting(args, services, today))
    as_of: dt.date = args.as_of
    return as_of


def _next_meeting(args: argparse.Namespace, services: Services | None, today: dt.date) -> dt.date | None:
    """The next planned meeting's date, for the as_of setting "next-meeting" (None: none, or no database yet: the
    command itself says what is wrong with it)."""
    from accountability_tui.services.database import open_services
    from accountability_tui.settings import next_meeting

    if services is not None:
        return next_meeting(services, today)
    try:
        with closing(open_services(args.db, create=False, readonly=True)) as opened:
            return next_meeting(opened, today)
    except (AppError, sqlite3.Error, OSError):
        return None


def cmd_config(args: argparse.Namespace) -> int:
    """Where the settings file is, and every setting in force with where it came from; 1 when it cannot be used."""
    from accountability_tui import settings as config
    from accountability_tui.ui.registry import binding_ids, theme_names

    loaded = config.load(binding_ids=binding_ids(), themes=theme_names())
    if loaded.problem:
        _tell(f"{PROG}: {loaded.problem}")
    rows = config.in_force(loaded, db=args.db, as_of=args.as_of)
    if args.json:
        print(json.dumps({"file": str(loaded.path), "file_from": loaded.path_from, "exists": loaded.exists,
                          "problem": loaded.problem, "settings": rows}, indent=2, ensure_ascii=False))
        return 1 if loaded.problem else 0
    state = "it exists" if loaded.exists else "it does not exist: every setting is the default"
    named = f"named by ${config.ENV_VAR}; " if loaded.path_from == "environment" else ""
    _say(f"settings file: {loaded.path} ({named}{state})")
    width = max(len(name) for name in rows) + 2
    for name, row in rows.items():
        value = row["value"]
        if name == "keymap":
            value = ", ".join(f"{k} = {v}" for k, v in value.items()) or "none (every key as ? shows it)"
        _say(f"{name:<{width}}{value}  ({row['from']})")
    return 1 if loaded.problem else 0


def _settings(args: argparse.Namespace, *, faces: bool) -> None:
    """Read the settings file for a command: a file that cannot be used is said in one line, and the command goes
    on with every default. Its database is used without --db ($ACCOUNTABILITY_TUI_DB still wins). faces: the app,
    which applies the keymap and the theme, so checks them against its keys and themes."""
    from accountability_tui import settings as config

    loaded = config.load()
    if faces and not loaded.problem:
        from accountability_tui.ui.registry import binding_ids, theme_names

        # a keymap's ids are checked against every screen's keys, which imports them all: only when there is one
        loaded = config.load(binding_ids=binding_ids() if loaded.settings.keymap else None, themes=theme_names())
    if loaded.problem:
        _tell(f"{PROG}: {loaded.problem}")
    args.settings = loaded
    if args.db is None:
        args.db = loaded.database_option()


def cmd_app(args: argparse.Namespace) -> int:
    """No command: open the app."""
    from accountability_tui.serve import signed_in_name
    from accountability_tui.services.database import open_services

    # a browser tab's app acts as the person `serve` signed in (None: the OS user, at the terminal)
    services = open_services(args.db, create=not args.read_only, readonly=args.read_only,
                             acting_as=signed_in_name())
    # the first screen's figures, read now (no event loop yet to hold up), so it is drawn once with them
    first = services.dashboard.load(None, _as_of(args, services))
    services.close()  # this thread's connection; the app's database thread opens its own
    from accountability_tui.ui.app import AccountabilityApp

    loaded = getattr(args, "settings", None)
    if loaded and loaded.problem:  # said on stderr, which the app's screen covers: the app says it too
        services.warnings.append(loaded.problem)
    AccountabilityApp(as_of=args.as_of, services=services, first_data=first,
                      settings=loaded.settings if loaded else None).run()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from accountability_tui.services.database import open_services

    # init is the one command that may make a database of an existing empty file: the person asked for a new one
    with closing(open_services(args.db, create=True, seed=not args.empty, init=True)) as services:
        count = services.database.action_count()
        if services.database.created:
            what = "empty" if args.empty else f"with the Hertfordshire data ({count} actions)"
            _say(f"created {services.path} {what}")
        else:
            _say(f"{services.path} already exists ({count} actions); nothing changed")
    return 0


def cmd_demo_data(args: argparse.Namespace) -> int:
    from accountability_tui.services.database import open_services
    from accountability_tui.services.demo import FORCES

    if args.actions < len(FORCES):  # said before a database is made
        raise UsageError(f"--actions must be at least {len(FORCES)} (one per force)")
    with closing(open_services(args.db, create=True)) as services:
        made = services.database.demo_data(actions=args.actions, seed=args.seed,
                                           progress=lambda line: print(line, file=sys.stderr))
        print(", ".join(f"{v:,} {k}" for k, v in made.items()) + f" of demonstration data in {services.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        problems = services.database.check(quick=args.quick)
        unwritable = services.database.write_problems()
        for problem in [*problems[:50], *unwritable]:
            _say(f"problem: {problem}")
        if problems:
            raise AppError(f"{services.path}: {len(problems)} problem(s) found; "
                           f"{services.database.restore_advice()}")
        if unwritable:
            raise AppError(f"{services.path} is sound but cannot be saved to: fix the permissions above "
                           f"({len(unwritable)} problem(s))")
        _say(f"{services.path}: no problems found ({'quick' if args.quick else 'full'} integrity check, "
             f"foreign keys; {services.database.action_count()} actions)")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    if args.list:  # read from the folder, without opening the database: it may be damaged
        from accountability_tui.services.database import backups_of, database_path

        backups = backups_of(args.db)
        for path in backups:
            _say(str(path))
        if not backups:
            _tell(f"no backups of {database_path(args.db)} yet")
        return 0
    with closing(_open(args)) as services:
        _say(str(services.database.backup()))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore works whatever state the database is in, so it does not open it as the other commands do."""
    from accountability_tui.services.database import (
        check_backup,
        database_path,
        restore_command,
        restore_database,
    )

    if args.read_only:
        raise UsageError("restore replaces the database, so it cannot be done with --read-only")
    path = database_path(args.db)
    backup_path = Path(args.backup).expanduser()
    check_backup(backup_path)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("restore replaces the database: confirm with --yes (or run it in a terminal)")
        answer = input(visible(f"Replace everything in {path} with {backup_path.name}? (what it holds now is kept: "
                               "backed up first, or set aside if it is damaged) [y/N] "))
        if answer.strip().lower() not in ("y", "yes"):
            _say("nothing changed")
            return 1
    restored = restore_database(path, backup_path)
    if restored.damaged is not None:
        _say(f"kept the file it replaced, as it was, as {restored.damaged}")
    line = f"restored {path} from {backup_path.name}"
    if restored.before is not None:
        line += f"; to undo it, run: {restore_command(path, restored.before)}"
    _say(line)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        report = services.database.import_table(args.file, plan=args.plan, sheet=args.sheet, columns=args.column,
                                                dry_run=args.dry_run, dates_as_days=args.dates_as_days)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    verb = "would import" if report.dry_run else "imported"
    s = report.by_status
    print(f"{verb} {report.actions} actions into {report.plan}{' (new plan)' if report.plan_created else ''}: "
          f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged — {s['complete']} complete, "
          f"{s['in_progress']} in progress, {s['not_started']} not started, {s['unknown']} unknown")
    _print_mechanisms(report.by_mechanism)
    for w in report.warnings:
        print(f"warning: row {w.row}: {w.message}", file=sys.stderr)
    if report.backup:
        print(f"backup of the database before the import: {report.backup}")
    return 0


def _print_mechanisms(by_mechanism: dict[str, int]) -> None:
    """The import report's line of how many rows got each mechanism: "mechanisms: 3 Ask the Chief Constable, ..."."""
    from accountability_tui.domain.models import Mechanism

    counts = [f"{n} {Mechanism(value).label}" for value, n in by_mechanism.items() if n]
    if counts:
        print(f"mechanisms: {', '.join(counts)}")


def _column_pairs(pairs: list[str]) -> dict[str, str]:
    """--column field=Header, repeated, as field -> header (the fields are checked by the import)."""
    columns: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--column {pair!r}: write it as field=Header, e.g. --column measure='Indicator name'")
        name, header = (part.strip() for part in pair.split("=", 1))
        columns[name.lower()] = header
    return columns


def cmd_import_measures(args: argparse.Namespace) -> int:
    columns = _column_pairs(args.column)
    with closing(_open(args)) as services:
        report = services.measures.import_file(args.file, dry_run=args.dry_run, columns=columns or None,
                                               sheet=args.sheet)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return 0
    verb = "would import" if report.dry_run else "imported"
    made = f", {len(report.new_measures)} of them new" if report.new_measures else ""
    _say(f"{verb} {report.values} figures of {report.measures} measures{made} from {report.file}: {report.new} new, "
         f"{report.changed} changed, {report.unchanged} unchanged")
    for name in report.new_measures:
        _say(f"new measure: {name} (set its unit, direction and objective in the app)")
    for change in report.changes[:50]:
        _say(f"changed: {change.measure}, {change.period}: {_figure(change.old)} -> {_figure(change.new)}")
    if len(report.changes) > 50:
        _say(f"… and {len(report.changes) - 50} more figures changed")
    for warning in report.warnings:
        _tell(f"warning: {warning}")
    if report.backup:
        _say(f"backup of the database before the import: {report.backup}")
    return 0


def _figure(value: float | None) -> str:
    """A figure as a person writes it: 84.1, 1,234 (no float noise)."""
    if value is None:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _value_dict(value: MeasureValueRow | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"period": value.period, "label": value.label, "kind": value.kind.value, "start": value.start.isoformat(),
            "end": value.end.isoformat(), "value": value.value, "target": value.target, "source": value.source,
            "demo": value.demo}


def measure_dict(summary: MeasureSummary, values: list[MeasureValueRow]) -> dict[str, Any]:
    m = summary.measure
    moved = summary.versus_year
    return {
        "id": m.id, "name": m.name, "force": m.force, "unit": m.unit.value if m.unit else None,
        "direction": m.direction.value if m.direction else None,
        "objective": m.objective_number, "objective_title": m.objective_title, "priority": m.priority_number,
        "baseline": {"value": m.baseline_value, "period": m.baseline_period, "source": m.baseline_source,
                     "note": m.baseline_note, "pending": m.baseline_pending},
        "target": {"value": m.target_value, "note": m.target_note},
        "source_note": m.source_note, "restricted": m.restricted, "demo": m.demo,
        "values": [_value_dict(v) for v in values],
        "as_of": summary.as_of.isoformat(),
        "latest": _value_dict(summary.latest),
        "year_earlier": _value_dict(summary.year_earlier),
        "change_year": summary.change_year,
        "versus_year": moved.value if moved else None,
        "moved_right_way": None if moved is None else moved.value == "better",
        "change_baseline": summary.change_baseline,
        "versus_baseline": summary.versus_baseline.value if summary.versus_baseline else None,
        "versus_target": summary.versus_target.value if summary.versus_target else None,
    }


MEASURE_TSV_FIELDS = ("objective", "name", "unit", "direction", "latest_period", "latest", "year_earlier",
                      "change_year", "versus_year", "baseline", "target", "versus_target")


def _measure_line(summary: MeasureSummary) -> dict[str, Any]:
    m, latest, earlier = summary.measure, summary.latest, summary.year_earlier
    baseline = _figure(m.baseline_value) if m.baseline_value is not None else (
        "pending" if m.baseline_pending else "")
    return {"objective": m.objective_number or "", "name": m.name, "unit": m.unit.value if m.unit else "",
            "direction": m.direction.value if m.direction else "",
            "latest_period": latest.label if latest else "", "latest": _figure(latest.value) if latest else "",
            "year_earlier": _figure(earlier.value) if earlier else "",
            "change_year": _signed(summary.change_year),
            "versus_year": summary.versus_year.value if summary.versus_year else "",
            "baseline": baseline, "target": _figure(summary.target),
            "versus_target": summary.versus_target.value if summary.versus_target else ""}


def _signed(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + _figure(value)


def _print_measures(summaries: list[MeasureSummary], *, title: str) -> None:
    """A table for people, one line a measure under its objective; to a pipe or a file, tab-separated values."""
    lines = [_measure_line(s) for s in summaries]
    if not sys.stdout.isatty():
        _print_tsv(lines, MEASURE_TSV_FIELDS)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(_cell(title), style="bold"))
    styles = {"better": "green", "worse": "red", "same": ""}
    groups: dict[int | None, list[tuple[MeasureSummary, dict[str, Any]]]] = {}
    for summary, line in zip(summaries, lines, strict=True):
        groups.setdefault(summary.measure.objective_id, []).append((summary, line))
    for rows in groups.values():
        m = rows[0][0].measure
        heading = f"{m.objective_number}. {m.objective_title}" if m.objective_number else "Other measures"
        if all(s.measure.demo for s, _ in rows):
            heading += " (demonstration)"
        table = _table(heading)
        table.add_column("Measure", ratio=1, min_width=20, **_ONE_LINE)
        table.add_column("Latest", justify="right", min_width=8, **_ONE_LINE)
        table.add_column("Period", min_width=10, max_width=22, **_ONE_LINE)
        table.add_column("Year on", justify="right", min_width=7, **_ONE_LINE)
        table.add_column("Baseline", justify="right", min_width=8, **_ONE_LINE)
        table.add_column("Target", justify="right", min_width=6, **_ONE_LINE)
        table.add_column("Better if", min_width=6, **_ONE_LINE)
        for summary, line in rows:
            unit = "%" if line["unit"] == "%" else ""
            latest = f"{line['latest']}{unit}" if line["latest"] else "—"
            direction = {"higher": "higher", "lower": "lower"}.get(line["direction"], "?")
            table.add_row(Text(_cell(line["name"])), Text(latest), Text(_cell(line["latest_period"]) or "no figures"),
                          Text(line["change_year"] or "—", style=styles.get(line["versus_year"], "")),
                          Text(line["baseline"] or "—", style=styles.get(
                              summary.versus_baseline.value if summary.versus_baseline else "", "")),
                          Text(line["target"] or "—", style=styles.get(line["versus_target"], "")),
                          Text(direction))
        console.print(table)


def cmd_measures(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    with closing(_open(args)) as services:
        measures = services.measures
        force = measures.own_force()
        objective_id = measures.objective(args.objective, force).id if args.objective is not None else None
        summaries = measures.summaries(as_of, force=force, objective_id=objective_id)
        values = measures.values_of([s.measure.id for s in summaries]) if args.json else {}
    if args.json:
        print(json.dumps([measure_dict(s, values.get(s.measure.id, [])) for s in summaries], indent=2,
                         ensure_ascii=False))
    elif not summaries:
        print("no performance measures" + (f" for objective {args.objective}" if args.objective is not None else ""))
    else:
        what = f" of objective {args.objective}" if args.objective is not None else ""
        _print_measures(summaries, title=f"{len(summaries)} performance measures{what} at {as_of.isoformat()}")
    return 0


def cmd_overdue(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    with closing(_open(args)) as services:
        actions = services.actions.overdue(as_of, args.plan)
    if args.json:
        print(json.dumps([action_dict(a, as_of) for a in actions], indent=2, ensure_ascii=False))
    elif not actions:
        print(f"no actions overdue at {as_of.isoformat()}")
    else:
        _print_table(actions, as_of, title=f"{len(actions)} actions overdue at {as_of.isoformat()}")
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    with closing(_open(args)) as services:
        if args.output or args.format:
            from accountability_tui.services.actions import ActionFilter

            spec = ActionFilter(plan_code=args.plan, status=args.status.value if args.status else None)
            return _export_list(services, args, services.exports.actions(spec, as_of), "actions")
        actions = services.actions.listing(args.plan, args.status)
    if args.json:
        print(json.dumps([action_dict(a, as_of) for a in actions], indent=2, ensure_ascii=False))
    else:
        _print_table(actions, as_of, title=f"{len(actions)} actions")
    return 0


def _say_action(services: Services, action: ActionRow, args: argparse.Namespace, done: str) -> int:
    as_of = _as_of(args)
    if args.json:
        print(json.dumps({**action_dict(action, as_of), "version": action.version}, indent=2, ensure_ascii=False))
        return 0
    due = f"due {action.due:%-d %B %Y}" if action.due else "no deadline"
    _say(f"{done} action {action.plan_code}:{action.ref} ({action.status.label.lower()}; {due}): {action.text}")
    return 0


def cmd_action_new(args: argparse.Namespace) -> int:
    from accountability_tui.domain.models import Status
    from accountability_tui.services.actions import ActionDraft

    draft = ActionDraft(plan_code=args.plan, text=args.text, ref=args.ref, priority=args.priority, theme=args.theme,
                        lead=args.lead, mechanism=args.mechanism, timeframe=args.timeframe, plan_page=args.page,
                        status=args.status or Status.NOT_STARTED)
    with closing(_open(args)) as services:
        return _say_action(services, services.actions.create(draft, source="cli"), args, "added")


def _expected(action: ActionRow, args: argparse.Namespace) -> int:
    from accountability_tui.domain.errors import Conflict

    if args.if_version is not None and args.if_version != action.version:
        raise Conflict(f"action {action.plan_code}:{action.ref} is at version {action.version}, not "
                       f"{args.if_version}: someone changed it; look again (actions --json) before changing it")
    return action.version


def cmd_action_edit(args: argparse.Namespace) -> int:
    from accountability_tui.domain.models import Rag
    from accountability_tui.services.actions import UNSET

    details: dict[str, Any] = {k: v for k, v in (("text", args.text), ("ref", args.ref), ("theme", args.theme),
                                                  ("lead", args.lead), ("timeframe", args.timeframe),
                                                  ("plan_page", args.page)) if v is not None}
    if "mechanism" in args:
        details["mechanism"] = args.mechanism
    if args.priority is not None:
        if args.priority.strip().lower() == "none":
            details["priority"] = None
        elif args.priority.strip().isdigit():
            details["priority"] = int(args.priority)
        else:
            raise UsageError(f"--priority {args.priority!r}: give the priority's number, or none")
    if args.status is not None and not args.note:
        raise UsageError("a new status needs --note: say why it changed")
    if args.due is not None and not args.reason:
        raise UsageError("a new due date needs --reason")
    rag = UNSET if args.rag is None else (None if args.rag == "none" else Rag(args.rag))
    with closing(_open(args)) as services:
        action = services.questions.action_named(args.action)
        saved = services.actions.update(action.id, _expected(action, args), status=args.status, rag=rag,
                                        note=args.note, due=args.due if args.due is not None else UNSET,
                                        due_reason=args.reason, source="cli", **details)
        done = "changed" if saved.version != action.version else "no change to"
        return _say_action(services, saved, args, done)


def cmd_action_withdraw(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        action = services.questions.action_named(args.action)
        saved = services.actions.withdraw(action.id, _expected(action, args), args.reason, source="cli")
        return _say_action(services, saved, args, "withdrew")


def cmd_plan_rename(args: argparse.Namespace) -> int:
    renames = {}
    for pair in args.theme:
        old, equals, new = pair.partition("=")
        if not equals or not old.strip() or not new.strip():
            raise UsageError(f"--theme {pair!r}: write it as OLD=NEW")
        renames[old.strip()] = new.strip()
    if args.code is None and args.title is None and not renames:
        raise UsageError("say what to change: --code, --title or --theme OLD=NEW")
    with closing(_open(args)) as services:
        plan = services.plans.get(args.plan)
        saved = services.plans.save(plan, code=args.code or plan.code, title=args.title or plan.title,
                                    current=False, themes=renames, source="cli")
    _say(f"plan {saved.code}: {saved.title}" + (f" (was {plan.code})" if saved.code != plan.code else "")
         + (f"; {len(renames)} theme{'s' if len(renames) != 1 else ''} renamed" if renames else ""))
    return 0


def cmd_plan_set_current(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        plan = services.plans.set_current(args.plan, source="cli")
    _say(f"plan {plan.code} is now the current plan: {plan.title}")
    return 0


def cmd_export_briefing(args: argparse.Namespace) -> int:
    from accountability_tui.services.briefing import export_format

    as_of = _as_of(args)
    printed = not args.output or args.output == "-"
    kind = export_format(None if printed else args.output, args.format)
    if printed and kind == "docx":
        raise UsageError("a Word briefing cannot be printed; write it to a file: -o briefing.docx")
    with closing(_open(args)) as services:
        briefings = services.briefings
        meeting = briefings.meeting_for(args.meeting, as_of)
        meeting_id = meeting.id if meeting else None
        if printed:
            sys.stdout.write(briefings.markdown(meeting_id, as_of, public=args.public))
            return 0
        path = briefings.export(meeting_id, args.output, as_of=as_of, public=args.public, force=args.force,
                                format=kind)
    what = meeting.label if meeting else f"an ad-hoc briefing at {as_of:%-d %B %Y}"
    _tell(f"wrote {path} ({what}{', public version' if args.public else ''})")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        person = services.access.add(args.name, args.role, source="cli")
    _say(f"added {person.name} as {person.role.with_article}")
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        people = services.access.people()
    if args.json:
        print(json.dumps([{"name": p.name, "role": p.role.value, "added_at": p.added_at, "added_by": p.added_by}
                          for p in people], indent=2, ensure_ascii=False))
        return 0
    if not people:
        _tell("no one is on the list, so everyone may do everything; add people with: "
              f"{PROG} user add NAME --role ROLE")
    for p in people:
        print("\t".join(visible(cell) for cell in (p.name, p.role.value, p.added_at, p.added_by)))
    return 0


def cmd_user_set_role(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        person = services.access.set_role(args.name, args.role, source="cli")
    _say(f"{person.name} is now {person.role.with_article}")
    return 0


def cmd_user_remove(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        person = services.access.remove(args.name, source="cli")
    _say(f"removed {person.name} ({person.role.with_article}) from the list")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from accountability_tui import serve

    return serve.run(serve.Options(db=args.db, host=args.host, port=args.port, trust_header=args.trust_header,
                                   user=args.user, read_only=args.read_only, as_of=args.as_of), say=_tell)


def meeting_dict(m: MeetingRow) -> dict[str, Any]:
    return {"id": m.id, "date": m.date.isoformat(), "kind": m.kind, "title": m.title, "themes": list(m.themes),
            "place": m.place, "status": m.status.value, "demo": m.demo}


def cmd_meetings(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        meetings = services.meetings.listing()
    if args.json:
        print(json.dumps([meeting_dict(m) for m in meetings], indent=2, ensure_ascii=False))
    else:
        for m in meetings:
            _say(f"{m.id:>4}  {m.date.isoformat()}  {m.status.value:<9}  {m.title or m.kind}")
    return 0


def cmd_meeting_new(args: argparse.Namespace) -> int:
    from accountability_tui.services.meetings import DEFAULT_KIND, DEFAULT_PLACE, MeetingDraft

    themes = tuple(t.strip() for t in (args.themes or "").split(";") if t.strip())
    draft = MeetingDraft(date=args.date, kind=DEFAULT_KIND if args.kind is None else args.kind,
                         title=(args.title or "").strip() or None, themes=themes,
                         place=DEFAULT_PLACE if args.place is None else args.place.strip() or None)
    with closing(_open(args)) as services:
        meeting, carried = services.meetings.add(draft)
    if args.json:
        print(json.dumps({**meeting_dict(meeting), "carried_over": carried}, indent=2, ensure_ascii=False))
        return 0
    line = f"meeting {meeting.id}: {meeting.date:%A %-d %B %Y} — {meeting.title or meeting.kind}"
    if meeting.place:
        line += f", {meeting.place}"
    if meeting.themes:
        line += f"; themes: {'; '.join(meeting.themes)}"
    _say(line)
    if carried:
        _say(f"{carried} question{'s' if carried != 1 else ''} not asked at an earlier meeting carried over to it")
    return 0


def question_dict(line: QuestionLine) -> dict[str, Any]:
    q, m = line.question, line.meeting
    return {"id": q.id, "status": q.status.value, "meeting": q.meeting_id,
            "meeting_date": m.date.isoformat() if m else None, "priority": line.priority, "action": line.action,
            "finding": line.finding, "text": q.text, "rationale": q.rationale, "follow_up_of": q.follow_up_of,
            "answer": q.answer, "answered_on": q.answered_on.isoformat() if q.answered_on else None,
            "asking_order": q.asking_order, "created_by": q.created_by, "created_at": q.created_at, "demo": q.demo}


QUESTION_TSV_FIELDS = ("id", "status", "meeting", "meeting_date", "priority", "action", "finding", "text")


def _print_questions(lines: list[QuestionLine], *, title: str) -> None:
    """A table for people, one line a question (the JSON has every field in full); to a pipe or a file, the
    whole text instead: tab-separated values."""
    if not sys.stdout.isatty():
        _print_tsv(map(question_dict, lines), QUESTION_TSV_FIELDS)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    wide = console.width >= 120  # narrower, the question keeps its room and the priority is left to the JSON
    table = _table(title)
    table.add_column("No.", justify="right", min_width=3, **_ONE_LINE)
    table.add_column("Status", min_width=9, **_ONE_LINE)
    table.add_column("Meeting", min_width=10, **_ONE_LINE)
    if wide:
        table.add_column("Priority", min_width=8, max_width=14, **_ONE_LINE)
    table.add_column("Link", min_width=4, max_width=30 if wide else 16, **_ONE_LINE)
    table.add_column("Question", ratio=1, min_width=20, **_ONE_LINE)
    for line in lines:
        q, m = line.question, line.meeting
        cells = [Text(str(q.id)), Text(q.status.label), Text(f"{m.id} · {m.date.isoformat()}" if m else "—")]
        if wide:
            cells.append(Text(_cell(line.priority or "—")))
        table.add_row(*cells, Text(_cell(line.link or "—")), Text(_cell(q.text)))
    console.print(table)


def cmd_question_new(args: argparse.Namespace) -> int:
    from accountability_tui.domain.models import QuestionStatus
    from accountability_tui.services.questions import QuestionDraft

    with closing(_open(args)) as services:
        questions = services.questions
        # every name is resolved, or refused, before anything is written
        draft = QuestionDraft(
            text=args.text, status=QuestionStatus(args.status),
            action_id=questions.action_named(args.action).id if args.action else None,
            finding_id=questions.finding_named(args.finding).id if args.finding else None,
            priority_id=questions.priority_named(args.priority) if args.priority else None,
            meeting_id=services.meetings.to_plan_for(args.meeting).id if args.meeting else None)
        line = questions.line(questions.save(draft))
    if args.json:
        print(json.dumps(question_dict(line), indent=2, ensure_ascii=False))
        return 0
    q, m = line.question, line.meeting
    ready = q.status is QuestionStatus.READY
    about = [f"meeting {m.id} of {m.date:%-d %B %Y}" if m else "for the next meeting" if ready else "no meeting yet"]
    about += [f"priority {line.priority}"] if line.priority else []
    about += [line.link] if line.link else []
    _say(f"question {q.id} ({q.status.value}; {'; '.join(about)}): {q.text}")
    return 0


def _list_export_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write the list to a spreadsheet: .xlsx, else CSV "
                                                          "(UTF-8 with a BOM, as Excel reads it)")
    p.add_argument("--format", choices=("csv", "xlsx"), help="the spreadsheet's format, whatever FILE's ending")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _export_list(services: Services, args: argparse.Namespace, sheet: Any, what: str) -> int:
    if not args.output:
        raise UsageError("--format needs -o FILE: the file to write the list to")
    path = services.exports.write(sheet, args.output, format=args.format, force=args.force, dated=_as_of(args))
    _tell(f"wrote {path} ({len(sheet.rows):,} {what})")
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    with closing(_open(args)) as services:
        meeting = services.meetings.find(args.meeting) if args.meeting else None
        if args.output or args.format:
            sheet = services.exports.questions(args.status, meeting.id if meeting else None)
            return _export_list(services, args, sheet, "questions")
        lines = services.questions.listing(args.status, meeting.id if meeting else None)
    if args.json:
        print(json.dumps([question_dict(line) for line in lines], indent=2, ensure_ascii=False))
        return 0
    title = f"{len(lines)} question{'s' if len(lines) != 1 else ''}"
    if args.status:
        title += f" {args.status.label.lower()}"
    if meeting:
        title += f" for meeting {meeting.id} of {meeting.date:%-d %B %Y}"
    _print_questions(lines, title=title)
    return 0


def cmd_report_panel(args: argparse.Namespace) -> int:
    from accountability_tui.services.reports import panel_format

    panel_format(args.output)  # a wrong ending is said before the database is opened
    as_of = _as_of(args)
    with closing(_open(args)) as services:
        path = services.reports.export_panel(args.plan, args.output, as_of=as_of, since=args.since,
                                             force=args.force)
    _tell(f"wrote {path} (the Annual Delivery Plan progress report of {args.plan} at {as_of:%-d %B %Y})")
    return 0


Handler = Callable[[argparse.Namespace], int]

# The subcommands: each a small function of its arguments.
HANDLERS: dict[str, Handler] = {
    "init": cmd_init, "import": cmd_import, "overdue": cmd_overdue, "export-briefing": cmd_export_briefing,
    "check": cmd_check, "backup": cmd_backup, "restore": cmd_restore, "demo-data": cmd_demo_data,
    "meetings": cmd_meetings, "actions": cmd_actions, "meeting new": cmd_meeting_new,
    "question new": cmd_question_new, "questions": cmd_questions, "import-measures": cmd_import_measures,
    "measures": cmd_measures,
    "action new": cmd_action_new, "action edit": cmd_action_edit, "action withdraw": cmd_action_withdraw,
    "plan rename": cmd_plan_rename, "plan set-current": cmd_plan_set_current,
    "report panel": cmd_report_panel, "config": cmd_config,
    "user add": cmd_user_add, "user list": cmd_user_list, "user set-role": cmd_user_set_role,
    "user remove": cmd_user_remove, "serve": cmd_serve,
}


def _briefing_commands(sub: Callable[..., argparse.ArgumentParser], group: Callable[[str, str], None]) -> None:
    """briefing approve: an approver approves a meeting's briefing as it is now (issue 14)."""
    group("briefing", "a meeting's briefing (briefing approve)")
    p = sub("approve", "approve a meeting's briefing as it is now (an approver or admin only); its export then says "
                       "who approved it and when, and whether it has changed since", group="briefing")
    p.add_argument("--meeting", metavar="NUMBER|DATE",
                   help="the meeting (default: the first meeting on or after the as-of date)")
    p.add_argument("--as-of", type=_date, default=argparse.SUPPRESS, help="the date (default: today)")
    p.add_argument("--list", action="store_true", help="approve nothing: list who approved it and when, and say "
                                                       "whether it has changed since")


def cmd_briefing_approve(args: argparse.Namespace) -> int:
    as_of = _as_of(args)
    with closing(_open(args)) as services:
        briefings = services.briefings
        meeting = briefings.meeting_for(args.meeting, as_of)
        if meeting is None:
            raise UsageError(f"no meeting on or after {as_of:%-d %B %Y}; name one with --meeting NUMBER|DATE")
        if args.list:
            state = briefings.approval(meeting.id)
            for a in state.history:
                print("\t".join(visible(cell) for cell in (a.at, a.who, "other content" if a.changed
                                                            else "the briefing as it is now")))
            _tell(f"{meeting.label}: {state.says()}")
            return 0
        approval = briefings.approve(meeting.id, source="cli")
    _say(f"approved the briefing for {meeting.label}, by {approval.who} on {approval.on:%-d %B %Y}")
    return 0


HANDLERS["briefing approve"] = cmd_briefing_approve


def run(args: argparse.Namespace) -> int:
    handler: Handler = getattr(args, "handler", cmd_app)
    if handler is not cmd_config:  # config reads the file itself, and says what is wrong with it once
        _settings(args, faces=handler is cmd_app)
    return handler(args)


def _database_named(args: argparse.Namespace | None) -> Path | None:
    """The database the command was about, for an error message (None if it cannot be told)."""
    if args is None:
        return None
    try:
        from accountability_tui.services.database import database_path

        return database_path(getattr(args, "db", None))
    except Exception:  # no user data folder, say: the message does without the path
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Any error is one line on stderr (control characters escaped) and a non-zero exit."""
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        return run(args)
    except AppError as exc:
        _tell(f"{PROG}: {exc}")
        return exc.exit_code
    except sqlite3.DatabaseError as exc:
        from accountability_tui.services.errors import describe

        _tell(f"{PROG}: {describe(exc, _database_named(args))}")
        return 1
    except KeyboardInterrupt:
        _tell(f"{PROG}: interrupted; nothing half-saved (every save is one transaction)")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        _tell(f"{PROG}: {exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
