"""The command line's action new|edit|withdraw and plan rename|set-current (issue 13), on copies of the seeded
database: what they write, and refusals that leave the file byte for byte as it was."""

import datetime as dt
import json
from pathlib import Path

import pytest

from accountability_tui.cli import main
from accountability_tui.domain.models import Mechanism, Status
from accountability_tui.store import Store

PLAN = "CSCJ-2022-27"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def state(path: Path) -> tuple[str, bytes]:
    data = path.read_bytes()
    with Store.open(path) as store:
        return store.dump(), data


def test_action_new_edit_withdraw(seeded_path, capsys):
    code, out, err = run(capsys, "action", "new", "Review the knife crime programme", "--plan", PLAN,
                         "--timeframe", "Autumn 2027", "--lead", "Constabulary", "--mechanism", "Hold to account",
                         "--theme", "Criminal Justice", "--db", seeded_path)
    assert code == 0, err
    assert out == ("added action CSCJ-2022-27:148 (not started; due 30 November 2027): Review the knife crime "
                   "programme\n")
    code, out, err = run(capsys, "action", "edit", f"{PLAN}:148", "--lead", "OPCC", "--timeframe", "March 2028",
                         "--status", "on hold", "--note", "Waiting for funding", "--json", "--db", seeded_path)
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["lead"], shown["status"], shown["due"], shown["version"]) == ("OPCC", "on_hold", "2028-03-31", 2)
    code, out, err = run(capsys, "action", "withdraw", f"{PLAN}:148", "--reason", "No longer required",
                         "--if-version", "2", "--db", seeded_path)
    assert code == 0, err
    assert out.startswith("withdrew action CSCJ-2022-27:148 (withdrawn;")
    with Store.open(seeded_path) as store:
        action = store.actions.by_ref(store.plans.get(PLAN).id, "148")
        assert (action.status, action.lead, action.mechanism) == (Status.WITHDRAWN, "OPCC", Mechanism.HOLD_TO_ACCOUNT)
        history = store.actions.history(action.id)
        assert sorted(h.field for h in history) == ["created", "due", "lead", "status", "status", "timeframe"]
        assert {h.source for h in history} == {"cli"}
        assert history[-1].note == "No longer required"
    # listed only when asked for
    code, out, _ = run(capsys, "actions", "--plan", PLAN, "--json", "--db", seeded_path)
    assert len(json.loads(out)) == 147
    code, out, _ = run(capsys, "actions", "--plan", PLAN, "--status", "withdrawn", "--json", "--db", seeded_path)
    assert [a["ref"] for a in json.loads(out)] == ["148"]


def test_plan_rename_and_set_current(seeded_path, capsys):
    code, out, err = run(capsys, "plan", "rename", PLAN, "--code", "ADP-2022-27", "--title", "Annual Delivery Plan",
                         "--theme", "Criminal Justice=Justice", "--db", seeded_path)
    assert code == 0, err
    assert out == ("plan ADP-2022-27: Annual Delivery Plan (was CSCJ-2022-27); 1 theme renamed\n")
    code, out, err = run(capsys, "plan", "set-current", "adp-2022-27", "--db", seeded_path)
    assert code == 0, err
    assert out == "plan ADP-2022-27 is now the current plan: Annual Delivery Plan\n"
    with Store.open(seeded_path) as store:
        plan = store.plans.get("ADP-2022-27")
        assert plan.is_current and store.plans.current().code == "ADP-2022-27"
        assert [h.field for h in store.plans.history(plan.id)] == ["code", "title", "theme", "is_current"]
        assert "Justice" in store.actions.themes(plan.id)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["action", "new", "Text", "--plan", "NOPE"], "no plan 'NOPE'"),
        (["action", "new", "Text", "--plan", PLAN, "--ref", "5"], "an action 5 already exists in this plan"),
        (["action", "new", " ", "--plan", PLAN], "action: text must not be empty"),
        (["action", "new", "Text", "--plan", "PCP-2025-29", "--priority", "9"], "plan PCP-2025-29 has no priority 9"),
        (["action", "new", "Text", "--plan", PLAN, "--mechanism", "magic"], "'magic' is not a mechanism"),
        (["action", "edit", f"{PLAN}:5", "--status", "complete"], "a new status needs --note"),
        (["action", "edit", f"{PLAN}:5", "--due", "2027-01-31"], "a new due date needs --reason"),
        (["action", "edit", f"{PLAN}:5", "--ref", "6"], "an action 6 already exists in plan CSCJ-2022-27"),
        (["action", "edit", f"{PLAN}:5", "--text", "x", "--if-version", "7"], "is at version 1, not 7"),
        (["action", "edit", f"{PLAN}:999", "--text", "x"], "no action 999 in plan CSCJ-2022-27"),
        (["action", "withdraw", f"{PLAN}:5", "--reason", " "], "say why the action is withdrawn"),
        (["action", "withdraw", f"{PLAN}:5"], "the following arguments are required: --reason"),
        (["plan", "rename", PLAN, "--code", "PCP-2025-29"], "another plan is already called PCP-2025-29"),
        (["plan", "rename", PLAN, "--code", "has spaces"], "plan: code"),
        (["plan", "rename", PLAN, "--theme", "Nope=Yes"], "has no theme 'Nope'"),
        (["plan", "rename", PLAN], "say what to change"),
        (["plan", "set-current", "NOPE"], "no plan 'NOPE'"),
    ],
)
def test_refused_says_why_in_one_line_and_changes_nothing(seeded_path, capsys, argv, message):
    before = state(seeded_path)
    code, out, err = run(capsys, *argv, "--db", seeded_path)
    assert code != 0, (out, err)
    assert message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err and not out
    assert state(seeded_path) == before


def test_a_withdrawn_action_is_not_overdue_on_the_command_line(seeded_path, capsys):
    _, out, _ = run(capsys, "overdue", "--plan", PLAN, "--as-of", "2026-11-22", "--json", "--db", seeded_path)
    first = json.loads(out)[0]
    run(capsys, "action", "withdraw", f"{PLAN}:{first['ref']}", "--reason", "Cancelled", "--db", seeded_path)
    _, out, _ = run(capsys, "overdue", "--plan", PLAN, "--as-of", "2026-11-22", "--json", "--db", seeded_path)
    assert len(json.loads(out)) == 69 and first["ref"] not in {a["ref"] for a in json.loads(out)}
    assert dt.date.fromisoformat(first["due"]) < dt.date(2026, 11, 22)
