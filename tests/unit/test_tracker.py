"""Keeping the tracker (issue 13): on hold and withdrawn, new actions, edits of every field, withdrawals, plans
renamed and made current, themes renamed; the migration that rebuilds the actions table."""

import datetime as dt
import shutil
import sqlite3

import pytest

from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import Mechanism, Status
from accountability_tui.domain.resources import migrations_dir
from accountability_tui.domain.values import read_status
from accountability_tui.services import Services, seed
from accountability_tui.services.actions import ActionDraft, ActionFilter
from accountability_tui.services.dashboard import load_dashboard
from accountability_tui.store import Store
from accountability_tui.store.actions import Filters

PLAN = "CSCJ-2022-27"
AS_OF = dt.date(2026, 11, 22)


@pytest.mark.parametrize(("text", "status"), [
    ("On hold", Status.ON_HOLD), ("on hold – awaiting funding", Status.ON_HOLD), ("Paused", Status.ON_HOLD),
    ("On-hold", Status.ON_HOLD), ("Withdrawn", Status.WITHDRAWN), ("Cancelled", Status.WITHDRAWN),
    ("Canceled", Status.WITHDRAWN), ("No longer required", Status.WITHDRAWN), ("on_hold", Status.ON_HOLD),
    ("Not started", Status.NOT_STARTED), ("Completed", Status.COMPLETE), ("Deferred", None),
])
def test_statuses_read_from_their_words(text, status):
    assert read_status(text) is status


def _overdue_one(store, status: Status):
    """An overdue action of the ADP set to a status, and the plan's figures before."""
    plan = store.plans.get(PLAN)
    action = store.actions.overdue(AS_OF, plan.id)[0]
    before = store.actions.plan_summaries(AS_OF)[plan.id]
    saved = store.actions.update(action.id, action.version, status=status, note=f"now {status.value}")
    return plan, saved, before


def test_on_hold_is_not_complete_so_it_is_still_overdue_and_counted(seeded):
    plan, held, before = _overdue_one(seeded, Status.ON_HOLD)
    assert held.is_overdue(AS_OF) and held.days_overdue(AS_OF) == (AS_OF - held.due).days
    assert seeded.actions.plan_summaries(AS_OF)[plan.id] == before
    assert held.id in {a.id for a in seeded.actions.overdue(AS_OF, plan.id)}
    groups = seeded.actions.counts(plan.id, AS_OF)
    assert sum(g.by_status["on_hold"] for g in groups) == 1
    assert sum(g.total for g in groups) == 147 and sum(g.overdue for g in groups) == 70


def test_withdrawn_is_never_overdue_and_left_out_of_every_count(seeded):
    plan, gone, before = _overdue_one(seeded, Status.WITHDRAWN)
    assert not gone.is_overdue(AS_OF) and gone.days_overdue(AS_OF) == 0
    after = seeded.actions.plan_summaries(AS_OF)[plan.id]
    assert (after["actions"], after["overdue"]) == (before["actions"] - 1, before["overdue"] - 1)
    assert after["no_deadline"] == before["no_deadline"]
    groups = seeded.actions.counts(plan.id, AS_OF)
    assert sum(g.total for g in groups) == 146 and sum(g.overdue for g in groups) == 69
    assert all("withdrawn" not in g.by_status for g in groups)
    assert seeded.plans.get(PLAN).actions == 146
    assert seeded.actions.count(Filters(plan_id=plan.id)) == 146
    assert seeded.actions.count(Filters(plan_id=plan.id, overdue_as_of=AS_OF)) == 69
    # shown when asked for: by status, by id, or on purpose
    assert [a.id for a in seeded.actions.list(Filters(plan_id=plan.id, statuses=(Status.WITHDRAWN,)))] == [gone.id]
    assert seeded.actions.count(Filters(plan_id=plan.id, statuses=(Status.WITHDRAWN,), overdue_as_of=AS_OF)) == 0
    assert gone.id in seeded.actions.get_many([gone.id])
    assert seeded.actions.count(Filters(plan_id=plan.id, include_withdrawn=True)) == 147
    # the dashboard and the briefing's overdue section count the same way
    data = load_dashboard(seeded, PLAN, AS_OF)
    assert data.summaries[plan.id]["overdue"] == 69
    services = Services(seeded)
    overdue = services.actions.overdue(AS_OF, PLAN)
    assert len(overdue) == 69 and gone.id not in {a.id for a in overdue}
    assert "69 actions are overdue at 22 November 2026" in services.briefings.markdown(None, AS_OF)
    # the list opened on a withdrawn action shows it among the withdrawn
    page = services.actions.page(ActionFilter(plan_code=PLAN), AS_OF, select_id=gone.id)
    assert page.spec.status == "withdrawn" and [a.id for a in page.rows] == [gone.id]


def test_new_action_takes_the_next_ref_and_its_place_in_plan_order(seeded):
    services = Services(seeded)
    assert services.actions.next_ref(PLAN) == "148"
    assert services.actions.next_ref("PCP-2025-29", priority=1) == "1.15"
    made = services.actions.create(ActionDraft(plan_code="PCP-2025-29", text="Ask about knife crime", priority=1,
                                               theme="Crime prevention", timeframe="Q1 2027/28",
                                               mechanism=Mechanism.ASK_CHIEF_CONSTABLE))
    assert (made.ref, made.priority_number, made.due, made.baseline_due, made.status) == (
        "1.15", 1, dt.date(2027, 6, 30), dt.date(2027, 6, 30), Status.NOT_STARTED)
    order = [a.ref for a in seeded.actions.list(Filters(plan_id=made.plan_id))]
    assert order[13:16] == ["1.14", "1.15", "2.1"]
    assert [h.field for h in seeded.actions.history(made.id)] == ["created"]
    with pytest.raises(ValidationFailed, match="already exists"):
        services.actions.create(ActionDraft(plan_code="PCP-2025-29", text="Again", ref="1.15"))
    with pytest.raises(ValidationFailed, match="no priority 9"):
        services.actions.create(ActionDraft(plan_code="PCP-2025-29", text="Nowhere", priority=9))


def test_every_field_edited_with_history_and_refused_on_conflict(seeded):
    services = Services(seeded)
    action = seeded.actions.by_ref(seeded.plans.get(PLAN).id, "5")
    saved = services.actions.update(action.id, action.version, ref="5A", text="A new text", theme="Justice",
                                    lead="OPCC", mechanism=Mechanism.PARTNERS, timeframe="Winter 2027",
                                    plan_page="9")
    assert (saved.ref, saved.text, saved.theme, saved.lead, saved.mechanism, saved.timeframe, saved.due,
            saved.plan_page) == ("5A", "A new text", "Justice", "OPCC", Mechanism.PARTNERS, "Winter 2027",
                                 dt.date(2028, 2, 29), "9")
    fields = {h.field: h for h in seeded.actions.history(action.id) if h.version == saved.version}
    assert set(fields) == {"ref", "text", "theme", "lead", "mechanism", "timeframe", "due", "plan_page"}
    assert fields["due"].note == "timeframe changed to 'Winter 2027'"
    assert saved.baseline_due == (action.baseline_due or saved.due)
    with pytest.raises(Conflict):  # read before the save above
        services.actions.update(action.id, action.version, text="Mine")
    with pytest.raises(ValidationFailed, match="already exists"):
        services.actions.update(saved.id, saved.version, ref="6")
    with pytest.raises(ValidationFailed, match="needs its text"):
        services.actions.update(saved.id, saved.version, text="  ")
    assert seeded.actions.get(action.id) == saved


def test_withdraw_needs_a_reason_keeps_history_and_can_be_taken_back(seeded):
    services = Services(seeded)
    action = seeded.actions.by_ref(seeded.plans.get(PLAN).id, "7")
    with pytest.raises(ValidationFailed, match="why"):
        services.actions.withdraw(action.id, action.version, " ")
    gone = services.actions.withdraw(action.id, action.version, "Superseded by the 2024 strategy")
    assert gone.status is Status.WITHDRAWN and gone.version == action.version + 1
    last = seeded.actions.history(action.id)[-1]
    assert (last.field, last.old_value, last.new_value, last.note) == (
        "status", action.status.value, "withdrawn", "Superseded by the 2024 strategy")
    with pytest.raises(ValidationFailed, match="already withdrawn"):
        services.actions.withdraw(gone.id, gone.version, "again")
    with pytest.raises(Conflict):
        services.actions.update(gone.id, action.version, status=Status.IN_PROGRESS, note="back")
    back = services.actions.update(gone.id, gone.version, status=Status.IN_PROGRESS, note="Reinstated")
    assert back.status is Status.IN_PROGRESS


def test_plan_renamed_made_current_and_a_theme_renamed_with_history(seeded):
    services = Services(seeded)
    plan = services.plans.get(PLAN)
    renamed = services.plans.rename(plan, code="ADP-2022-27", title="Annual Delivery Plan")
    assert (renamed.code, renamed.title, renamed.version) == ("ADP-2022-27", "Annual Delivery Plan", 2)
    with pytest.raises(Conflict):
        services.plans.rename(plan, title="Stale")  # read before the rename
    with pytest.raises(ValidationFailed, match="already called"):
        services.plans.rename(renamed, code="pcp-2025-29")
    with pytest.raises(ValidationFailed):
        services.plans.rename(renamed, code="has spaces")
    services.plans.set_current("ADP-2022-27")
    assert seeded.plans.current().code == "ADP-2022-27"
    pcp = services.plans.get("PCP-2025-29")
    assert not pcp.is_current and pcp.version == 2
    assert [(h.field, h.old_value, h.new_value) for h in services.plans.history("PCP-2025-29")] == [
        ("is_current", "1", "0")]
    theme = seeded.actions.themes(plan.id)[0]
    n = services.plans.rename_theme("ADP-2022-27", theme, "Prevention")
    assert n > 0 and theme not in seeded.actions.themes(plan.id)
    with pytest.raises(NotFound):
        services.plans.rename_theme("ADP-2022-27", "No such theme", "x")
    fields = [h.field for h in services.plans.history("ADP-2022-27")]
    assert fields == ["code", "title", "is_current", "theme"]
    # the action's history says so too, and the questions and links by PLAN:REF use the new code
    assert services.questions.action_named("ADP-2022-27:1").theme == "Prevention"
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        seeded.conn.execute("DELETE FROM plan_history")


def test_migration_8_keeps_every_row_reference_index_trigger_and_the_search(tmp_path, monkeypatch):
    """A database made by migrations 1-7 (the seed, an edit, a link, a question, a review) upgraded in place."""
    old = tmp_path / "db-0007"
    old.mkdir()
    for path in migrations_dir().glob("000[1-7]_*.sql"):
        shutil.copy(path, old)
    import accountability_tui.store.connection as connection

    path = tmp_path / "old.db"
    monkeypatch.setattr(connection, "migrations_dir", lambda: old)
    with Store.open(path) as store:
        seed.build(store)
        a = store.actions.overdue(AS_OF)[0]
        store.actions.update(a.id, a.version, note="Update before the upgrade")
        finding = store.findings.list()[0]
        store.conn.execute("INSERT OR IGNORE INTO finding_actions VALUES (?, ?, '2026-01-01', 'me')",
                           (finding.id, a.id))
        store.conn.execute("INSERT INTO meetings (date, kind, created_at, updated_at) VALUES "
                           "('2026-12-10', 'APM', 'x', 'x')")
        store.conn.execute("INSERT INTO questions (text, action_id, created_by, created_at, updated_at) "
                           "VALUES ('Why late?', ?, 'me', 'x', 'x')", (a.id,))
        store.conn.execute("INSERT INTO meeting_reviews VALUES (1, ?, 'x', 'me')", (a.id,))
    before_conn = sqlite3.connect(path)
    tables = ("actions", "action_history", "finding_actions", "questions", "meeting_reviews", "search", "plans")
    before = {t: before_conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    objects = set(before_conn.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall())
    assert ("index", "actions_due", "actions") in objects
    before_conn.close()
    monkeypatch.undo()

    with Store.open(path) as store:  # the upgrade: migration 8
        conn = store.conn
        after_objects = set(conn.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall())
        assert objects <= after_objects  # every table, index and trigger is there again
        # made by the migrations after 8, which this open applies too: 9 (roles) and 10 (approvals), issue 14
        later = {"people", "people_history", "briefing_approvals"}
        assert {o for o in after_objects - objects if o[2] not in later} == {
                                           ("table", "plan_history", "plan_history"),
                                           ("index", "plan_history_plan", "plan_history"),
                                           ("trigger", "plan_history_no_update", "plan_history"),
                                           ("trigger", "plan_history_no_delete", "plan_history")}
        for t in tables:
            rows = conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            if t == "plans":
                rows = [r[:-1] for r in rows]  # its new version column
            assert [tuple(r) for r in rows] == before[t], t
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # the references still hold: an action that others refer to cannot go, a link to none cannot be made
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM actions WHERE id = ?", (a.id,))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO finding_actions VALUES (?, 999999, 'x', 'me')", (finding.id,))
        # the search finds old actions, and new and edited ones through the triggers made again
        assert any(h.item_id == a.id for h in store.search.find(a.text.split()[2]))
        services = Services(store)
        made = services.actions.create(ActionDraft(plan_code=PLAN, text="Zebra crossings near schools"))
        assert [h.item_id for h in store.search.find("zebra")] == [made.id]
        services.actions.update(made.id, made.version, text="Pelican crossings near schools")
        assert store.search.find("zebra") == [] and store.search.find("pelican")[0].item_id == made.id
        services.actions.withdraw(a.id, store.actions.get(a.id).version, "No longer required")
        assert store.actions.get(a.id).status is Status.WITHDRAWN
        assert store.plans.get(PLAN).version == 1
