"""Performance measures: the plans' strategic performance objectives, the measures, their values over time, their
append-only history, and the link from a question to a measure (issue 12; domain.md, "Performance measures").

Reads that a screen or a briefing makes for many measures at once (summaries, values) are a fixed number of
queries whatever the number of measures: a force's 40 measures or the nation's 1,720 (43 forces × 40) cost the
same two queries. Every value read is one seek in the (measure_id, period_end, period_start) index.
"""

from __future__ import annotations

import builtins
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import (
    DEFAULT_FORCE,
    Direction,
    MeasureHistoryEntry,
    MeasureRow,
    MeasureSummary,
    MeasureValueRow,
    ObjectiveRow,
    Unit,
    measure_key,
)
from accountability_tui.domain.periods import Period, PeriodKind

if TYPE_CHECKING:
    from accountability_tui.domain.records import MeasureIn, MeasureValueIn
    from accountability_tui.store.core import Store

_SELECT = """
SELECT m.*, o.position AS objective_number, o.title AS objective_title, pr.number AS priority_number
FROM measures m
LEFT JOIN performance_objectives o ON o.id = m.objective_id
LEFT JOIN priorities pr ON pr.id = m.priority_id
"""
# A force's measures by objective, in the objective's order, then those of no objective; each objective's measures
# in their position, then (measures an import made) in the order they were made.
_ORDER = " ORDER BY m.force, o.position IS NULL, o.position, m.position IS NULL, m.position, m.id"

_OBJECTIVES = """
SELECT o.id, o.plan_id, p.code AS plan_code, p.force, o.position AS number, o.title, o.aim, o.baseline, o.success,
       o.priority_id, pr.number AS priority_number
FROM performance_objectives o
JOIN plans p ON p.id = o.plan_id
LEFT JOIN priorities pr ON pr.id = o.priority_id
"""

_VALUE_COLUMNS = ("id", "measure_id", "period", "kind", "period_start", "period_end", "value", "target", "source",
                  "restricted", "demo", "imported_by", "imported_at")

# The fields of a measure an officer can change (update), each change kept in its history.
EDITABLE = ("name", "unit", "direction", "objective_id", "priority_id", "baseline_value", "baseline_period",
            "baseline_source", "baseline_note", "target_value", "target_note", "source_note", "restricted",
            "position")


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _number(value: float | None) -> str | None:
    """A figure as history text: 84.1, 1234 (no float noise, no '.0')."""
    return None if value is None else f"{value:.15g}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def measure_row(r: dict[str, Any]) -> MeasureRow:
    return MeasureRow(
        id=r["id"], force=r["force"], name=r["name"], unit=Unit(r["unit"]) if r["unit"] else None,
        direction=Direction(r["direction"]) if r["direction"] else None, objective_id=r["objective_id"],
        objective_number=r["objective_number"], objective_title=r["objective_title"], priority_id=r["priority_id"],
        priority_number=r["priority_number"], baseline_value=r["baseline_value"], baseline_period=r["baseline_period"],
        baseline_source=r["baseline_source"], baseline_note=r["baseline_note"], target_value=r["target_value"],
        target_note=r["target_note"], source_note=r["source_note"], restricted=bool(r["restricted"]),
        demo=bool(r["demo"]), position=r["position"], version=r["version"], updated_at=r["updated_at"])


def value_row(r: dict[str, Any], prefix: str = "") -> MeasureValueRow:
    def get(name: str) -> Any:
        return r[prefix + name]

    return MeasureValueRow(
        id=get("id"), measure_id=get("measure_id"), period=get("period"), kind=PeriodKind(get("kind")),
        start=dt.date.fromisoformat(get("period_start")), end=dt.date.fromisoformat(get("period_end")),
        value=get("value"), target=get("target"), source=get("source"), restricted=bool(get("restricted")),
        demo=bool(get("demo")), imported_by=get("imported_by"), imported_at=get("imported_at"))


def objective_row(r: dict[str, Any]) -> ObjectiveRow:
    return ObjectiveRow(id=r["id"], plan_id=r["plan_id"], plan_code=r["plan_code"], force=r["force"],
                        number=r["number"], title=r["title"], aim=r["aim"], baseline=r["baseline"],
                        success=r["success"], priority_id=r["priority_id"], priority_number=r["priority_number"])


def _history_entry(r: dict[str, Any]) -> MeasureHistoryEntry:
    return MeasureHistoryEntry(id=r["id"], measure_id=r["measure_id"], version=r["version"], at=r["at"],
                               who=r["who"], field=r["field"], period=r["period"],
                               period_start=_date(r["period_start"]), period_end=_date(r["period_end"]),
                               old_value=r["old_value"], new_value=r["new_value"], note=r["note"],
                               source=r["source"])


@dataclass(frozen=True)
class ValueChange:
    """A figure an upsert changed: the measure's name, the period as written, old and new."""

    measure: str
    period: str
    old: float
    new: float


@dataclass
class UpsertResult:
    """What store.measures.upsert_values did (or, in a dry run, would do)."""

    measures: int = 0  # the measures the values are for
    values: int = 0  # the values given (a value given twice, the same both times, counts once)
    new: int = 0  # values for a period the measure had no value for
    changed: int = 0  # values whose figure, target or restriction changed
    unchanged: int = 0
    new_measures: list[str] = field(default_factory=list)  # names, as first written, of the measures made
    changes: list[ValueChange] = field(default_factory=list)  # the figures changed, in the order given
    dry_run: bool = False


@dataclass
class _Plan:
    """What an upsert will write (see Measures._plan)."""

    result: UpsertResult
    new_measures: dict[str, dict[str, Any]]  # name_key -> the measure's record
    measure_ids: dict[str, int]  # name_key -> id of an existing measure
    versions: dict[int, int]  # existing measure id -> its version
    inserts: list[tuple[str, MeasureValueIn]]  # (name_key, value)
    updates: list[tuple[int, str, MeasureValueIn]]  # (value id, name_key, value)
    history: dict[str, list[tuple[str, MeasureValueIn | None, Any, Any, str | None]]]  # name_key -> entries


class Measures:
    def __init__(self, store: Store):
        self.store = store

    # --- objectives --------------------------------------------------------------------------------------------

    def objectives(self, *, force: str | None = None, plan_id: int | None = None) -> builtins.list[ObjectiveRow]:
        """The plans' strategic performance objectives (of one force, or one plan): the current plan's first, each
        plan's in their number order."""
        clauses: list[str] = []
        params: list[Any] = []
        if force is not None:
            clauses.append("p.force = ?")
            params.append(force)
        if plan_id is not None:
            clauses.append("o.plan_id = ?")
            params.append(plan_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [objective_row(r) for r in self.store.query(
            f"{_OBJECTIVES}{where} ORDER BY p.is_current DESC, p.code, o.position", params)]

    def objective(self, objective_id: int) -> ObjectiveRow:
        rows = self.store.query(_OBJECTIVES + " WHERE o.id = ?", (objective_id,))
        if not rows:
            raise NotFound(f"no performance objective with id {objective_id}")
        return objective_row(rows[0])

    def objective_by_number(self, plan_id: int, number: int) -> ObjectiveRow | None:
        rows = self.store.query(_OBJECTIVES + " WHERE o.plan_id = ? AND o.position = ?", (plan_id, number))
        return objective_row(rows[0]) if rows else None

    def add_objective(self, plan_id: int, number: int, title: str, *, aim: str | None = None,
                      priority_id: int | None = None) -> int:
        """Make (or retitle) objective `number` of a plan; the plan document's objectives are set by
        store.plans.set_objectives. Returns its id."""
        with self.store.write() as db:
            db.conn.execute(
                "INSERT INTO performance_objectives (plan_id, position, title, aim, priority_id) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (plan_id, position) DO UPDATE SET title = excluded.title, "
                "aim = coalesce(excluded.aim, aim), priority_id = coalesce(excluded.priority_id, priority_id)",
                (plan_id, number, title, aim, priority_id))
            return int(self.store.scalar("SELECT id FROM performance_objectives WHERE plan_id = ? AND position = ?",
                                         (plan_id, number)))

    def set_objective_priority(self, objective_id: int, priority_id: int | None) -> None:
        """The priority an objective serves (a priority of the objective's own plan), or none."""
        objective = self.objective(objective_id)
        if priority_id is not None and not self.store.scalar(
                "SELECT 1 FROM priorities WHERE id = ? AND plan_id = ?", (priority_id, objective.plan_id)):
            raise ValidationFailed(f"priority {priority_id} is not a priority of {objective.plan_code}")
        with self.store.write() as db:
            db.conn.execute("UPDATE performance_objectives SET priority_id = ? WHERE id = ?",
                            (priority_id, objective_id))

    # --- measures ----------------------------------------------------------------------------------------------

    @staticmethod
    def _where(*, force: str | None = None, objective_id: int | None = None, no_objective: bool = False,
               ids: Iterable[int] | None = None, public: bool = False) -> tuple[str, builtins.list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if force is not None:
            clauses.append("m.force = ?")
            params.append(force)
        if objective_id is not None:
            clauses.append("m.objective_id = ?")
            params.append(objective_id)
        if no_objective:
            clauses.append("m.objective_id IS NULL")
        if ids is not None:
            clauses.append("m.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(set(ids))))
        if public:
            clauses.append("m.restricted = 0")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def get(self, measure_id: int) -> MeasureRow:
        rows = self.store.query(_SELECT + " WHERE m.id = ?", (measure_id,))
        if not rows:
            raise NotFound(f"no measure with id {measure_id}")
        return measure_row(rows[0])

    def list(self, *, force: str | None = None, objective_id: int | None = None, no_objective: bool = False,
             ids: Iterable[int] | None = None, public: bool = False) -> builtins.list[MeasureRow]:
        """Measures (of a force; of an objective, or of none; these ids), by objective and position. public leaves
        out the restricted ones."""
        where, params = self._where(force=force, objective_id=objective_id, no_objective=no_objective, ids=ids,
                                    public=public)
        return [measure_row(r) for r in self.store.query(_SELECT + where + _ORDER, params)]

    def find(self, name: str, force: str = DEFAULT_FORCE) -> MeasureRow | None:
        """The force's measure of this name, case and spacing ignored (domain.models.measure_key)."""
        rows = self.store.query(_SELECT + " WHERE m.force = ? AND m.name_key = ?", (force, measure_key(name)))
        return measure_row(rows[0]) if rows else None

    def forces(self) -> builtins.list[str]:
        """The forces that have measures."""
        return [r["force"] for r in self.store.query("SELECT DISTINCT force FROM measures ORDER BY force")]

    def _check_links(self, force: str, objective_id: int | None, priority_id: int | None) -> None:
        if objective_id is not None:
            objective = self.objective(objective_id)
            if objective.force != force:
                raise ValidationFailed(f"objective {objective.label} is {objective.force}'s, not {force}'s")
        if priority_id is not None and not self.store.scalar("SELECT 1 FROM priorities WHERE id = ?", (priority_id,)):
            raise ValidationFailed(f"there is no priority with id {priority_id}")

    def add(self, measure: MeasureIn | dict[str, Any], *, source: str = "app") -> int:
        """Make a measure (its history starts with a 'created' entry). Refused when the force has a measure of the
        same name (case and spacing ignored). Returns its id."""
        from accountability_tui.domain.records import MeasureIn, validated
        from accountability_tui.store.core import inserted_id, utc_now

        m = validated(MeasureIn, measure, "measure")
        with self.store.write() as db:
            existing = self.find(m.name, m.force)
            if existing is not None:
                raise ValidationFailed(f"{m.force} has a measure {existing.name!r} already")
            self._check_links(m.force, m.objective_id, m.priority_id)
            now = utc_now()
            measure_id = inserted_id(db.conn.execute(
                "INSERT INTO measures (force, name, name_key, unit, direction, objective_id, priority_id, "
                "baseline_value, baseline_period, baseline_source, baseline_note, target_value, target_note, "
                "source_note, restricted, demo, position, version, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (m.force, m.name, measure_key(m.name), m.unit.value if m.unit else None,
                 m.direction.value if m.direction else None, m.objective_id, m.priority_id, m.baseline_value,
                 m.baseline_period, m.baseline_source, m.baseline_note, m.target_value, m.target_note, m.source_note,
                 int(m.restricted), int(m.demo), m.position, now, now)))
            self._history([(measure_id, 1, now, "created", None, None, m.name, None, source)])
        return measure_id

    def update(self, measure_id: int, expected_version: int, *, source: str = "app", note: str | None = None,
               **changes: Any) -> MeasureRow:
        """Change a measure's fields (EDITABLE: name, unit, direction, objective_id, priority_id, baseline_*,
        target_*, source_note, restricted, position), each change kept in its history with the note. Refused
        (Conflict) if someone saved the measure since expected_version."""
        from accountability_tui.domain.records import MeasureIn, validated
        from accountability_tui.store.core import utc_now

        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise TypeError(f"not a field of a measure an officer can change: {', '.join(unknown)}")
        with self.store.write() as db:
            current = self.get(measure_id)
            if current.version != expected_version:
                later = [h for h in self.history(measure_id) if h.version > expected_version]
                who = ", ".join(sorted({h.who for h in later})) or "someone else"
                raise Conflict(f"measure {current.name!r} was changed by {who} since you opened it; reload to see "
                               "their change, then apply yours again", later)
            fields = {name: getattr(current, name) for name in EDITABLE}
            fields.update(changes)
            checked = validated(MeasureIn, {**fields, "force": current.force, "demo": current.demo}, "measure")
            new = {name: getattr(checked, name) for name in EDITABLE}
            if new["name"] != current.name:
                other = self.find(new["name"], current.force)
                if other is not None and other.id != measure_id:
                    raise ValidationFailed(f"{current.force} has a measure {other.name!r} already")
            if new["objective_id"] != current.objective_id or new["priority_id"] != current.priority_id:
                self._check_links(current.force, new["objective_id"], new["priority_id"])
            changed = {name: value for name, value in new.items() if value != getattr(current, name)}
            if not changed:
                return current
            version, now = current.version + 1, utc_now()
            record: dict[str, Any] = {
                name: (value.value if isinstance(value, Unit | Direction) else int(value) if isinstance(value, bool)
                       else value) for name, value in changed.items()}
            if "name" in changed:
                record["name_key"] = measure_key(new["name"])
            record.update(version=version, updated_at=now)
            sets = ", ".join(f"{k} = ?" for k in record)
            cursor = db.conn.execute(f"UPDATE measures SET {sets} WHERE id = ? AND version = ?",
                                     [*record.values(), measure_id, expected_version])
            if cursor.rowcount != 1:
                raise Conflict(f"measure {current.name!r} was changed by someone else while saving; reload and try "
                               "again")
            self._history([(measure_id, version, now, name, None, _text(getattr(current, name)), _text(value),
                             note, source) for name, value in changed.items()])
        return self.get(measure_id)

    def history(self, measure_id: int) -> builtins.list[MeasureHistoryEntry]:
        """Every recorded change of the measure and of its values, oldest first."""
        return [_history_entry(r) for r in self.store.query(
            "SELECT * FROM measure_history WHERE measure_id = ? ORDER BY id", (measure_id,))]

    def last_changes(self, measure_ids: Iterable[int]) -> dict[int, MeasureHistoryEntry]:
        """The latest recorded change of each of these measures (or of one of its values), in one query."""
        ids = list(measure_ids)
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        return {r["measure_id"]: _history_entry(r) for r in self.store.query(
            f"SELECT * FROM measure_history WHERE id IN (SELECT max(id) FROM measure_history "
            f"WHERE measure_id IN ({marks}) GROUP BY measure_id)", ids)}

    def changes_between(self, start: dt.date, end: dt.date, fields: tuple[str, ...] = ("value",),
                        force: str | None = None, public: bool = False
                        ) -> builtins.list[tuple[MeasureRow, MeasureHistoryEntry]]:
        """Recorded changes of these fields (default: a figure changed) from start (inclusive) to end (exclusive),
        oldest first."""
        where, params = self._where(force=force, public=public)
        rows = self.store.query(
            f"SELECT h.* FROM measure_history h WHERE h.field IN ({', '.join('?' for _ in fields)}) "
            f"AND h.at >= ? AND h.at < ? AND h.measure_id IN (SELECT m.id FROM measures m{where}) ORDER BY h.at, h.id",
            [*fields, start.isoformat(), end.isoformat(), *params])
        measures = {m.id: m for m in self.list(ids={r["measure_id"] for r in rows})} if rows else {}
        return [(measures[r["measure_id"]], _history_entry(r)) for r in rows]

    # --- values ------------------------------------------------------------------------------------------------

    def values(self, measure_id: int, *, until: dt.date | None = None, public: bool = False
               ) -> builtins.list[MeasureValueRow]:
        """A measure's values in period order (by end, then start); until: only those ending on or before it."""
        return self.values_of([measure_id], until=until, public=public).get(measure_id, [])

    def values_of(self, measure_ids: Iterable[int], *, until: dt.date | None = None, public: bool = False
                  ) -> dict[int, builtins.list[MeasureValueRow]]:
        """values() of many measures, in one query."""
        ids = sorted(set(measure_ids))
        if not ids:
            return {}
        sql = ("SELECT * FROM measure_values WHERE measure_id IN (SELECT value FROM json_each(?))"
               + (" AND period_end <= ?" if until else "") + (" AND restricted = 0" if public else "")
               + " ORDER BY measure_id, period_end, period_start")
        params: list[Any] = [json.dumps(ids)] + ([until.isoformat()] if until else [])
        out: dict[int, list[MeasureValueRow]] = {}
        for r in self.store.query(sql, params):
            out.setdefault(r["measure_id"], []).append(value_row(r))
        return out

    def values_set_between(self, start: dt.date, end: dt.date, *, force: str | None = None, public: bool = False
                           ) -> builtins.list[tuple[MeasureRow, MeasureValueRow]]:
        """Figures given or changed from start (inclusive) to end (exclusive), by measure and period: what came in
        since the last meeting."""
        where, params = self._where(force=force, public=public)
        rows = self.store.query(
            "SELECT v.* FROM measure_values v WHERE v.imported_at >= ? AND v.imported_at < ?"
            + (" AND v.restricted = 0" if public else "")
            + f" AND v.measure_id IN (SELECT m.id FROM measures m{where}) ORDER BY v.measure_id, v.period_end",
            [start.isoformat(), end.isoformat(), *params])
        measures = {m.id: m for m in self.list(ids={r["measure_id"] for r in rows})} if rows else {}
        return [(measures[r["measure_id"]], value_row(r)) for r in rows]

    def summaries(self, as_of: dt.date, *, force: str | None = None, objective_id: int | None = None,
                  ids: Iterable[int] | None = None, public: bool = False) -> builtins.list[MeasureSummary]:
        """Each measure (as list() chooses them) at the as-of date: its latest value (the last ending on or before
        as_of; of two ending the same day, the shorter period) and the value for the same period a year earlier.
        Two queries, whatever the number of measures. public leaves out restricted measures and values."""
        ids = None if ids is None else builtins.list(ids)
        measures = self.list(force=force, objective_id=objective_id, ids=ids, public=public)
        if not measures:
            return []
        where, params = self._where(force=force, objective_id=objective_id, ids=ids, public=public)
        hidden = " AND {a}.restricted = 0" if public else ""
        columns = ", ".join(f"y.{c} AS y_{c}" for c in _VALUE_COLUMNS)
        rows = self.store.query(
            f"""
            SELECT l.*, {columns}
            FROM measures m
            JOIN measure_values l ON l.id = (
                SELECT x.id FROM measure_values x
                WHERE x.measure_id = m.id AND x.period_end <= ?{hidden.format(a='x')}
                ORDER BY x.period_end DESC, x.period_start DESC LIMIT 1)
            LEFT JOIN measure_values y ON y.measure_id = l.measure_id
                AND y.period_end = date(l.period_end, '+1 day', '-1 year', '-1 day')
                AND y.period_start = date(l.period_start, '-1 year'){hidden.format(a='y')}
            {where}
            """, [as_of.isoformat(), *params])
        found = {r["measure_id"]: (value_row(r), value_row(r, "y_") if r["y_id"] is not None else None)
                 for r in rows}
        return [MeasureSummary(measure=m, as_of=as_of, latest=found.get(m.id, (None, None))[0],
                               year_earlier=found.get(m.id, (None, None))[1]) for m in measures]

    def upsert_values(self, values: Sequence[MeasureValueIn | dict[str, Any]], *, source: str,
                      force: str = DEFAULT_FORCE, dry_run: bool = False,
                      before_write: Callable[[UpsertResult], None] | None = None) -> UpsertResult:
        """Add or update a force's figures, all in one transaction (all or nothing), and say what changed.

        A value is identified by its measure and its period's span (start, end): a figure for a period the measure
        has is updated in place when its figure, target or restriction differs (its period keeps the text first
        written), and left alone otherwise, so a second identical upsert changes nothing. A measure is found by
        name with case and spacing ignored; a name the force has no measure for makes a new measure (its unit from
        the value's unit, its direction not known until an officer sets it), named in new_measures. Each measure
        whose values changed gets a new version and history: one entry per changed figure or target, one entry for
        the values added. The same period given twice with different figures is refused (ValidationFailed). With
        dry_run, nothing is written: the result says what would change. before_write, if given, is called inside
        the transaction before anything is written, and only when something will be (to take a backup of the
        database as it was, say).
        """
        from accountability_tui.domain.records import MeasureValueIn, validated

        checked = [validated(MeasureValueIn, v, "figure") for v in values]
        if dry_run:
            result = self._plan(checked, force).result
            result.dry_run = True
            return result
        with self.store.write():
            plan = self._plan(checked, force)
            result = plan.result
            if before_write is not None and (result.new or result.changed or result.new_measures):
                before_write(result)
            self._apply(plan, source)
        return plan.result

    def _plan(self, values: builtins.list[MeasureValueIn], force: str) -> _Plan:
        """What upsert_values will write: read the force's measures of these names and their values, compare."""
        from accountability_tui.store.core import utc_now

        result = UpsertResult()
        by_key: dict[str, builtins.list[MeasureValueIn]] = {}
        names: dict[str, str] = {}
        seen: dict[tuple[str, dt.date, dt.date], MeasureValueIn] = {}
        for v in values:
            key = measure_key(v.measure)
            identity = (key, v.start, v.end)
            earlier = seen.get(identity)
            if earlier is not None:
                if (earlier.value, earlier.target) != (v.value, v.target):
                    raise ValidationFailed(
                        f"{v.measure}: two figures for {earlier.period}: {_number(earlier.value)} and "
                        f"{_number(v.value)} ({v.period}); keep one")
                continue
            seen[identity] = v
            names.setdefault(key, v.measure)
            by_key.setdefault(key, []).append(v)
        result.values = len(seen)
        result.measures = len(by_key)
        existing = {r["name_key"]: r for r in self.store.query(
            "SELECT id, name, name_key, version FROM measures WHERE force = ? AND name_key IN "
            "(SELECT value FROM json_each(?))", (force, json.dumps(builtins.list(by_key))))}
        measure_ids = {key: r["id"] for key, r in existing.items()}
        names.update({key: r["name"] for key, r in existing.items()})  # a measure is named as the store names it
        stored: dict[tuple[int, str, str], dict[str, Any]] = {}
        if measure_ids:
            for r in self.store.query(
                    "SELECT id, measure_id, period, period_start, period_end, value, target, restricted "
                    "FROM measure_values WHERE measure_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(sorted(measure_ids.values())),)):
                stored[(r["measure_id"], r["period_start"], r["period_end"])] = r
        now = utc_now()
        new_measures: dict[str, dict[str, Any]] = {}
        inserts: list[tuple[str, MeasureValueIn]] = []
        updates: list[tuple[int, str, MeasureValueIn]] = []
        history: dict[str, list[tuple[str, MeasureValueIn | None, Any, Any, str | None]]] = {}
        for key, group in by_key.items():
            measure_id = measure_ids.get(key)
            if measure_id is None:
                unit = next((v.unit for v in group if v.unit is not None), None)
                new_measures[key] = {"force": force, "name": names[key], "name_key": key,
                                     "unit": unit.value if unit else None, "demo": int(all(v.demo for v in group)),
                                     "version": 1, "created_at": now, "updated_at": now}
                result.new_measures.append(names[key])
            added: list[MeasureValueIn] = []
            for v in group:
                old = stored.get((measure_id, v.start.isoformat(), v.end.isoformat())) if measure_id else None
                if old is None:
                    inserts.append((key, v))
                    added.append(v)
                    continue
                entries = history.setdefault(key, [])
                before = len(entries)
                if old["period"] != v.period:  # the period keeps the text first written, and is named by it
                    v = v.model_copy(update={"period": old["period"]})
                if old["value"] != v.value:
                    entries.append(("value", v, old["value"], v.value, None))
                    result.changes.append(ValueChange(names[key], old["period"], old["value"], v.value))
                if old["target"] != v.target:
                    entries.append(("target", v, old["target"], v.target, None))
                if bool(old["restricted"]) != v.restricted:
                    entries.append(("restricted", v, bool(old["restricted"]), v.restricted, None))
                if len(entries) > before:
                    updates.append((old["id"], key, v))
                    result.changed += 1
                else:
                    result.unchanged += 1
            if added:
                result.new += len(added)
                ordered = sorted(added, key=lambda v: (v.end, v.start))
                span = (ordered[0].as_period.label if len(ordered) == 1
                        else f"{ordered[0].as_period.label} to {ordered[-1].as_period.label}")
                history.setdefault(key, []).append(("values_added", None, None, len(added), span))
            if not history.get(key):
                history.pop(key, None)
        return _Plan(result=result, new_measures=new_measures, measure_ids=measure_ids,
                     versions={r["id"]: r["version"] for r in existing.values()}, inserts=inserts, updates=updates,
                     history=history)

    def _apply(self, plan: _Plan, source: str) -> None:
        from accountability_tui.store.core import inserted_id, utc_now

        conn = self.store.db.conn
        now, who = utc_now(), self.store.who
        ids = dict(plan.measure_ids)
        versions: dict[str, int] = {}
        entries: list[tuple[Any, ...]] = []
        for key, record in plan.new_measures.items():
            columns = builtins.list(record)
            ids[key] = inserted_id(conn.execute(
                f"INSERT INTO measures ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                [record[c] for c in columns]))
            versions[key] = 1
            entries.append((ids[key], 1, now, "created", None, None, record["name"], None, source))
        for key in plan.history:
            if key in versions:
                continue
            measure_id = ids[key]
            versions[key] = plan.versions[measure_id] + 1
        conn.executemany(
            "UPDATE measures SET version = ?, updated_at = ? WHERE id = ?",
            [(version, now, ids[key]) for key, version in versions.items() if key not in plan.new_measures])
        conn.executemany(
            "INSERT INTO measure_values (measure_id, period, kind, period_start, period_end, value, target, source, "
            "restricted, demo, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ids[key], v.period, v.kind.value, v.start.isoformat(), v.end.isoformat(), v.value, v.target,
              v.source or source, int(v.restricted), int(v.demo), who, now) for key, v in plan.inserts])
        conn.executemany(
            "UPDATE measure_values SET value = ?, target = ?, source = ?, restricted = ?, demo = ?, imported_by = ?, "
            "imported_at = ? WHERE id = ?",
            [(v.value, v.target, v.source or source, int(v.restricted), int(v.demo), who, now, value_id)
             for value_id, _, v in plan.updates])
        for key, changes in plan.history.items():
            for name, v, old, new, note in changes:
                entries.append((ids[key], versions[key], now, name, v, _text(old), _text(new), note, source))
        self._history(entries)

    def _history(self, entries: builtins.list[tuple[Any, ...]]) -> None:
        """Append history rows: (measure_id, version, at, field, value or None, old, new, note, source)."""
        self.store.db.conn.executemany(
            "INSERT INTO measure_history (measure_id, version, at, who, field, period, period_start, period_end, "
            "old_value, new_value, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(measure_id, version, at, self.store.who, name,
              value.period if value is not None else None,
              value.start.isoformat() if value is not None else None,
              value.end.isoformat() if value is not None else None, old, new, note, source)
             for measure_id, version, at, name, value, old, new, note, source in entries])

    def add_demo(self, force: str, measures: Sequence[MeasureIn], periods: Sequence[Period],
                 figures: Sequence[Sequence[float]], *, source: str) -> int:
        """Demonstration measures of a force and their figures in bulk (demo-data: 200,000 figures in a second
        or two): measures[i] has figures[i][j] for periods[j]; measures and figures all flagged demo. Each measure's
        history says it was made and which figures it was given, as an import's does. Returns the figures added."""
        from accountability_tui.domain.records import MeasureIn, validated
        from accountability_tui.store.core import inserted_id, utc_now

        checked = [validated(MeasureIn, m, "measure") for m in measures]
        spans = [(p.written, p.kind.value, p.start.isoformat(), p.end.isoformat()) for p in periods]
        label = f"{periods[0].label} to {periods[-1].label}" if periods else ""
        now, who = utc_now(), self.store.who
        added = 0
        with self.store.write() as db:
            conn = db.conn
            history: list[tuple[Any, ...]] = []
            rows: list[tuple[Any, ...]] = []
            for m, row in zip(checked, figures, strict=True):
                measure_id = inserted_id(conn.execute(
                    "INSERT INTO measures (force, name, name_key, unit, direction, objective_id, priority_id, "
                    "baseline_value, baseline_period, baseline_source, baseline_note, target_value, target_note, "
                    "source_note, restricted, demo, position, version, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, 2, ?, ?)",
                    (force, m.name, measure_key(m.name), m.unit.value if m.unit else None,
                     m.direction.value if m.direction else None, m.objective_id, m.priority_id, m.baseline_value,
                     m.baseline_period, m.baseline_source, m.baseline_note, m.target_value, m.target_note,
                     m.source_note, m.position, now, now)))
                history.append((measure_id, 1, now, who, "created", None, None, None, None, m.name, None, source))
                history.append((measure_id, 2, now, who, "values_added", None, None, None, None, str(len(row)),
                                label, source))
                rows.extend((measure_id, *span, value, source, who, now) for span, value in zip(spans, row,
                                                                                                   strict=True))
                added += len(row)
            conn.executemany(
                "INSERT INTO measure_values (measure_id, period, kind, period_start, period_end, value, source, "
                "restricted, demo, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO measure_history (measure_id, version, at, who, field, period, period_start, period_end, "
                "old_value, new_value, note, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", history)
        return added

    # --- questions about a measure -----------------------------------------------------------------------------

    def link_question(self, question_id: int, measure_id: int | None, *, expected_version: int | None = None,
                      source: str = "app") -> bool:
        """Link a question to a measure (None: unlink it). A change of the question, as its other links are: a new
        version and a question_history entry (field 'measure_id', old and new measure ids, the measure's name as
        the note). Refused (Conflict) if expected_version is given and the question changed since. False when the
        question was linked so already."""
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            rows = self.store.query("SELECT version, measure_id FROM questions WHERE id = ?", (question_id,))
            if not rows:
                raise NotFound(f"no question with id {question_id}")
            version, current = rows[0]["version"], rows[0]["measure_id"]
            if expected_version is not None and version != expected_version:
                raise Conflict(f"question {question_id} was changed by someone else since you opened it; reload, "
                               "then link it again")
            if current == measure_id:
                return False
            label = self.get(measure_id).name if measure_id is not None else self.get(current).name
            now = utc_now()
            db.conn.execute("UPDATE questions SET measure_id = ?, version = ?, updated_at = ? WHERE id = ?",
                            (measure_id, version + 1, now, question_id))
            db.conn.execute(
                "INSERT INTO question_history (question_id, version, at, who, field, old_value, new_value, note, "
                "source) VALUES (?, ?, ?, ?, 'measure_id', ?, ?, ?, ?)",
                (question_id, version + 1, now, self.store.who, _text(current), _text(measure_id), label, source))
        return True

    def question_ids(self, measure_id: int) -> builtins.list[int]:
        """The questions about a measure, in the order they were made."""
        return [r["id"] for r in self.store.query("SELECT id FROM questions WHERE measure_id = ? ORDER BY id",
                                                  (measure_id,))]

    def measures_of_questions(self, question_ids: Iterable[int]) -> dict[int, int]:
        """question id -> the measure it is about, for those that are about one (one query)."""
        ids = sorted(set(question_ids))
        if not ids:
            return {}
        return {r["id"]: r["measure_id"] for r in self.store.query(
            "SELECT id, measure_id FROM questions WHERE measure_id IS NOT NULL AND id IN "
            "(SELECT value FROM json_each(?))", (json.dumps(ids),))}

