"""Undo, as the histories record it: an undo is a change of its own whose note names the change it undid, so
that undoing again goes further back and no history row is ever rewritten or removed."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
UNDO_MARK = re.compile(r"undo of change #(\d+)")


def undo_note(entry_id: int, field: str, at: str, who: str) -> str:
    """The note of an undo of history row entry_id."""
    return f"undo of change #{entry_id} ({field.replace('_id', '')}, {at[:16].replace('T', ' ')}, {who})"


def last_not_undone(entries: Sequence[T], key: Callable[[T], tuple[int, str | None]]) -> T | None:
    """The newest of these history rows (newest first) that is neither an undo nor undone; key gives a row's
    (id, note)."""
    undone: set[int] = set()
    for entry in entries:
        entry_id, note = key(entry)
        mark = UNDO_MARK.search(note or "")
        if mark:
            undone.add(int(mark.group(1)))
        elif entry_id not in undone:
            return entry
    return None
