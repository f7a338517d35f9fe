"""Text from the data, made safe to show: never markup, never a terminal control sequence.

Every piece of imported or typed text reaches the screen through these helpers: Rich `Text` for tables and
lists, Textual `Content` for Static widgets. Neither is parsed as markup, so `[bold]` or `[@click=app.quit]` show
literally and can never trigger anything; control characters (ESC and friends, bidirectional overrides) are shown
as visible placeholders instead of being sent to the terminal.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

from accountability_tui.domain.cleaning import CONTROL


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL, ...
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def clean(value: object | None, *, one_line: bool = False, limit: int | None = None) -> str:
    """The text, with control characters made visible; optionally on one line and cut to a length."""
    text = "" if value is None else str(value)
    if one_line:
        text = " ".join(text.split())
    else:
        text = text.replace("\t", "    ")
    text = CONTROL.sub(_visible, text)
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text


def cell(value: object | None, *, style: str = "", justify: str | None = None, limit: int | None = 300) -> Text:
    """A one-line table cell."""
    return Text(clean(value, one_line=True, limit=limit), style=style, no_wrap=True, overflow="ellipsis",
                justify=justify)  # type: ignore[arg-type]


def content(value: object | None, *, style: str = "") -> Content:
    """Plain content for a Static: shown as written, never parsed as markup."""
    result = Content(clean(value))
    return result.stylize(style) if style else result


def change_line(h: dict, names: dict[str, str] | None = None) -> str:
    """One row of a finding's or question's history: when, who, what changed (old → new), and its note."""
    field = h["field"]
    what = (names or {}).get(field, field.replace("_", " "))
    if field != "created":
        what += (f": {clean(h['old_value'] or '—', one_line=True, limit=60)} → "
                 f"{clean(h['new_value'] or '—', one_line=True, limit=60)}")
    note = f" — {clean(h['note'], one_line=True, limit=300)}" if h.get("note") else ""
    return f"{h['at'][:16].replace('T', ' ')}  {clean(h['who'])}  {what}{note}"


def count(n: int, thing: str, things: str | None = None) -> str:
    """'1 finding', '2 findings', '1,000 actions'."""
    return f"{n:,} {thing if n == 1 else things or thing + 's'}"


def date_text(value) -> str:
    return value.strftime("%-d %b %Y") if value else "—"


def status_as_at(action, as_of, *, days: int, explain: bool = False) -> str:
    """An action's status with the date it was reported, flagged when stale (domain.md, "Staleness"): not
    reported for more than `days` (the officer's stale_days, services.stale_days) before as_of.
    'In progress, as at 2 Feb 2023 (stale)'. The briefing says the same in briefing.document.status_as_at."""
    if action.status_as_at is None:
        return action.status.label
    stale = ("" if not action.stale(as_of, days=days) else
             f" (stale: no update for over {days} days)" if explain else " (stale)")
    return f"{action.status.label}, as at {date_text(action.status_as_at)}{stale}"
