"""What the officer decided about a meeting's briefing: items included or left out, their order, comments,
restricted items, overdue actions put forward for discussion, and free-text notes; and its approvals.

The candidate items of each section are worked out from the data (see services/briefing.py); a row here records only
the officer's decisions about one of them. A row is keyed by (meeting, section, the action, finding or question);
a note is a row of its own with its text.

An approval (briefing_approvals, append-only) records who approved a meeting's briefing, when, and the fingerprint
of what it contained then (services/briefing.py works it out; briefing/document.py says what goes into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.cleaning import typed
from accountability_tui.domain.errors import NotFound, ValidationFailed
from accountability_tui.domain.models import MAX_TEXT

if TYPE_CHECKING:
    from accountability_tui.store.core import Store

KINDS = ("action", "finding", "question")


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    section: str
    kind: str  # action | finding | question | note
    ref_id: int | None  # the action, finding or question (None for a note)
    text: str | None
    position: int
    included: bool
    restricted: bool
    comment: str | None
    discuss: bool
    public: bool = False  # a note or comment that goes into the public version

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.section, self.kind, self.ref_id if self.ref_id is not None else self.id)


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """One approval of a meeting's briefing, as recorded."""

    id: int
    meeting_id: int
    at: str  # ISO, UTC
    who: str
    fingerprint: str  # of what the briefing contained when it was approved
    source: str  # app | cli


def _approval(r: dict[str, Any]) -> ApprovalRow:
    return ApprovalRow(id=r["id"], meeting_id=r["meeting_id"], at=r["at"], who=r["who"], fingerprint=r["fingerprint"],
                       source=r["source"])


def _decision(r: dict[str, Any]) -> Decision:
    kind = next((k for k in KINDS if r[f"{k}_id"] is not None), "note")
    return Decision(id=r["id"], section=r["section"], kind=kind,
                    ref_id=r[f"{kind}_id"] if kind != "note" else None, text=r["text"], position=r["position"],
                    included=bool(r["included"]), restricted=bool(r["restricted"]), comment=r["comment"],
                    discuss=bool(r["discuss"]), public=bool(r.get("public", 0)))


class Briefings:
    def __init__(self, store: Store):
        self.store = store

    def decisions(self, meeting_id: int) -> dict[tuple[str, str, int], Decision]:
        rows = self.store.query("SELECT * FROM briefing_items WHERE meeting_id = ? ORDER BY id", (meeting_id,))
        return {d.key: d for d in map(_decision, rows)}

    def _row(self, meeting_id: int, section: str, kind: str, ref_id: int) -> int:
        """The id of the decision row for this item, made if it does not exist yet."""
        from accountability_tui.store.core import inserted_id

        if kind == "note":
            if not self.store.scalar("SELECT 1 FROM briefing_items WHERE id = ? AND meeting_id = ?",
                                     (ref_id, meeting_id)):
                raise NotFound(f"no note {ref_id} in this briefing")
            return ref_id
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        column = f"{kind}_id"
        existing = self.store.scalar(
            f"SELECT id FROM briefing_items WHERE meeting_id = ? AND section = ? AND {column} = ?",
            (meeting_id, section, ref_id))
        if existing is not None:
            return int(existing)
        cursor = self.store.conn.execute(
            f"INSERT INTO briefing_items (meeting_id, section, position, {column}) VALUES (?, ?, 0, ?)",
            (meeting_id, section, ref_id))
        return inserted_id(cursor)

    def set(self, meeting_id: int, section: str, kind: str, ref_id: int, **changes: Any) -> None:
        """Record a decision: included, restricted, discuss, public (booleans) or comment (text, '' to clear)."""
        allowed = {"included", "restricted", "discuss", "public", "comment"}
        if set(changes) - allowed:
            raise ValueError(f"cannot set {sorted(set(changes) - allowed)}")
        if "comment" in changes:
            comment = typed(changes["comment"])
            if comment and len(comment) > MAX_TEXT:
                raise ValidationFailed(f"the comment is too long ({len(comment):,} characters)")
            changes["comment"] = comment
        with self.store.write() as db:
            row_id = self._row(meeting_id, section, kind, ref_id)
            values = {k: int(v) if isinstance(v, bool) else v for k, v in changes.items()}
            if values:
                sets = ", ".join(f"{k} = ?" for k in values)
                db.conn.execute(f"UPDATE briefing_items SET {sets} WHERE id = ?", (*values.values(), row_id))

    def add_note(self, meeting_id: int, text: str, section: str = "notes") -> int:
        from accountability_tui.store.core import inserted_id

        text = typed(text) or ""
        if not text:
            raise ValidationFailed("the note is empty")
        if len(text) > MAX_TEXT:
            raise ValidationFailed(f"the note is too long ({len(text):,} characters)")
        with self.store.write() as db:
            last = self.store.scalar("SELECT max(position) FROM briefing_items WHERE meeting_id = ? AND section = ?",
                                     (meeting_id, section)) or 0
            cursor = db.conn.execute("INSERT INTO briefing_items (meeting_id, section, position, text) "
                                     "VALUES (?, ?, ?, ?)", (meeting_id, section, int(last) + 1, text))
            return inserted_id(cursor)

    def edit_note(self, meeting_id: int, note_id: int, text: str) -> None:
        text = typed(text) or ""
        if not text:
            raise ValidationFailed("the note is empty")
        with self.store.write() as db:
            db.conn.execute("UPDATE briefing_items SET text = ? WHERE id = ? AND meeting_id = ? AND text IS NOT NULL",
                            (text, note_id, meeting_id))

    def delete_note(self, meeting_id: int, note_id: int) -> None:
        with self.store.write() as db:
            db.conn.execute("DELETE FROM briefing_items WHERE id = ? AND meeting_id = ? AND text IS NOT NULL",
                            (note_id, meeting_id))

    def reorder(self, meeting_id: int, section: str, keys: list[tuple[str, int]]) -> None:
        """Give the items of a section this order: keys are (kind, id) in the order wanted."""
        with self.store.write() as db:
            for position, (kind, ref_id) in enumerate(keys, start=1):
                row_id = self._row(meeting_id, section, kind, ref_id)
                db.conn.execute("UPDATE briefing_items SET position = ? WHERE id = ?", (position, row_id))

    # --- approvals ---------------------------------------------------------------------------------------------

    def approve(self, meeting_id: int, fingerprint: str, *, source: str = "app") -> ApprovalRow:
        """Record that the acting person approved the meeting's briefing as it is now (its fingerprint). Who may
        approve is the services' rule (services/briefing.py asks for an approver before calling this)."""
        from accountability_tui.store.core import inserted_id, utc_now

        if len(fingerprint) != 64:
            raise ValueError("an approval's fingerprint is a sha256 in hex")
        with self.store.write("approval") as db:
            if not self.store.scalar("SELECT 1 FROM meetings WHERE id = ?", (meeting_id,)):
                raise NotFound(f"no meeting {meeting_id}")
            cursor = db.conn.execute(
                "INSERT INTO briefing_approvals (meeting_id, at, who, fingerprint, source) VALUES (?, ?, ?, ?, ?)",
                (meeting_id, utc_now(), self.store.who, fingerprint, source))
            row_id = inserted_id(cursor)
        return _approval(self.store.query("SELECT * FROM briefing_approvals WHERE id = ?", (row_id,))[0])

    def approvals(self, meeting_id: int) -> list[ApprovalRow]:
        """Every approval of the meeting's briefing, oldest first."""
        return [_approval(r) for r in self.store.query(
            "SELECT * FROM briefing_approvals WHERE meeting_id = ? ORDER BY id", (meeting_id,))]

    def latest_approval(self, meeting_id: int) -> ApprovalRow | None:
        rows = self.store.query("SELECT * FROM briefing_approvals WHERE meeting_id = ? ORDER BY id DESC LIMIT 1",
                                (meeting_id,))
        return _approval(rows[0]) if rows else None
