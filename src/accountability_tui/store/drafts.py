"""Drafts of open forms: what an officer has typed and not yet saved, kept as they type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accountability_tui.store.core import Store


@dataclass(frozen=True, slots=True)
class Draft:
    key: str
    fields: dict[str, str]
    saved_at: str  # ISO, UTC


class Drafts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, key: str) -> Draft | None:
        """This officer's draft of the form `key`, if any."""
        rows = self.store.query("SELECT key, fields, saved_at FROM drafts WHERE key = ? AND who = ?",
                                (key, self.store.who))
        if not rows:
            return None
        fields = json.loads(rows[0]["fields"])
        return Draft(key=key, fields={str(k): str(v) for k, v in fields.items()}, saved_at=rows[0]["saved_at"])

    def save(self, key: str, fields: dict[str, str]) -> None:
        from accountability_tui.store.core import utc_now

        with self.store.write("drafts") as db:
            db.conn.execute("INSERT INTO drafts (key, who, fields, saved_at) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (key, who) DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at",
                            (key, self.store.who, json.dumps(fields, ensure_ascii=False, sort_keys=True), utc_now()))

    def discard(self, key: str) -> None:
        with self.store.write("drafts") as db:
            db.conn.execute("DELETE FROM drafts WHERE key = ? AND who = ?", (key, self.store.who))
