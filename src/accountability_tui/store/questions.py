"""Questions for the Chief Constable, their lifecycle and history."""

from __future__ import annotations

import builtins
import datetime as dt
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.cleaning import typed
from accountability_tui.domain.errors import Conflict, NotFound, ValidationFailed
from accountability_tui.domain.models import MAX_TEXT, QuestionRow, QuestionStatus
from accountability_tui.store.history import last_not_undone, undo_note

if TYPE_CHECKING:
    import sqlite_utils

    from accountability_tui.domain.records import QuestionIn
    from accountability_tui.store.core import Store

# Which status may follow which. "follow_up" means: answered, and a follow-up question was raised from it.
TRANSITIONS: dict[QuestionStatus, set[QuestionStatus]] = {
    QuestionStatus.DRAFT: {QuestionStatus.READY},
    QuestionStatus.READY: {QuestionStatus.DRAFT, QuestionStatus.ASKED},
    QuestionStatus.ASKED: {QuestionStatus.ANSWERED, QuestionStatus.READY},
    QuestionStatus.ANSWERED: {QuestionStatus.FOLLOW_UP, QuestionStatus.ASKED},
    QuestionStatus.FOLLOW_UP: {QuestionStatus.ANSWERED},
}

UNSET: Any = object()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def question_row(r: dict[str, Any]) -> QuestionRow:
    return QuestionRow(
        id=r["id"], text=r["text"], rationale=r["rationale"], priority_id=r["priority_id"],
        action_id=r["action_id"], finding_id=r["finding_id"], meeting_id=r["meeting_id"],
        follow_up_of=r["follow_up_of"], status=QuestionStatus(r["status"]), answer=r["answer"],
        answered_on=_date(r["answered_on"]), asking_order=r["asking_order"], demo=bool(r["demo"]),
        version=r["version"], created_by=r["created_by"], created_at=r["created_at"],
        measure_id=r.get("measure_id"))


class Questions:
    def __init__(self, store: Store):
        self.store = store

    def add(self, question: QuestionIn | dict[str, Any], *, source: str = "app") -> int:
        from accountability_tui.domain.records import QuestionIn, validated
        from accountability_tui.store.core import inserted_id, utc_now

        question = validated(QuestionIn, question, "question")
        now = utc_now()
        with self.store.write() as db:
            question_id = inserted_id(db.table("questions").insert({
                "text": question.text, "rationale": question.rationale, "priority_id": question.priority_id,
                "action_id": question.action_id, "finding_id": question.finding_id,
                "meeting_id": question.meeting_id, "follow_up_of": question.follow_up_of,
                "status": question.status.value, "demo": int(question.demo), "version": 1,
                "created_by": self.store.who, "created_at": now, "updated_at": now}))
            self._history(db, question_id, 1, now, source, [("created", None, question.status.value, None)])
            if question.follow_up_of is not None:
                original = self.get(question.follow_up_of)
                if original.status is QuestionStatus.ANSWERED:
                    self.update(original.id, original.version, status=QuestionStatus.FOLLOW_UP,
                                note=f"follow-up question {question_id} raised", source=source)
        return question_id

    def _history(self, db: sqlite_utils.Database, question_id: int, version: int, at: str, source: str,
                 entries: builtins.list[tuple[str, Any, Any, str | None]]) -> None:
        db.conn.executemany(
            "INSERT INTO question_history (question_id, version, at, who, field, old_value, new_value, note, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(question_id, version, at, self.store.who, name, None if old is None else str(old),
              None if new is None else str(new), note, source) for name, old, new, note in entries])

    def get(self, question_id: int) -> QuestionRow:
        rows = self.store.query("SELECT * FROM questions WHERE id = ?", (question_id,))
        if not rows:
            raise NotFound(f"no question with id {question_id}")
        return question_row(rows[0])

    def list(self, *, status: QuestionStatus | None = None, action_id: int | None = None,
             finding_id: int | None = None, meeting_id: int | None = None, text: str | None = None,
             follow_up_of: int | None = None, unplanned: bool = False, limit: int | None = None,
             offset: int = 0) -> list[QuestionRow]:
        """unplanned: only the questions not planned for any meeting."""
        where, params = self._where(status=status, action_id=action_id, finding_id=finding_id,
                                    meeting_id=meeting_id, text=text, follow_up_of=follow_up_of, unplanned=unplanned)
        page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
        return [question_row(r) for r in self.store.query(
            f"SELECT * FROM questions{where} ORDER BY asking_order IS NULL, asking_order, id{page}", params)]

    def count(self, **filters: Any) -> int:
        """How many questions list(**filters) would give."""
        where, params = self._where(**filters)
        return int(self.store.scalar(f"SELECT count(*) FROM questions{where}", params) or 0)

    @staticmethod
    def _where(*, status: QuestionStatus | None = None, action_id: int | None = None, finding_id: int | None = None,
               meeting_id: int | None = None, text: str | None = None, follow_up_of: int | None = None,
               unplanned: bool = False) -> tuple[str, builtins.list[Any]]:
        clauses: list[str] = ["meeting_id IS NULL"] if unplanned else []
        params: list[Any] = []
        for column, value in (("action_id", action_id), ("finding_id", finding_id), ("meeting_id", meeting_id),
                              ("follow_up_of", follow_up_of)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        if text:
            from accountability_tui.store.search import match_expression, matching

            expression = match_expression(text)
            if expression:
                clauses.append(f"id IN ({matching('question')})")
                params.append(expression)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def update(self, question_id: int, expected_version: int, *, text: Any = UNSET, rationale: Any = UNSET,
               priority_id: Any = UNSET, action_id: Any = UNSET, finding_id: Any = UNSET, meeting_id: Any = UNSET,
               status: QuestionStatus | None = None, answer: Any = UNSET, answered_on: Any = UNSET,
               note: str | None = None, source: str = "app") -> QuestionRow:
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            current = self.get(question_id)
            if current.version != expected_version:
                changes = [h for h in self.history(question_id) if h["version"] > expected_version]
                who = ", ".join(sorted({h["who"] for h in changes})) or "someone else"
                raise Conflict(f"question {question_id} was changed by {who} since you opened it; "
                               "reload to see their change, then apply yours again", changes)
            updates: dict[str, Any] = {}
            history: builtins.list[tuple[str, Any, Any, str | None]] = []
            if text is not UNSET:
                text = typed(text) or ""
                if not text:
                    raise ValidationFailed("the question needs some text")
                from accountability_tui.domain.records import QuestionIn, validated

                validated(QuestionIn, {"text": text}, "question")
            for name, value in (("text", text), ("rationale", rationale), ("priority_id", priority_id),
                                ("action_id", action_id), ("finding_id", finding_id), ("meeting_id", meeting_id),
                                ("answer", answer)):
                if value is UNSET:
                    continue
                if isinstance(value, str):
                    value = typed(value)
                if value != getattr(current, name):
                    updates[name] = value
                    history.append((name, getattr(current, name), value, None))
            if answered_on is not UNSET and answered_on != current.answered_on:
                updates["answered_on"] = answered_on.isoformat() if answered_on else None
            if status is not None and status is not current.status:
                if status not in TRANSITIONS[current.status]:
                    raise ValidationFailed(f"a {current.status.label.lower()} question cannot become "
                                           f"{status.label.lower()}")
                updates["status"] = status.value
                history.append(("status", current.status.value, status.value, note))
            if not history:
                return current
            now = utc_now()
            version = current.version + 1
            updates.update(version=version, updated_at=now)
            sets = ", ".join(f"{k} = ?" for k in updates)
            cursor = db.conn.execute(f"UPDATE questions SET {sets} WHERE id = ? AND version = ?",
                                     [*updates.values(), question_id, expected_version])
            if cursor.rowcount != 1:
                raise Conflict(f"question {question_id} was changed by someone else while saving; reload")
            self._history(db, question_id, version, now, source, history)
        return self.get(question_id)

    UNDOABLE = ("text", "rationale", "priority_id", "action_id", "finding_id", "meeting_id", "measure_id", "answer",
                "status")

    def last_change(self, question_id: int) -> dict[str, Any] | None:
        """The last change an officer can undo (its words, links, meeting, answer or status)."""
        marks = ", ".join("?" for _ in self.UNDOABLE)
        rows = self.store.query(f"SELECT * FROM question_history WHERE question_id = ? AND field IN ({marks}) "
                                "ORDER BY id DESC", (question_id, *self.UNDOABLE))
        return last_not_undone(rows, lambda r: (r["id"], r["note"]))

    def undo(self, question_id: int, expected_version: int, source: str = "app") -> dict[str, Any]:
        """Reverse the last change with a new one of its own (the history keeps both). A status goes back to what
        it was, whatever the lifecycle says (an undo is not a step of it). Returns the change undone."""
        from accountability_tui.store.core import utc_now

        with self.store.write() as db:
            current = self.get(question_id)
            if current.version != expected_version:
                raise Conflict(f"question {question_id} was changed by someone else since you looked; reload, then undo")
            last = self.last_change(question_id)
            if last is None:
                raise ValidationFailed(f"question {question_id} has no change to undo")
            field, old = last["field"], last["old_value"]
            why = undo_note(last["id"], field, last["at"], last["who"])
            value: Any = int(old) if old is not None and field.endswith("_id") else old
            if field == "text" and not value:
                raise ValidationFailed(f"question {question_id}: its first words cannot be undone")
            now = utc_now()
            version = current.version + 1
            db.conn.execute(f"UPDATE questions SET {field} = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?",
                            (value, version, now, question_id, expected_version))
            self._history(db, question_id, version, now, source, [(field, getattr(current, field).value
                                                                   if field == "status" else getattr(current, field),
                                                                   value, why)])
        return last

    def record_answer(self, question_id: int, expected_version: int, answer: str, answered_on: dt.date, *,
                      source: str = "app") -> QuestionRow:
        """Record the Chief Constable's answer. The question becomes answered (it was evidently asked)."""
        from accountability_tui.store.core import utc_now

        answer = typed(answer) or ""
        if not answer:
            raise ValidationFailed("write the answer first")
        if len(answer) > MAX_TEXT:
            raise ValidationFailed(f"the answer is too long ({len(answer):,} characters; at most {MAX_TEXT:,})")
        with self.store.write() as db:
            current = self.get(question_id)
            if current.version != expected_version:
                raise Conflict(f"question {question_id} was changed by someone else since you opened it; reload")
            history: builtins.list[tuple[str, Any, Any, str | None]] = [
                ("answer", current.answer, answer, None)]
            status = current.status
            if status in (QuestionStatus.DRAFT, QuestionStatus.READY, QuestionStatus.ASKED):
                status = QuestionStatus.ANSWERED
                history.insert(0, ("status", current.status.value, status.value, "answer recorded"))
            version = current.version + 1
            now = utc_now()
            db.conn.execute("UPDATE questions SET answer = ?, answered_on = ?, status = ?, version = ?, "
                            "updated_at = ? WHERE id = ? AND version = ?",
                            (answer, answered_on.isoformat(), status.value, version, now, question_id,
                             expected_version))
            self._history(db, question_id, version, now, source, history)
        return self.get(question_id)

    def follow_up(self, question_id: int, text: str, *, rationale: str | None = None) -> int:
        """Create a follow-up question linked to the original (which becomes 'follow_up' if it was answered)."""
        original = self.get(question_id)
        return self.add({"text": text, "rationale": rationale, "priority_id": original.priority_id,
                         "action_id": original.action_id, "finding_id": original.finding_id,
                         "follow_up_of": original.id})

    def answered_between(self, start: dt.date, end: dt.date) -> builtins.list[QuestionRow]:
        return [question_row(r) for r in self.store.query(
            "SELECT * FROM questions WHERE answered_on >= ? AND answered_on < ? ORDER BY answered_on, id",
            (start.isoformat(), end.isoformat()))]

    def set_order(self, question_ids: builtins.list[int]) -> None:
        """The asking order of a meeting's questions."""
        with self.store.write() as db:
            for order, question_id in enumerate(question_ids, start=1):
                db.conn.execute("UPDATE questions SET asking_order = ? WHERE id = ?", (order, question_id))

    def history(self, question_id: int) -> builtins.list[dict[str, Any]]:
        return self.store.query("SELECT * FROM question_history WHERE question_id = ? ORDER BY id", (question_id,))
