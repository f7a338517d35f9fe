"""Full-text search (FTS5) over actions, findings and questions.

What a person types is never passed to FTS5 as a query: it is split into words, each quoted as a string and
matched as a prefix, so `"`, `AND (`, `*` or `NEAR` are searched for as text and never raise a syntax error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from accountability_tui.domain.models import SearchHit

if TYPE_CHECKING:
    from accountability_tui.store.core import Store

_WORD = re.compile(r"\w+", re.UNICODE)


PREFIX_FROM = 3  # a word of at least this many characters also finds longer words ("vic" finds "victims")


def match_expression(text: str) -> str | None:
    """An FTS5 MATCH expression that finds every word typed, or None if nothing searchable.

    Words of three or more characters match as prefixes; shorter ones match whole words only (a one-letter
    prefix would match nearly everything, and slowly).
    """
    words = _WORD.findall(text or "")[:32]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' + ("*" if len(w) >= PREFIX_FROM else "") for w in words)


def matching(kind: str) -> str:
    """SQL for the ids of the records of one kind that match an expression (one ? parameter)."""
    code = {"action": 0, "finding": 1, "question": 2}[kind]
    return f"SELECT rowid / 4 FROM search WHERE search MATCH ? AND rowid % 4 = {code}"


class Search:
    def __init__(self, store: Store):
        self.store = store

    def find(self, text: str, *, limit: int = 50, kinds: tuple[str, ...] = ("action", "finding", "question")
             ) -> list[SearchHit]:
        expression = match_expression(text)
        if not expression:
            return []
        rows = self.store.query(
            "SELECT kind, item_id, snippet(search, 2, '', '', ' … ', 12) AS snippet FROM search "
            f"WHERE search MATCH ? AND kind IN ({', '.join('?' for _ in kinds)}) ORDER BY rank LIMIT ?",
            [expression, *kinds, limit])
        hits = []
        for r in rows:
            title = self._title(r["kind"], r["item_id"])
            hits.append(SearchHit(kind=r["kind"], item_id=r["item_id"], title=title, snippet=r["snippet"]))
        return hits

    def _title(self, kind: str, item_id: int) -> str:
        if kind == "action":
            row = self.store.query("SELECT p.code, a.ref, a.text FROM actions a JOIN plans p ON p.id = a.plan_id "
                                   "WHERE a.id = ?", (item_id,))
            return f"Action {row[0]['code']} {row[0]['ref']}: {row[0]['text']}" if row else f"Action {item_id}"
        if kind == "finding":
            row = self.store.query("SELECT ref, kind, text FROM findings WHERE id = ?", (item_id,))
            return f"Finding {row[0]['ref']}: {row[0]['text']}" if row else f"Finding {item_id}"
        row = self.store.query("SELECT text FROM questions WHERE id = ?", (item_id,))
        return f"Question {item_id}: {row[0]['text']}" if row else f"Question {item_id}"
