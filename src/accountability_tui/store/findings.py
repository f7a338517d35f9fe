"""HMICFRS inspections, their grades, findings and the findings' links to actions."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.cleaning import typed
from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import FindingKind, FindingRow, FindingStatus
from accountability_tui.store.history import last_not_undone, undo_note

if TYPE_CHECKING:
    from accountability_tui.domain.records import FindingIn, InspectionIn
    from accountability_tui.store.core import Store

_SELECT = """
SELECT f.*, i.code AS inspection_code, i.title AS inspection_title, i.published AS inspection_published
FROM findings f JOIN inspections i ON i.id = f.inspection_id
"""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def finding_row(r: dict[str, Any]) -> FindingRow:
    return FindingRow(
        id=r["id"], inspection_id=r["inspection_id"], inspection_code=r["inspection_code"],
        inspection_title=r["inspection_title"], inspection_published=_date(r["inspection_published"]), ref=r["ref"],
        kind=FindingKind(r["kind"]), area=r["area"], text=r["text"], status=FindingStatus(r["status"]),
        closed_on=_date(r["closed_on"]), closed_how=r["closed_how"], source=r["source"], demo=bool(r["demo"]),
        version=r["version"])


class Findings:
    def __init__(self, store: Store):
        self.store = store

    # --- inspections -----------------------------------------------------------------------------------------

    def add_inspection(self, inspection: InspectionIn | dict[str, Any]) -> int:
        from accountability_tui.domain.records import InspectionIn, validated
        from accountability_tui.store.core import inserted_id

        inspection = validated(InspectionIn, inspection, "inspection")
        with self.store.write() as db:
            record = {"code": inspection.code, "kind": inspection.kind, "title": inspection.title,
                      "force": inspection.force, "inspected": inspection.inspected,
                      "published": inspection.published.isoformat() if inspection.published else None,
                      "source": inspection.source, "demo": int(inspection.demo)}
            existing = self.store.scalar("SELECT id FROM inspections WHERE code = ?", (inspection.code,))
            if existing:
                db.table("inspections").update(existing, record)
                inspection_id = int(existing)
            else:
                inspection_id = inserted_id(db.table("inspections").insert(record))
            for position, (area, grade) in enumerate(inspection.grades, start=1):
                db.conn.execute(
                    "INSERT INTO inspection_grades (inspection_id, position, area, grade) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (inspection_id, area) DO UPDATE SET grade = excluded.grade, "
                    "position = excluded.position", (inspection_id, position, area, grade.value))
        return inspection_id

    def inspections(self, force: str | None = None) -> list[dict[str, Any]]:
        where, params = (" WHERE force = ?", (force,)) if force is not None else ("", ())
        rows = self.store.query(f"SELECT * FROM inspections{where} ORDER BY published DESC, id DESC", params)
        grades: dict[int, list[tuple[str, str]]] = {}
        for g in self.store.query(f"SELECT inspection_id, area, grade FROM inspection_grades WHERE inspection_id IN "
                                  f"(SELECT id FROM inspections{where}) ORDER BY position", params):
            grades.setdefault(g["inspection_id"], []).append((g["area"], g["grade"]))
        for row in rows:
            row["grades"] = grades.get(row["id"], [])
            row["published"] = _date(row["published"])
            row["s55_published_on"] = _date(row.get("s55_published_on"))
        return rows

    def inspection(self, inspection_id: int) -> dict[str, Any]:
        """One inspection, with its grades (as inspections() gives them)."""
        rows = self.store.query("SELECT * FROM inspections WHERE id = ?", (inspection_id,))
        if not rows:
            raise NotFound(f"no inspection with id {inspection_id}")
        row = rows[0]
        row["grades"] = [(g["area"], g["grade"]) for g in self.store.query(
            "SELECT area, grade FROM inspection_grades WHERE inspection_id = ? ORDER BY position", (inspection_id,))]
        row["published"] = _date(row["published"])
        row["s55_published_on"] = _date(row.get("s55_published_on"))
        return row

    def set_s55_response(self, inspection_id: int, published_on: dt.date | None, link: str | None) -> None:
        """When (and where) the PCC published the response to the report under section 55 (None: not yet)."""
        with self.store.write() as db:
            db.conn.execute("UPDATE inspections SET s55_published_on = ?, s55_link = ? WHERE id = ?",
                            (published_on.isoformat() if published_on else None, typed(link), inspection_id))

    def inspection_id(self, code: str) -> int:
        value = self.store.scalar("SELECT id FROM inspections WHERE code = ?", (code,))
        if value is None:
            raise NotFound(f"no inspection {code!r}")
        return int(value)

    # --- findings --------------------------------------------------------------------------------------------

    def add(self, inspection_id: int, finding: FindingIn | dict[str, Any]) -> int:
        from accountability_tui.domain.records import FindingIn, validated
        from accountability_tui.store.core import inserted_id, utc_now

        finding = validated(FindingIn, finding, "finding")
        now = utc_now()
        record = {"inspection_id": inspection_id, "ref": finding.ref, "kind": finding.kind.value,
                  "area": finding.area, "text": finding.text, "status": finding.status.value,
                  "closed_on": finding.closed_on.isoformat() if finding.closed_on else None,
                  "closed_how": finding.closed_how, "source": finding.source, "demo": int(finding.demo)}
        with self.store.write() as db:
            existing = self.store.scalar("SELECT id FROM findings WHERE inspection_id = ? AND ref = ?",
                                         (inspection_id, finding.ref))
            if existing:
                db.table("findings").update(existing, {**record, "updated_at": now})
                return int(existing)
            finding_id = inserted_id(db.table("findings").insert({**record, "version": 1, "created_at": now,
                                                                  "updated_at": now}))
            db.conn.execute(
                "INSERT INTO finding_history (finding_id, version, at, who, field, new_value, source) "
                "VALUES (?, 1, ?, ?, 'created', ?, 'app')", (finding_id, now, self.store.who, finding.status.value))
        return finding_id

    def get(self, finding_id: int) -> FindingRow:
        rows = self.store.query(_SELECT + " WHERE f.id = ?", (finding_id,))
        if not rows:
            raise NotFound(f"no finding with id {finding_id}")
        return finding_row(rows[0])

    def list(self, *, kind: FindingKind | None = None, status: FindingStatus | None = None,
             open_only: bool = False, inspection_id: int | None = None, text: str | None = None,
             force: str | None = None, limit: int | None = None, offset: int = 0) -> list[FindingRow]:
        where, params = self._where(kind=kind, status=status, open_only=open_only, inspection_id=inspection_id,
                                    text=text, force=force)
        order = (" ORDER BY i.published DESC, CASE f.kind WHEN 'cause_of_concern' THEN 0 WHEN 'recommendation' "
                 "THEN 1 ELSE 2 END, f.ref")
        if limit is not None:
            order += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [finding_row(r) for r in self.store.query(_SELECT + where + order, params)]

    def count(self, **filters: Any) -> int:
        """How many findings list(**filters) would give."""
        where, params = self._where(**filters)
        return int(self.store.scalar("SELECT count(*) FROM findings f JOIN inspections i ON i.id = f.inspection_id"
                                     + where, params) or 0)

    @staticmethod
    def _where(*, kind: FindingKind | None = None, status: FindingStatus | None = None, open_only: bool = False,
               inspection_id: int | None = None, text: str | None = None, force: str | None = None
               ) -> tuple[str, builtins.list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if force is not None:
            clauses.append("i.force = ?")
            params.append(force)
        if kind is not None:
            clauses.append("f.kind = ?")
            params.append(kind.value)
        if status is not None:
            clauses.append("f.status = ?")
            params.append(status.value)
        if open_only:
            clauses.append("f.status <> 'closed'")
        if inspection_id is not None:
            clauses.append("f.inspection_id = ?")
            params.append(inspection_id)
        if text:
            from accountability_tui.store.search import match_expression, matching

            expression = match_expression(text)
            if expression:
                clauses.append(f"f.id IN ({matching('finding')})")
                params.append(expression)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def closed_between(self, start: dt.date, end: dt.date, force: str | None = None
                       ) -> builtins.list[FindingRow]:
        where = " AND i.force = ?" if force is not None else ""
        return [finding_row(r) for r in self.store.query(
            _SELECT + f" WHERE f.closed_on >= ? AND f.closed_on < ?{where} ORDER BY f.closed_on, f.id",
            (start.isoformat(), end.isoformat(), *((force,) if force is not None else ())))]

    def counts(self) -> dict[str, int]:
        counts = {k.value: 0 for k in FindingKind}
        for r in self.store.query("SELECT kind, count(*) AS n FROM findings GROUP BY kind"):
            counts[r["kind"]] = r["n"]
        return counts

    def open_counts(self) -> dict[str, int]:
        counts = {k.value: 0 for k in FindingKind}
        for r in self.store.query("SELECT kind, count(*) AS n FROM findings WHERE status <> 'closed' GROUP BY kind"):
            counts[r["kind"]] = r["n"]
        return counts

    def update_status(self, finding_id: int, expected_version: int, status: FindingStatus, *,
                      note: str | None = None, closed_on: dt.date | None = None, closed_how: str | None = None,
                      source: str = "app") -> FindingRow:
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            current = self.get(finding_id)
            if current.version != expected_version:
                raise Conflict(f"finding {current.ref} was changed by someone else since you opened it; reload")
            if status is current.status:
                return current
            now = utc_now()
            updates: dict[str, Any] = {"status": status.value, "version": current.version + 1, "updated_at": now}
            note, closed_how = typed(note), typed(closed_how)
            if status is FindingStatus.CLOSED:
                updates["closed_on"] = (closed_on or dt.date.today()).isoformat()
                updates["closed_how"] = closed_how
            else:
                updates["closed_on"] = None
                updates["closed_how"] = None
            sets = ", ".join(f"{k} = ?" for k in updates)
            db.conn.execute(f"UPDATE findings SET {sets} WHERE id = ? AND version = ?",
                            [*updates.values(), finding_id, expected_version])
            db.conn.execute(
                "INSERT INTO finding_history (finding_id, version, at, who, field, old_value, new_value, note, source) "
                "VALUES (?, ?, ?, ?, 'status', ?, ?, ?, ?)",
                (finding_id, current.version + 1, now, self.store.who, current.status.value, status.value,
                 note or closed_how, source))
        return self.get(finding_id)

    def history(self, finding_id: int) -> builtins.list[dict[str, Any]]:
        return self.store.query("SELECT * FROM finding_history WHERE finding_id = ? ORDER BY id", (finding_id,))

    def last_change(self, finding_id: int) -> dict[str, Any] | None:
        """The last change of status, which undo reverses."""
        rows = self.store.query("SELECT * FROM finding_history WHERE finding_id = ? AND field = 'status' "
                                "ORDER BY id DESC", (finding_id,))
        return last_not_undone(rows, lambda r: (r["id"], r["note"]))

    def undo(self, finding_id: int, expected_version: int, source: str = "app") -> dict[str, Any]:
        """Put the status back as it was before its last change, with a new history entry. Returns the change
        undone."""
        with self.store.write():
            current = self.get(finding_id)
            last = self.last_change(finding_id)
            if last is None or not last["old_value"]:
                raise ValidationFailed(f"finding {current.ref} has no change to undo")
            why = undo_note(last["id"], "status", last["at"], last["who"])
            status = FindingStatus(last["old_value"])
            closed_on, how = None, None
            if status is FindingStatus.CLOSED:  # closed again as it was closed before
                closure = self.store.query(
                    "SELECT at, note FROM finding_history WHERE finding_id = ? AND field = 'status' "
                    "AND new_value = 'closed' AND id < ? ORDER BY id DESC LIMIT 1", (finding_id, last["id"]))
                closed_on = dt.date.fromisoformat(closure[0]["at"][:10]) if closure else None
                how = closure[0]["note"] if closure else None
            self.update_status(finding_id, expected_version, status, note=why, closed_on=closed_on,
                               closed_how=how, source=source)
        return last

    # --- links to actions ------------------------------------------------------------------------------------

    def link(self, finding_id: int, action_id: int, *, history: bool = True) -> bool:
        """Link a finding and an action. Returns False if they were already linked. history=False: a link that is
        part of the data as it came (the seed's, from the documents), not an officer's change."""
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            cursor = db.conn.execute(
                "INSERT OR IGNORE INTO finding_actions (finding_id, action_id, linked_at, linked_by) "
                "VALUES (?, ?, ?, ?)", (finding_id, action_id, utc_now(), self.store.who))
            if cursor.rowcount != 1:
                return False
            if history:
                self.store.actions.record_link(action_id, finding_id, self._label(finding_id), linked=True)
            return True

    def unlink(self, finding_id: int, action_id: int) -> bool:
        """Remove a link; the action's history says so (and undo can link it again)."""
        with self.store.write() as db:
            cursor = db.conn.execute("DELETE FROM finding_actions WHERE finding_id = ? AND action_id = ?",
                                     (finding_id, action_id))
            if cursor.rowcount != 1:
                return False
            self.store.actions.record_link(action_id, finding_id, self._label(finding_id), linked=False)
            return True

    def _label(self, finding_id: int) -> str:
        f = self.get(finding_id)
        return f"{f.inspection_code} {f.ref}"

    def for_action(self, action_id: int) -> builtins.list[FindingRow]:
        return [finding_row(r) for r in self.store.query(
            _SELECT + " JOIN finding_actions fa ON fa.finding_id = f.id WHERE fa.action_id = ? ORDER BY f.id",
            (action_id,))]

    def get_many(self, finding_ids: builtins.list[int]) -> dict[int, FindingRow]:
        """Findings by id, in one query."""
        if not finding_ids:
            return {}
        marks = ", ".join("?" for _ in set(finding_ids))
        return {r["id"]: finding_row(r) for r in self.store.query(_SELECT + f" WHERE f.id IN ({marks})",
                                                                  list(set(finding_ids)))}

    def linked_action_ids_of(self, finding_ids: builtins.list[int]) -> dict[int, builtins.list[int]]:
        """linked_action_ids() of many findings, in one query."""
        if not finding_ids:
            return {}
        marks = ", ".join("?" for _ in finding_ids)
        linked: dict[int, list[int]] = {}
        for r in self.store.query(f"SELECT finding_id, action_id FROM finding_actions WHERE finding_id IN ({marks}) "
                                  "ORDER BY action_id", list(finding_ids)):
            linked.setdefault(r["finding_id"], []).append(r["action_id"])
        return linked

    def linked_action_ids(self, finding_id: int) -> builtins.list[int]:
        return [r["action_id"] for r in self.store.query(
            "SELECT action_id FROM finding_actions WHERE finding_id = ? ORDER BY action_id", (finding_id,))]
