"""Plans, their priorities and strategic goals, and the plan-level facts (objectives, SPR threats)."""

from __future__ import annotations

import builtins
import re
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import HistoryEntry, PlanRow, PriorityRow

if TYPE_CHECKING:
    from accountability_tui.domain.records import Plan, Priority
    from accountability_tui.store.core import Store


# A plan's actions, counted as every count is: withdrawn ones left out.
_ACTIONS = "(SELECT count(*) FROM actions a WHERE a.plan_id = p.id AND a.status <> 'withdrawn')"


def _plan_row(r: dict[str, Any]) -> PlanRow:
    return PlanRow(id=r["id"], code=r["code"], title=r["title"], force=r["force"], pcc=r["pcc"],
                   period=r["period"], source=r["source"], is_current=bool(r["is_current"]), demo=bool(r["demo"]),
                   actions=r.get("actions", 0) or 0, version=r.get("version") or 1)


def code_from_name(name: str) -> str:
    """A plan code made from a file name: 'Delivery plan 2024.csv' -> 'DELIVERY-PLAN-2024'."""
    stem = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", name)
    code = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-").upper()[:60]
    return code or "IMPORTED"


class Plans:
    def __init__(self, store: Store):
        self.store = store

    def add(self, plan: Plan | dict[str, Any]) -> int:
        """Create a plan (or update its title and details if the code exists). Returns its id."""
        from accountability_tui.domain.records import Plan, validated
        from accountability_tui.store.core import inserted_id, utc_now

        plan = validated(Plan, plan, "plan")

        with self.store.write() as db:
            existing = self.store.scalar("SELECT id FROM plans WHERE code = ?", (plan.code,))
            record = {"code": plan.code, "title": plan.title, "force": plan.force, "pcc": plan.pcc,
                      "period": plan.period, "source": plan.source, "is_current": int(plan.is_current),
                      "demo": int(plan.demo)}
            if existing:
                db.table("plans").update(existing, record)
                plan_id = int(existing)
            else:
                plan_id = inserted_id(db.table("plans").insert({**record, "created_at": utc_now()}))
            if plan.is_current:
                db.conn.execute("UPDATE plans SET is_current = 0 WHERE id <> ?", (plan_id,))
        return plan_id

    def ensure(self, code: str, title: str | None = None) -> tuple[int, bool]:
        """The id of the plan with this code, creating it if new. Returns (id, created)."""
        existing = self.store.scalar("SELECT id FROM plans WHERE code = ?", (code,))
        if existing:
            return int(existing), False
        return self.add({"code": code, "title": title or code}), True

    def get(self, code: str) -> PlanRow:
        rows = self.store.query(
            f"SELECT p.*, {_ACTIONS} AS actions FROM plans p WHERE p.code = ? COLLATE NOCASE", (code,))
        if not rows:
            known = ", ".join(p.code for p in self.list()) or "none yet"
            raise NotFound(f"no plan {code!r} (plans: {known})")
        return _plan_row(rows[0])

    def by_id(self, plan_id: int) -> PlanRow:
        rows = self.store.query(f"SELECT p.*, {_ACTIONS} AS actions FROM plans p WHERE p.id = ?", (plan_id,))
        if not rows:
            raise NotFound(f"no plan with id {plan_id}")
        return _plan_row(rows[0])

    def list(self, *, counts: bool = True) -> list[PlanRow]:
        """Every plan, the current one first; counts=False leaves out their action counts (quicker at scale)."""
        count = _ACTIONS if counts else "0"
        rows = self.store.query(f"SELECT p.*, {count} AS actions FROM plans p ORDER BY p.is_current DESC, p.code")
        return [_plan_row(r) for r in rows]

    def current(self) -> PlanRow | None:
        """The current plan (else the first by code), without its action count."""
        rows = self.store.query("SELECT * FROM plans ORDER BY is_current DESC, code LIMIT 1")
        return _plan_row(rows[0]) if rows else None

    def set_current(self, code: str, *, source: str | None = None) -> None:
        """Make the plan the current one. With a source (an officer's change, not the seed or an import), the plans
        whose flag changes each get a new version and a history entry."""
        plan = self.get(code)
        with self.store.write() as db:
            if source is not None:
                from accountability_tui.store.core import utc_now

                now = utc_now()
                for r in self.store.query("SELECT id, version, is_current FROM plans WHERE is_current <> (id = ?)",
                                          (plan.id,)):
                    version = (r["version"] or 1) + 1
                    db.conn.execute("UPDATE plans SET version = ? WHERE id = ?", (version, r["id"]))
                    self._history(r["id"], version, now, source,
                                  [("is_current", r["is_current"], int(not r["is_current"]), None)])
            db.conn.execute("UPDATE plans SET is_current = (id = ?)", (plan.id,))

    def rename(self, plan_id: int, expected_version: int, *, code: str | None = None, title: str | None = None,
               source: str = "app") -> PlanRow:
        """A new code or title for a plan, with a history entry for each. Refused (Conflict) if someone else
        changed the plan since expected_version; a code another plan has is refused."""
        from accountability_tui.domain.records import Plan, validated
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            current = self.by_id(plan_id)
            if current.version != expected_version:
                raise Conflict(f"plan {current.code} was changed by "
                               f"{self._who_since(plan_id, expected_version)} since you opened it; reload to see "
                               "their change, then apply yours again", self.history(plan_id, expected_version))
            checked = validated(Plan, {"code": code if code is not None else current.code,
                                       "title": title if title is not None else current.title}, "plan")
            changes = [(f, old, new) for f, old, new in (("code", current.code, checked.code),
                                                         ("title", current.title, checked.title)) if old != new]
            if not changes:
                return current
            if checked.code != current.code and self.store.scalar(
                    "SELECT 1 FROM plans WHERE code = ? COLLATE NOCASE AND id <> ?", (checked.code, plan_id)):
                raise ValidationFailed(f"another plan is already called {checked.code}; choose another code")
            version = current.version + 1
            now = utc_now()
            sets = ", ".join(f"{f} = ?" for f, _, _ in changes)
            cursor = db.conn.execute(f"UPDATE plans SET {sets}, version = ? WHERE id = ? AND version = ?",
                                     (*(new for _, _, new in changes), version, plan_id, expected_version))
            if cursor.rowcount != 1:
                raise Conflict(f"plan {current.code} was changed by someone else while saving; reload and try again")
            self._history(plan_id, version, now, source, [(f, old, new, None) for f, old, new in changes])
        return self.by_id(plan_id)

    def record_theme_renamed(self, plan_id: int, old: str, new: str, actions: int, source: str) -> None:
        """A theme renamed is a change of the plan too: a new version and a history entry. Must run inside
        write()."""
        from accountability_tui.store.core import utc_now

        version = int(self.store.scalar("SELECT version FROM plans WHERE id = ?", (plan_id,)) or 1) + 1
        self.store.conn.execute("UPDATE plans SET version = ? WHERE id = ?", (version, plan_id))
        self._history(plan_id, version, utc_now(), source,
                      [("theme", old, new, f"{actions} action{'s' if actions != 1 else ''}")])

    def _history(self, plan_id: int, version: int, at: str, source: str,
                 entries: builtins.list[tuple[str, Any, Any, str | None]]) -> None:
        self.store.conn.executemany(
            "INSERT INTO plan_history (plan_id, version, at, who, field, old_value, new_value, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(plan_id, version, at, self.store.who, f, None if old is None else str(old),
              None if new is None else str(new), note, source) for f, old, new, note in entries])

    def history(self, plan_id: int, since_version: int = 0) -> builtins.list[HistoryEntry]:
        return [HistoryEntry(id=r["id"], version=r["version"], at=r["at"], who=r["who"], field=r["field"],
                             old_value=r["old_value"], new_value=r["new_value"], note=r["note"], source=r["source"])
                for r in self.store.query("SELECT * FROM plan_history WHERE plan_id = ? AND version > ? ORDER BY id",
                                          (plan_id, since_version))]

    def _who_since(self, plan_id: int, version: int) -> str:
        return ", ".join(sorted({h.who for h in self.history(plan_id, version)})) or "someone else"

    def find_by_import(self, file_name: str, sha256: str) -> PlanRow | None:
        """The plan a file was imported into before: the same bytes first, else the same file name."""
        plan_id = self.store.scalar("SELECT plan_id FROM imports WHERE sha256 = ? ORDER BY id DESC LIMIT 1",
                                    (sha256,))
        if plan_id is None:
            plan_id = self.store.scalar(
                "SELECT plan_id FROM imports WHERE file_name = ? ORDER BY id DESC LIMIT 1", (file_name,))
        return self.by_id(int(plan_id)) if plan_id is not None else None

    # --- priorities and goals ----------------------------------------------------------------------------------

    def set_priorities(self, plan_id: int, priorities: builtins.list[Priority]) -> None:
        from accountability_tui.store.core import inserted_id

        with self.store.write() as db:
            for priority in priorities:
                existing = self.store.scalar("SELECT id FROM priorities WHERE plan_id = ? AND number = ?",
                                             (plan_id, priority.number))
                if existing:
                    db.table("priorities").update(existing, {"title": priority.title})
                    priority_id = int(existing)
                else:
                    priority_id = inserted_id(db.table("priorities").insert(
                        {"plan_id": plan_id, "number": priority.number, "title": priority.title}))
                for number, goal in enumerate(priority.goals, start=1):
                    db.conn.execute(
                        "INSERT INTO strategic_goals (priority_id, number, text) VALUES (?, ?, ?) "
                        "ON CONFLICT (priority_id, number) DO UPDATE SET text = excluded.text",
                        (priority_id, number, goal))

    def priorities(self, plan_id: int) -> builtins.list[PriorityRow]:
        rows = self.store.query("SELECT * FROM priorities WHERE plan_id = ? ORDER BY number", (plan_id,))
        goals: dict[int, builtins.list[str]] = {}
        for g in self.store.query(
                "SELECT g.priority_id, g.text FROM strategic_goals g JOIN priorities p ON p.id = g.priority_id "
                "WHERE p.plan_id = ? ORDER BY g.priority_id, g.number", (plan_id,)):
            goals.setdefault(g["priority_id"], []).append(g["text"])
        return [PriorityRow(id=r["id"], plan_id=r["plan_id"], number=r["number"], title=r["title"],
                            goals=tuple(goals.get(r["id"], ()))) for r in rows]

    def priority(self, priority_id: int) -> tuple[str, PriorityRow]:
        """A priority by id, with the code of its plan."""
        rows = self.store.query("SELECT p.*, pl.code FROM priorities p JOIN plans pl ON pl.id = p.plan_id "
                                "WHERE p.id = ?", (priority_id,))
        if not rows:
            raise NotFound(f"no priority with id {priority_id}")
        r = rows[0]
        return r["code"], PriorityRow(id=r["id"], plan_id=r["plan_id"], number=r["number"], title=r["title"])

    def priorities_of(self, priority_ids: builtins.list[int]) -> dict[int, tuple[str, PriorityRow]]:
        """priority() of many priorities, in one query."""
        if not priority_ids:
            return {}
        marks = ", ".join("?" for _ in set(priority_ids))
        return {r["id"]: (r["code"], PriorityRow(id=r["id"], plan_id=r["plan_id"], number=r["number"],
                                                  title=r["title"]))
                for r in self.store.query("SELECT p.*, pl.code FROM priorities p JOIN plans pl ON pl.id = p.plan_id "
                                          f"WHERE p.id IN ({marks})", list(set(priority_ids)))}

    def priority_id(self, plan_id: int, number: int) -> int | None:
        value = self.store.scalar("SELECT id FROM priorities WHERE plan_id = ? AND number = ?", (plan_id, number))
        return int(value) if value is not None else None

    # --- plan-level facts ------------------------------------------------------------------------------------

    def set_objectives(self, plan_id: int, objectives: builtins.list[dict[str, Any]]) -> None:
        with self.store.write() as db:
            for position, objective in enumerate(objectives, start=1):
                db.conn.execute(
                    "INSERT INTO performance_objectives (plan_id, position, title, aim, baseline, success) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, position) DO UPDATE SET title = excluded.title, "
                    "aim = excluded.aim, baseline = excluded.baseline, success = excluded.success",
                    (plan_id, position, objective["title"], objective.get("aim"), objective.get("baseline"),
                     objective.get("success")))

    def objectives(self, plan_id: int) -> builtins.list[dict[str, Any]]:
        return self.store.query("SELECT position, title, aim, baseline, success FROM performance_objectives "
                                "WHERE plan_id = ? ORDER BY position", (plan_id,))

    def set_spr_threats(self, plan_id: int, threats: builtins.list[str]) -> None:
        with self.store.write() as db:
            for position, name in enumerate(threats, start=1):
                db.conn.execute("INSERT INTO spr_threats (plan_id, position, name) VALUES (?, ?, ?) "
                                "ON CONFLICT (plan_id, name) DO UPDATE SET position = excluded.position",
                                (plan_id, position, name))

    def spr_threats(self, plan_id: int) -> builtins.list[str]:
        return [r["name"] for r in self.store.query(
            "SELECT name FROM spr_threats WHERE plan_id = ? ORDER BY position", (plan_id,))]
