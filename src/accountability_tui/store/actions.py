"""Actions and their append-only history."""

from __future__ import annotations

import builtins
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.cleaning import typed
from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import (
    MAX_TEXT,
    ActionRow,
    GroupCounts,
    HistoryEntry,
    Mechanism,
    Rag,
    Status,
)
from accountability_tui.store.history import last_not_undone, undo_note
from accountability_tui.store.search import match_expression, matching

if TYPE_CHECKING:
    import random

    import sqlite_utils

    from accountability_tui.domain.records import ActionIn
    from accountability_tui.store.core import Store

_SELECT = """
SELECT a.*, p.code AS plan_code, pr.number AS priority_number, pr.title AS priority_title
FROM actions a
JOIN plans p ON p.id = a.plan_id
LEFT JOIN priorities pr ON pr.id = a.priority_id
"""

# Columns a list can be sorted by, and the SQL that sorts them (NULLs last in either direction).
SORTS = {
    "ref": "a.plan_id {d}, CAST(a.ref AS INTEGER) {d}, a.ref {d}",
    "priority": "pr.number IS NULL, pr.number {d}, a.theme {d}, a.position {d}",
    "text": "a.text COLLATE NOCASE {d}",
    "lead": "a.lead IS NULL, a.lead COLLATE NOCASE {d}",
    "status": "a.status {d}",
    "rag": "a.rag IS NULL, CASE a.rag WHEN 'red' THEN 0 WHEN 'amber' THEN 1 ELSE 2 END {d}",
    "due": "a.due IS NULL, a.due {d}",
    "days_overdue": "a.due IS NULL, a.due {r}",
    "as_at": "a.status_as_at IS NULL, a.status_as_at {d}",
    "position": "a.plan_id {d}, a.position {d}, a.id {d}",
}

UNSET: Any = object()


def overdue_sql(alias: str = "a.", as_of: str = "?") -> str:
    """The overdue rule (domain.models.ActionRow.days_overdue) in SQL: neither complete nor withdrawn (on hold and
    unknown can be overdue), and due before the as-of date.

    Written here once for every query of the store; it compares the due date directly, and keeps the term
    "status <> 'complete'" of the partial index actions_due, so that the due-date index serves it."""
    return f"{alias}status <> 'complete' AND {alias}status <> 'withdrawn' AND {alias}due < {as_of}"


NOT_WITHDRAWN = "status <> 'withdrawn'"  # withdrawn actions are left out of every count and of lists not asking


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def action_row(r: dict[str, Any]) -> ActionRow:
    return ActionRow(
        id=r["id"], plan_id=r["plan_id"], plan_code=r["plan_code"], ref=r["ref"], priority_id=r["priority_id"],
        priority_number=r["priority_number"], priority_title=r["priority_title"], theme=r["theme"], text=r["text"],
        lead=r["lead"], mechanism=Mechanism(r["mechanism"]) if r["mechanism"] else None, status=Status(r["status"]),
        status_text=r["status_text"], rag=Rag(r["rag"]) if r["rag"] else None, timeframe=r["timeframe"],
        baseline_due=_date(r["baseline_due"]), due=_date(r["due"]), plan_page=r["plan_page"],
        explanation=r["explanation"], position=r["position"], version=r["version"], updated_at=r["updated_at"],
        status_as_at=_date(r.get("status_as_at")))


@dataclass
class Filters:
    """What a list of actions is narrowed to. Every filter combines with the others (AND)."""

    plan_id: int | None = None
    force: str | None = None  # only the plans of this force (an office's briefing is about its own force)
    statuses: tuple[Status, ...] = ()
    priority_id: int | None = None
    theme: str | None = None
    no_priority: bool = False  # only actions outside any priority (a plan grouped by theme, as the ADP)
    lead: str | None = None
    rag: Rag | None = None
    overdue_as_of: dt.date | None = None
    no_deadline: bool = False
    text: str | None = None
    ids: tuple[int, ...] | None = None
    # withdrawn actions are shown only when asked for: a status filter that names them, ids, or this
    include_withdrawn: bool = False

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if self.plan_id is not None:
            clauses.append("a.plan_id = ?")
            params.append(self.plan_id)
        if self.force is not None:
            clauses.append("a.plan_id IN (SELECT id FROM plans WHERE force = ?)")
            params.append(self.force)
        if self.statuses:
            clauses.append(f"a.status IN ({', '.join('?' for _ in self.statuses)})")
            params.extend(s.value for s in self.statuses)
        elif self.ids is None and not self.include_withdrawn:
            clauses.append("a." + NOT_WITHDRAWN)
        if self.priority_id is not None:
            clauses.append("a.priority_id = ?")
            params.append(self.priority_id)
        if self.theme is not None:
            clauses.append("a.theme = ?")
            params.append(self.theme)
        if self.no_priority:
            clauses.append("a.priority_id IS NULL")
        if self.lead:
            clauses.append("a.lead LIKE ? ESCAPE '\\'")
            params.append("%" + self.lead.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if self.rag is not None:
            clauses.append("a.rag = ?")
            params.append(self.rag.value)
        if self.overdue_as_of is not None:
            if self.statuses and all(s.closed for s in self.statuses):
                clauses.append("0")  # complete or withdrawn actions are never overdue: say so at once, do not scan
            clauses.append(overdue_sql())
            params.append(self.overdue_as_of.isoformat())
        if self.no_deadline:
            clauses.append("a.due IS NULL")
        if self.text and self.text.strip():
            expression = match_expression(self.text)
            if expression:
                clauses.append(f"a.id IN ({matching('action')})")
                params.append(expression)
        if self.ids is not None:
            clauses.append(f"a.id IN ({', '.join('?' for _ in self.ids) or 'NULL'})")
            params.extend(self.ids)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changed_refs: list[str] = field(default_factory=list)


class Actions:
    _densities: dict[tuple[str, ...], bool]  # words typed -> whether they match more than DENSE (see _dense)

    def __init__(self, store: Store):
        self.store = store

    # --- reading ---------------------------------------------------------------------------------------------

    def get(self, action_id: int) -> ActionRow:
        rows = self.store.query(_SELECT + " WHERE a.id = ?", (action_id,))
        if not rows:
            raise NotFound(f"no action with id {action_id}")
        return action_row(rows[0])

    def ids(self, plan_id: int | None = None, limit: int | None = None) -> list[int]:
        """The ids of the actions (of one plan), in id order."""
        where, params = (" WHERE plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        page = f" LIMIT {int(limit)}" if limit is not None else ""
        return [r["id"] for r in self.store.query(f"SELECT id FROM actions{where} ORDER BY id{page}", params)]

    def by_ref(self, plan_id: int, ref: str) -> ActionRow:
        rows = self.store.query(_SELECT + " WHERE a.plan_id = ? AND a.ref = ?", (plan_id, ref))
        if not rows:
            raise NotFound(f"no action {ref!r} in this plan")
        return action_row(rows[0])

    DENSE = 3_000  # filters matching more actions than this are read in plan order, a page at a time (list())

    def _text_matches(self, text: str | None, cap: int) -> int:
        expression = match_expression(text or "")
        if not expression:
            return 0
        return int(self.store.scalar(f"SELECT count(*) FROM ({matching('action')} LIMIT ?)", (expression, cap)) or 0)

    def _dense(self, text: str) -> bool:
        """Whether the words match more than DENSE actions. Remembered, and inferred while a person types: adding
        to the words can only narrow what they match, taking away can only widen it."""
        words = text.lower().split()
        known = getattr(self, "_densities", None)
        if known is None:
            known = self._densities = {}
        for other, dense in known.items():
            if dense and _narrows(other, words) or not dense and _narrows(words, other):
                known[tuple(words)] = dense
                return dense
        dense = self._text_matches(text, self.DENSE + 1) > self.DENSE
        if len(known) > 200:
            known.clear()
        known[tuple(words)] = dense
        return dense

    def _many(self, filters: Filters) -> bool:
        """Whether the filters match more than DENSE actions (the words typed decide when there are any)."""
        if filters.text:
            return self._dense(filters.text)
        if replace(filters, plan_id=None, force=None) == Filters():
            return False  # a plan, or every plan: the plan order's own index reads just the page
        return self.count(filters, cap=self.DENSE + 1) > self.DENSE

    def forget_densities(self) -> None:
        """After actions are added or changed in bulk, what matched how much is no longer known."""
        self._densities = {}

    def list(self, filters: Filters | None = None, *, sort: str = "position", descending: bool = False,
             limit: int | None = None, offset: int = 0) -> list[ActionRow]:
        filters = filters or Filters()
        in_plan_order = sort not in SORTS or sort == "position"
        # Few matches: look them up and sort them. Many: walk the plan order and stop after a page (sorting tens
        # of thousands of matches would take longer than the whole page).
        ordered_scan = in_plan_order and limit is not None and self._many(filters)
        where, params = filters.where()
        order = SORTS.get(sort, SORTS["position"]).format(d="DESC" if descending else "ASC",
                                                           r="ASC" if descending else "DESC")
        if ordered_scan:
            sql = _SELECT.replace("FROM actions a", "FROM actions a INDEXED BY actions_plan_position")
            sql = f"{sql}{where} ORDER BY {order}, a.id LIMIT ? OFFSET ?"
            params = [*params, limit, offset]
        elif limit is not None and not in_plan_order:
            # sorted by a column: sort the ids alone (a narrow read, from an index where there is one), then read
            # the page's rows; sorting whole rows of every action took longer than a keystroke at 100,000
            join = " LEFT JOIN priorities pr ON pr.id = a.priority_id" if "pr." in order else ""
            page = f"SELECT a.id FROM actions a{join}{where} ORDER BY {order}, a.id LIMIT ? OFFSET ?"
            sql = f"{_SELECT} WHERE a.id IN ({page}) ORDER BY {order}, a.id"
            params = [*params, limit, offset]
        else:
            sql = f"{_SELECT}{where} ORDER BY {order}, a.id"
            if limit is not None:
                sql += " LIMIT ? OFFSET ?"
                params = [*params, limit, offset]
        return [action_row(r) for r in self.store.query(sql, params)]

    def count(self, filters: Filters | None = None, *, cap: int | None = None) -> int:
        """How many actions match; with cap, counting stops there (a list says "10,000+")."""
        where, params = (filters or Filters()).where()
        sql = f"SELECT 1 FROM actions a{where}"
        if cap is not None:
            sql += f" LIMIT {int(cap)}"
        return int(self.store.scalar(f"SELECT count(*) FROM ({sql})", params) or 0)

    def overdue(self, as_of: dt.date, plan_id: int | None = None, force: str | None = None
                ) -> builtins.list[ActionRow]:
        return self.list(Filters(plan_id=plan_id, force=force, overdue_as_of=as_of), sort="priority")

    def counts(self, plan_id: int, as_of: dt.date) -> builtins.list[GroupCounts]:
        """Per priority (or, where actions carry no priority, per theme): actions by status, overdue, no deadline."""
        rows = self.store.query(
            """
            SELECT a.priority_id, pr.number, pr.title,
                   CASE WHEN a.priority_id IS NULL THEN a.theme END AS theme,
                   a.status, count(*) AS n,
                   sum({overdue}) AS overdue,
                   sum(a.due IS NULL) AS no_deadline,
                   min(coalesce(a.position, a.id)) AS first
            FROM actions a LEFT JOIN priorities pr ON pr.id = a.priority_id
            WHERE a.plan_id = :plan AND a.{counted}
            GROUP BY a.priority_id, CASE WHEN a.priority_id IS NULL THEN a.theme END, a.status
            """.format(overdue=overdue_sql("a.", ":as_of"), counted=NOT_WITHDRAWN),
            {"plan": plan_id, "as_of": as_of.isoformat()})
        groups: dict[tuple[Any, Any], dict[str, Any]] = {}
        for r in rows:
            key = (r["priority_id"], r["theme"])
            name = f"{r['number']}. {r['title']}" if r["priority_id"] is not None else (r["theme"] or "No theme")
            group = groups.setdefault(key, {"key": name, "priority_id": r["priority_id"], "by_status": {},
                                            "overdue": 0, "no_deadline": 0,
                                            "order": (r["number"] if r["number"] is not None else 1_000_000,
                                                      r["first"])})
            group["by_status"][r["status"]] = r["n"]
            group["overdue"] += r["overdue"] or 0
            group["no_deadline"] += r["no_deadline"] or 0
            group["order"] = min(group["order"], (group["order"][0], r["first"]))
        ordered = sorted(groups.values(), key=lambda g: g["order"])
        return [GroupCounts(key=g["key"], priority_id=g["priority_id"],
                            by_status={s.value: g["by_status"].get(s.value, 0) for s in Status if s.counted},
                            overdue=g["overdue"], no_deadline=g["no_deadline"]) for g in ordered]

    def plan_summaries(self, as_of: dt.date) -> dict[int, dict[str, int]]:
        """For every plan: actions, overdue, no deadline and complete, at the as-of date (withdrawn actions are
        not counted)."""
        rows = self.store.query(
            f"SELECT plan_id, sum({NOT_WITHDRAWN}) AS actions, sum({overdue_sql('')}) AS overdue, "
            f"sum(due IS NULL AND {NOT_WITHDRAWN}) AS no_deadline, sum(status = 'complete') AS complete "
            "FROM actions GROUP BY plan_id", (as_of.isoformat(),))
        return {r["plan_id"]: {k: r[k] or 0 for k in ("actions", "overdue", "no_deadline", "complete")}
                for r in rows}

    def status_counts(self, plan_id: int) -> dict[str, int]:
        counts = {s.value: 0 for s in Status}
        for r in self.store.query("SELECT status, count(*) AS n FROM actions WHERE plan_id = ? GROUP BY status",
                                  (plan_id,)):
            counts[r["status"]] = r["n"]
        return counts

    def leads(self, plan_id: int | None = None) -> builtins.list[str]:
        sql = "SELECT DISTINCT lead FROM actions WHERE lead IS NOT NULL"
        params: list[Any] = []
        if plan_id is not None:
            sql += " AND plan_id = ?"
            params.append(plan_id)
        return [r["lead"] for r in self.store.query(sql + " ORDER BY lead COLLATE NOCASE", params)]

    def themes(self, plan_id: int) -> builtins.list[str]:
        return [r["theme"] for r in self.store.query(
            "SELECT theme, min(coalesce(position, id)) AS first FROM actions "
            "WHERE plan_id = ? AND theme IS NOT NULL GROUP BY theme ORDER BY first", (plan_id,))]

    def history(self, action_id: int) -> builtins.list[HistoryEntry]:
        rows = self.store.query("SELECT * FROM action_history WHERE action_id = ? ORDER BY id", (action_id,))
        return [_entry(r) for r in rows]

    def changes_between(self, start: dt.date, end: dt.date, fields: tuple[str, ...] = ("status",),
                        force: str | None = None) -> builtins.list[tuple[ActionRow, HistoryEntry]]:
        """Recorded changes of these fields from start (inclusive) to end (exclusive), oldest first."""
        where = (" AND action_id IN (SELECT a.id FROM actions a JOIN plans p ON p.id = a.plan_id WHERE p.force = ?)"
                 if force is not None else "")
        rows = self.store.query(
            f"SELECT * FROM action_history WHERE field IN ({', '.join('?' for _ in fields)}) AND at >= ? AND at < ?"
            f"{where} ORDER BY at, id", [*fields, start.isoformat(), end.isoformat(),
                                          *((force,) if force is not None else ())])
        out = []
        for r in rows:
            entry = HistoryEntry(id=r["id"], version=r["version"], at=r["at"], who=r["who"], field=r["field"],
                                 old_value=r["old_value"], new_value=r["new_value"], note=r["note"],
                                 source=r["source"])
            out.append((self.get(r["action_id"]), entry))
        return out

    def newly_overdue(self, start: dt.date, end: dt.date, force: str | None = None
                      ) -> builtins.list[ActionRow]:
        """Not complete, and the due date fell from start (inclusive) to end (exclusive)."""
        where = " AND p.force = ?" if force is not None else ""
        return [action_row(r) for r in self.store.query(
            _SELECT + f" WHERE {overdue_sql('a.', '?')} AND a.due >= ?{where} ORDER BY a.due, a.id",
            (end.isoformat(), start.isoformat(), *((force,) if force is not None else ())))]

    def set_status_as_at(self, plan_id: int, day: dt.date) -> None:
        """The date a plan's statuses were reported (an imported report's own date), for the actions whose status
        has not changed since they were imported. Must run inside write()."""
        self.store.conn.execute("UPDATE actions SET status_as_at = ? WHERE plan_id = ? AND version = 1 "
                                "AND status <> 'unknown'", (day.isoformat(), plan_id))

    def due_changes(self, action_id: int) -> int:
        """How many times the due date has moved since the baseline."""
        return self.due_changes_of([action_id]).get(action_id, 0)

    def due_changes_of(self, action_ids: builtins.list[int]) -> dict[int, int]:
        """due_changes() of many actions, in one query."""
        if not action_ids:
            return {}
        marks = ", ".join("?" for _ in action_ids)
        return {r["action_id"]: r["n"] for r in self.store.query(
            f"SELECT action_id, count(*) AS n FROM action_history WHERE field = 'due' AND action_id IN ({marks}) "
            "GROUP BY action_id", list(action_ids))}

    def get_many(self, action_ids: builtins.list[int]) -> dict[int, ActionRow]:
        """Actions by id, in one query (ids that do not exist are left out)."""
        if not action_ids:
            return {}
        return {a.id: a for a in self.list(Filters(ids=tuple(sorted(set(action_ids)))))}

    # --- writing ---------------------------------------------------------------------------------------------

    def _history(self, db: sqlite_utils.Database, action_id: int, version: int, at: str, source: str,
                 entries: builtins.list[tuple[str, Any, Any, str | None]]) -> None:
        db.conn.executemany(
            "INSERT INTO action_history (action_id, version, at, who, field, old_value, new_value, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(action_id, version, at, self.store.who, name, _text(old), _text(new), note, source)
             for name, old, new, note in entries])

    def add(self, plan_id: int, action: ActionIn, *, source: str = "app", in_plan_order: bool = False) -> int:
        """Create one action (its history starts with a 'created' entry). in_plan_order: placed after the last
        action of its priority (or theme), the later ones moved down one (else at the position it carries)."""
        with self.store.write() as db:
            if self.store.scalar("SELECT 1 FROM actions WHERE plan_id = ? AND ref = ?", (plan_id, action.ref)):
                raise ValidationFailed(f"an action {action.ref} already exists in this plan; choose another ref")
            if in_plan_order and action.position is None:
                action = action.model_copy(update={"position": self._place(db, plan_id, action)})
            counts = self.import_rows(plan_id, [action], fields=None, source=source)
        if not counts.created:
            raise ValidationFailed(f"an action {action.ref!r} already exists in this plan")
        return self.by_ref(plan_id, action.ref).id

    def _place(self, db: sqlite_utils.Database, plan_id: int, action: ActionIn) -> int:
        """The position of a new action: after the last of its group (priority, else theme), else after the last of
        the plan. The actions after it move down one: layout only, no new version."""
        if action.priority is not None:
            last = self.store.scalar(
                "SELECT max(a.position) FROM actions a JOIN priorities pr ON pr.id = a.priority_id "
                "WHERE a.plan_id = ? AND pr.number <= ?", (plan_id, action.priority))
        elif action.theme is not None:
            last = self.store.scalar("SELECT max(position) FROM actions WHERE plan_id = ? AND theme = ? "
                                     "AND priority_id IS NULL", (plan_id, action.theme))
        else:
            last = None
        if last is None:
            return int(self.store.scalar("SELECT coalesce(max(position), 0) FROM actions WHERE plan_id = ?",
                                         (plan_id,)) or 0) + 1
        db.conn.execute("UPDATE actions SET position = position + 1 WHERE plan_id = ? AND position > ?",
                        (plan_id, last))
        return int(last) + 1

    def next_ref(self, plan_id: int, priority_id: int | None = None, theme: str | None = None) -> str:
        """The next free ref, as the plan numbers its actions: after the last of the same priority ("1.14" ->
        "1.15"), else of the same theme, else of the plan ("147" -> "148")."""
        rows = self.store.query("SELECT ref, priority_id, theme FROM actions WHERE plan_id = ? "
                                "ORDER BY position, id", (plan_id,))
        taken = {r["ref"] for r in rows}
        last = re.fullmatch(r"(.*?)(\d+)", rows[-1]["ref"].strip()) if rows else None
        plan_wide = [r["ref"] for r in rows if last is None or r["ref"].startswith(last[1])]  # numbered as the last
        if priority_id is not None:
            group = [r["ref"] for r in rows if r["priority_id"] == priority_id]
            if not group and any("." in ref for ref in taken):
                number = self.store.scalar("SELECT number FROM priorities WHERE id = ?", (priority_id,))
                group = [f"{number}.0"] if number is not None else []
        else:
            group = [r["ref"] for r in rows if theme is not None and r["theme"] == theme]
        for refs in (group, plan_wide):
            numbered = [(int(m[2]), m[1]) for ref in refs if (m := re.fullmatch(r"(.*?)(\d+)", ref.strip()))]
            if not numbered:
                continue
            number, prefix = max(numbered)
            candidate = f"{prefix}{number + 1}"
            while candidate in taken:
                number += 1
                candidate = f"{prefix}{number + 1}"
            return candidate
        return "1"

    def rename_theme(self, plan_id: int, old: str, new: str, *, source: str = "app") -> int:
        """A theme renamed: every action of the plan under it, each with a history entry and a new version.
        Returns how many actions changed. Must run inside write()."""
        from accountability_tui.store.core import utc_now

        db = self.store.db
        now = utc_now()
        rows = self.store.query("SELECT id, version FROM actions WHERE plan_id = ? AND theme = ?", (plan_id, old))
        for r in rows:
            version = r["version"] + 1
            self._set(db, r["id"], {"theme": new, "version": version, "updated_at": now})
            self._history(db, r["id"], version, now, source, [("theme", old, new, "theme renamed")])
        if rows:
            self.forget_densities()
        return len(rows)

    def import_rows(self, plan_id: int, rows: builtins.list[ActionIn], *, fields: set[str] | None,
                    source: str, theme_is_column: bool = False) -> ImportCounts:
        """Insert new actions and update existing ones (by plan and ref), recording every change.

        `fields` names the fields the source actually carries (None: all); a field the source does not carry is
        never overwritten. A theme that comes from a section heading in the table (not a theme column) is only
        used for new actions and for actions that have no theme yet. Must run inside a write transaction.
        """
        from accountability_tui.store.core import utc_now

        if not self.store.conn.in_transaction:
            raise RuntimeError("import_rows must run inside Store.write()")
        db = self.store.db
        now = utc_now()
        counts = ImportCounts()
        existing = {r["ref"]: r for r in self.store.query("SELECT * FROM actions WHERE plan_id = ?", (plan_id,))}
        priorities = {r["number"]: r["id"] for r in self.store.query(
            "SELECT id, number FROM priorities WHERE plan_id = ?", (plan_id,))}
        carried = fields if fields is not None else {
            "text", "priority", "theme", "lead", "mechanism", "status", "rag", "timeframe", "plan_page",
            "explanation"}
        new_records: list[dict[str, Any]] = []
        for row in rows:
            priority_id = priorities.get(row.priority) if row.priority is not None else None
            due = row.due.isoformat() if row.due else None
            old = existing.get(row.ref)
            if old is None:
                record = {
                    "plan_id": plan_id, "ref": row.ref, "priority_id": priority_id, "theme": row.theme,
                    "text": row.text, "lead": row.lead, "mechanism": row.mechanism.value if row.mechanism else None,
                    "status": row.status.value, "status_text": row.status_text,
                    "rag": row.rag.value if row.rag else None, "timeframe": row.timeframe, "baseline_due": due,
                    "due": due, "plan_page": row.plan_page, "explanation": row.explanation,
                    "position": row.position, "version": 1, "created_at": now, "updated_at": now,
                    "status_as_at": None if row.status is Status.UNKNOWN else now[:10]}
                new_records.append(record)
                existing[row.ref] = record
                counts.created += 1
                continue
            changes: dict[str, Any] = {}
            history: list[tuple[str, Any, Any, str | None]] = []

            def change(name: str, new: Any, note: str | None = None) -> None:
                if old[name] != new:  # noqa: B023 - used at once, inside this iteration
                    changes[name] = new  # noqa: B023
                    history.append((name, old[name], new, note))  # noqa: B023

            if "text" in carried:
                change("text", row.text)
            if "priority" in carried and priority_id is not None:
                change("priority_id", priority_id)
            if "theme" in carried and row.theme is not None and (theme_is_column or old["theme"] is None):
                change("theme", row.theme)
            if "lead" in carried:
                change("lead", row.lead)
            if "mechanism" in carried and row.mechanism is not None:
                change("mechanism", row.mechanism.value)
            if "status" in carried:
                change("status", row.status.value)
                if "status" in changes:
                    changes["status_as_at"] = None if row.status is Status.UNKNOWN else now[:10]
                if old["status_text"] != row.status_text:
                    changes["status_text"] = row.status_text
            if "rag" in carried:
                change("rag", row.rag.value if row.rag else None)
            if "plan_page" in carried:
                change("plan_page", row.plan_page)
            if "explanation" in carried:
                change("explanation", row.explanation)
            if "timeframe" in carried and old["timeframe"] != row.timeframe:
                change("timeframe", row.timeframe)
                if old["due"] != due:
                    change("due", due, f"timeframe changed to {row.timeframe!r}" if row.timeframe
                           else "timeframe removed")
                    if old["baseline_due"] is None and due is not None:
                        changes["baseline_due"] = due
            if row.position is not None and old["position"] != row.position:
                changes["position"] = row.position
            if history:
                version = old["version"] + 1
                changes.update(version=version, updated_at=now)
                self._set(db, old["id"], changes)
                self._history(db, old["id"], version, now, source, history)
                counts.updated += 1
                counts.changed_refs.append(row.ref)
                existing[row.ref] = {**old, **changes}
            else:
                if changes:  # layout only (position, the status text as written): no new version
                    self._set(db, old["id"], changes)
                counts.unchanged += 1
        if new_records or counts.updated:
            self.forget_densities()
        if new_records:  # in bulk: one statement for all the new actions, one for their first history entries
            columns = list(new_records[0])
            db.conn.executemany(
                f"INSERT INTO actions ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [tuple(r[c] for c in columns) for r in new_records])
            ids = {r["ref"]: r["id"] for r in self.store.query("SELECT id, ref FROM actions WHERE plan_id = ?",
                                                                 (plan_id,))}
            db.conn.executemany(
                "INSERT INTO action_history (action_id, version, at, who, field, old_value, new_value, note, source) "
                "VALUES (?, 1, ?, ?, 'created', NULL, ?, NULL, ?)",
                [(ids[r["ref"]], now, self.store.who, r["status"], source) for r in new_records])
        return counts

    @staticmethod
    def _set(db: sqlite_utils.Database, action_id: int, changes: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = ?" for k in changes)
        db.conn.execute(f"UPDATE actions SET {sets} WHERE id = ?", (*changes.values(), action_id))

    def add_demo_history(self, plan_id: int, rng: random.Random) -> int:
        """Demonstration histories for a plan's actions: status, RAG and due-date changes and notes, with their
        versions. In bulk; only for generated demonstration data (see demo.py). Must run inside write()."""
        if not self.store.conn.in_transaction:
            raise RuntimeError("add_demo_history must run inside Store.write()")
        db = self.store.db
        rows = self.store.query("SELECT id, status, rag, due FROM actions WHERE plan_id = ?", (plan_id,))
        entries: list[tuple[Any, ...]] = []
        versions: list[tuple[Any, ...]] = []
        start = dt.datetime(2024, 4, 1, 9, 0, tzinfo=dt.UTC)
        for r in rows:
            if rng.random() > 0.45:
                continue
            version, due, rag = 1, r["due"], r["rag"]
            for _ in range(rng.randint(1, 3)):
                version += 1
                at = (start + dt.timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 600))).isoformat(
                    timespec="seconds")
                kind = rng.choice(["note", "rag", "due"] if due else ["note", "rag"])
                if kind == "note":
                    entries.append((r["id"], version, at, "demo", "note", None, None, "Update received (demonstration)",
                                    "demo data"))
                elif kind == "rag":
                    new = rng.choice(["green", "amber", "red"])
                    entries.append((r["id"], version, at, "demo", "rag", rag, new, None, "demo data"))
                    rag = new
                else:
                    new = (dt.date.fromisoformat(due) + dt.timedelta(days=rng.choice([90, 182, 365]))).isoformat()
                    entries.append((r["id"], version, at, "demo", "due", due, new, "Slipped (demonstration)",
                                    "demo data"))
                    due = new
            versions.append((version, due, rag, r["id"]))
        db.conn.executemany(
            "INSERT INTO action_history (action_id, version, at, who, field, old_value, new_value, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", entries)
        db.conn.executemany("UPDATE actions SET version = ?, due = ?, rag = ? WHERE id = ?", versions)
        return len(entries)

    def update(self, action_id: int, expected_version: int, *, status: Status | None = None, rag: Any = UNSET,
               note: str | None = None, due: Any = UNSET, due_reason: str | None = None,
               lead: Any = UNSET, source: str = "app", ref: Any = UNSET, priority_id: Any = UNSET,
               theme: Any = UNSET, text: Any = UNSET, mechanism: Any = UNSET, timeframe: Any = UNSET,
               plan_page: Any = UNSET) -> ActionRow:
        """Save an officer's edit. Refused if someone else saved the action since expected_version.

        A change of status needs a note; a new due date needs a reason (the baseline due date never changes). A new
        timeframe gives a new due date by the usual conventions (domain.timeframes), unless a due date is given
        too; its reason is the reason given, else the change of timeframe. Every changed field is a history entry.
        """
        from accountability_tui.domain.timeframes import due_date
        from accountability_tui.store.core import utc_now

        note = typed(note)
        due_reason = typed(due_reason)
        if lead is not UNSET:
            lead = typed(lead)
        details = {k: v for k, v in (("ref", ref), ("theme", theme), ("text", text), ("timeframe", timeframe),
                                     ("plan_page", plan_page)) if v is not UNSET}
        for name, value in details.items():
            value = typed(value)
            if value and len(value) > MAX_TEXT:
                raise ValidationFailed(f"the {name} is too long ({len(value):,} characters; at most {MAX_TEXT:,})")
            details[name] = value or None
        if "text" in details and not details["text"]:
            raise ValidationFailed("an action needs its text: say what will be done")
        if "ref" in details and not details["ref"]:
            raise ValidationFailed("an action needs a ref (its number in the plan)")
        if "ref" in details and len(details["ref"]) > 40:
            raise ValidationFailed("the ref is too long (at most 40 characters)")
        if note and len(note) > MAX_TEXT:
            raise ValidationFailed(f"the note is too long ({len(note):,} characters; at most {MAX_TEXT:,})")
        with self.store.write() as db:
            current = self.get(action_id)
            if current.version != expected_version:
                changes = [h for h in self.history(action_id) if h.version > expected_version]
                who = ", ".join(sorted({h.who for h in changes})) or "someone else"
                raise Conflict(f"action {current.ref} was changed by {who} since you opened it; "
                               "reload to see their change, then apply yours again", changes)
            history: list[tuple[str, Any, Any, str | None]] = []
            updates: dict[str, Any] = {}
            if status is not None and status is not current.status:
                if not note:
                    raise ValidationFailed("a note is required when the status changes — say why")
                updates["status"] = status.value
                history.append(("status", current.status.value, status.value, note))
            if rag is not UNSET and rag != current.rag:
                updates["rag"] = rag.value if rag else None
                history.append(("rag", current.rag.value if current.rag else None, updates["rag"], None))
            if due is not UNSET and due != current.due:
                if not due_reason:
                    raise ValidationFailed("a reason is required for a new due date")
                updates["due"] = due.isoformat() if due else None
                history.append(("due", current.due.isoformat() if current.due else None, updates["due"], due_reason))
                if current.baseline_due is None and due is not None:
                    updates["baseline_due"] = updates["due"]
            if lead is not UNSET and lead != current.lead:
                updates["lead"] = lead
                history.append(("lead", current.lead, updates["lead"], None))
            if details.get("ref", current.ref) != current.ref:
                if self.store.scalar("SELECT 1 FROM actions WHERE plan_id = ? AND ref = ? AND id <> ?",
                                     (current.plan_id, details["ref"], action_id)):
                    raise ValidationFailed(f"an action {details['ref']} already exists in plan {current.plan_code}")
            if priority_id is not UNSET and priority_id is not None and not self.store.scalar(
                    "SELECT 1 FROM priorities WHERE id = ? AND plan_id = ?", (priority_id, current.plan_id)):
                raise ValidationFailed(f"that priority is not one of plan {current.plan_code}'s")
            olds = {"ref": current.ref, "theme": current.theme, "text": current.text, "timeframe": current.timeframe,
                    "plan_page": current.plan_page}
            for name, value in details.items():
                if value != olds[name]:
                    updates[name] = value
                    history.append((name, olds[name], value, None))
            if priority_id is not UNSET and priority_id != current.priority_id:
                updates["priority_id"] = priority_id
                history.append(("priority", current.priority_number, self.store.scalar(
                    "SELECT number FROM priorities WHERE id = ?", (priority_id,)) if priority_id else None, None))
            if mechanism is not UNSET and mechanism != current.mechanism:
                updates["mechanism"] = mechanism.value if mechanism else None
                history.append(("mechanism", current.mechanism.value if current.mechanism else None,
                                updates["mechanism"], None))
            if "timeframe" in updates and due is UNSET:  # the due date follows the timeframe, as an import does
                new_due = due_date(updates["timeframe"])
                if new_due != current.due:
                    updates["due"] = new_due.isoformat() if new_due else None
                    history.append(("due", current.due.isoformat() if current.due else None, updates["due"],
                                    due_reason or (f"timeframe changed to {updates['timeframe']!r}"
                                                   if updates["timeframe"] else "timeframe removed")))
                    if current.baseline_due is None and new_due is not None:
                        updates["baseline_due"] = updates["due"]
            if note and not any(h[0] == "status" for h in history):
                history.append(("note", None, None, note))
            if note or "status" in updates:  # the officer has reported on the action today
                updates["status_as_at"] = utc_now()[:10]
            if not history:
                return current
            version = current.version + 1
            now = utc_now()
            updates.update(version=version, updated_at=now)
            sets = ", ".join(f"{k} = ?" for k in updates)
            cursor = db.conn.execute(f"UPDATE actions SET {sets} WHERE id = ? AND version = ?",
                                     [*updates.values(), action_id, expected_version])
            if cursor.rowcount != 1:
                raise Conflict(f"action {current.ref} was changed by someone else while saving; reload and try again")
            self._history(db, action_id, version, now, source, history)
        return self.get(action_id)

    # --- links and undo --------------------------------------------------------------------------------------

    UNDOABLE = ("status", "rag", "due", "lead", "finding")  # the changes an officer makes, which undo reverses

    def record_link(self, action_id: int, finding_id: int, label: str, linked: bool, source: str = "app") -> None:
        """A link to a finding made (or removed) is a change of the action: a new version and a history entry
        (field 'finding'), so that the history shows it and undo can reverse it. Must run inside write()."""
        from accountability_tui.store.core import utc_now

        db = self.store.db
        version = int(self.store.scalar("SELECT version FROM actions WHERE id = ?", (action_id,)) or 0) + 1
        now = utc_now()
        db.conn.execute("UPDATE actions SET version = ?, updated_at = ? WHERE id = ?", (version, now, action_id))
        value = str(finding_id)
        self._history(db, action_id, version, now, source,
                      [("finding", None if linked else value, value if linked else None, label)])

    def last_change(self, action_id: int) -> HistoryEntry | None:
        """The last change an officer can undo (status, RAG, due date, lead, a link to a finding) that is not
        itself an undo and has not been undone: undoing again goes further back."""
        marks = ", ".join("?" for _ in self.UNDOABLE)
        rows = self.store.query(f"SELECT * FROM action_history WHERE action_id = ? AND field IN ({marks}) "
                                "ORDER BY id DESC", (action_id, *self.UNDOABLE))
        return last_not_undone([_entry(r) for r in rows], lambda h: (h.id, h.note))

    def undo(self, action_id: int, expected_version: int, source: str = "app") -> HistoryEntry:
        """Reverse the last change (see last_change) with a new change of its own, whose note says which change it
        undid: the history keeps both. Refused (Conflict) if the action changed since expected_version. Returns
        the change undone."""
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            current = self.get(action_id)
            if current.version != expected_version:
                raise Conflict(f"action {current.ref} was changed by someone else since you looked; reload, then undo")
            last = self.last_change(action_id)
            if last is None:
                raise ValidationFailed(f"action {current.ref} has no change to undo")
            why = undo_note(last.id, last.field, last.at, last.who)
            if last.field == "finding":  # a link to a finding: unlink it, or link it again
                finding_id = int(last.new_value or last.old_value or 0)
                if last.new_value:
                    db.conn.execute("DELETE FROM finding_actions WHERE finding_id = ? AND action_id = ?",
                                    (finding_id, action_id))
                else:
                    db.conn.execute(
                        "INSERT OR IGNORE INTO finding_actions (finding_id, action_id, linked_at, linked_by) "
                        "VALUES (?, ?, ?, ?)", (finding_id, action_id, utc_now(), self.store.who))
                self.record_link(action_id, finding_id, f"{last.note or finding_id}; {why}",
                                 linked=not last.new_value, source=source)
                return last
            now_value = {"status": current.status.value, "rag": current.rag.value if current.rag else None,
                         "due": current.due.isoformat() if current.due else None, "lead": current.lead}[last.field]
            old = last.old_value if last.field != "status" else (last.old_value or Status.UNKNOWN.value)
            version = current.version + 1
            now = utc_now()
            updates: dict[str, Any] = {last.field: old, "version": version, "updated_at": now}
            if last.field == "due" and current.baseline_due is None and old is not None:
                updates["baseline_due"] = old
            self._set(db, action_id, updates)
            self._history(db, action_id, version, now, source, [(last.field, now_value, old, why)])
        return last


def _entry(r: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(id=r["id"], version=r["version"], at=r["at"], who=r["who"], field=r["field"],
                        old_value=r["old_value"], new_value=r["new_value"], note=r["note"], source=r["source"])


def _narrows(wide: tuple[str, ...] | list[str], narrow: tuple[str, ...] | list[str]) -> bool:
    """Whether the words `narrow` can only match what the words `wide` match (see search.match_expression)."""
    if len(narrow) < len(wide):
        return False
    for w, n in zip(wide, narrow, strict=False):
        if not (n == w or (len(w) >= 3 and n.startswith(w))):
            return False
    return True


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
