"""Reading cell values as written in other people's tables: statuses by their start, RAG ratings."""

from __future__ import annotations

import re

from accountability_tui.domain.models import Rag, Status

_STATUS_STARTS: list[tuple[str, Status]] = [
    # longest first, so "not started" is never read as "started"
    ("not yet started", Status.NOT_STARTED),
    ("not started", Status.NOT_STARTED),
    ("yet to start", Status.NOT_STARTED),
    ("not begun", Status.NOT_STARTED),
    ("pending", Status.NOT_STARTED),
    ("planned", Status.NOT_STARTED),
    ("completed", Status.COMPLETE),
    ("complete", Status.COMPLETE),
    ("done", Status.COMPLETE),
    ("closed", Status.COMPLETE),
    ("achieved", Status.COMPLETE),
    ("delivered", Status.COMPLETE),
    ("in progress", Status.IN_PROGRESS),
    ("in-progress", Status.IN_PROGRESS),
    ("inprogress", Status.IN_PROGRESS),
    ("under way", Status.IN_PROGRESS),
    ("underway", Status.IN_PROGRESS),
    ("ongoing", Status.IN_PROGRESS),
    ("on-going", Status.IN_PROGRESS),
    ("started", Status.IN_PROGRESS),
    ("on track", Status.IN_PROGRESS),
]


def read_status(text: str | None) -> Status | None:
    """The status a source string means, by how it starts ('Not started yet – phase 2' -> not_started).

    None when it cannot be read: the caller records `unknown` and warns; it never guesses.
    """
    value = re.sub(r"\s+", " ", (text or "").strip().lower())
    value = value.replace("_", " ")
    if not value:
        return None
    for start, status in _STATUS_STARTS:
        if value.startswith(start):
            return status
    for status in Status:
        if value == status.value.replace("_", " "):
            return status
    return None


_RAG = {"r": Rag.RED, "red": Rag.RED, "a": Rag.AMBER, "amber": Rag.AMBER, "g": Rag.GREEN, "green": Rag.GREEN,
        "blue": Rag.GREEN, "b": Rag.GREEN}  # BRAG trackers use blue for complete: green in RAG terms


def read_rag(text: str | None) -> tuple[Rag | None, bool]:
    """(rating, understood). A blank cell is understood as no rating."""
    value = (text or "").strip().lower()
    if not value:
        return None, True
    if value in _RAG:
        return _RAG[value], True
    # "Amber/Red", "Red - significantly delayed": take the worst colour named
    named = [rag for word, rag in _RAG.items() if len(word) > 1 and re.search(rf"\b{word}\b", value)]
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rag in named:
            return rag, True
    return None, False
