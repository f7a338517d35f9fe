"""Drafts of the forms an officer has open: kept as they type, offered again when the form opens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accountability_tui.store import Store
from accountability_tui.store.drafts import Drafts


@dataclass(frozen=True)
class Draft:
    fields: dict[str, str]
    saved_at: dt.datetime  # UTC


class DraftsService:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._drafts = Drafts(store)

    def get(self, key: str) -> Draft | None:
        found = self._drafts.get(key)
        return Draft(found.fields, dt.datetime.fromisoformat(found.saved_at)) if found else None

    def save(self, key: str, fields: dict[str, str]) -> None:
        """Keep what is typed (nothing, on a read-only database: there the form cannot be saved either)."""
        if not self._store.readonly:
            self._drafts.save(key, fields)

    def discard(self, key: str) -> None:
        if not self._store.readonly:
            self._drafts.discard(key)
