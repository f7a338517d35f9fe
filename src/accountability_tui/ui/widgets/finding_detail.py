"""The detail of one HMICFRS finding: its text, inspection, section 55 deadline, links, grades and history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from accountability_tui.domain.models import Grade, section55_deadline
from accountability_tui.services.findings import FindingDetailData
from accountability_tui.ui.widgets.text import change_line, clean, date_text, status_as_at

if TYPE_CHECKING:
    from accountability_tui.ui.shell import Shell


def section55_text(published: dt.date | None, as_of: dt.date, response: dt.date | None = None,
                   link: str | None = None) -> str:
    if response is not None:
        return f"Section 55 response published on {date_text(response)}{' — ' + link if link else ''}"
    deadline = section55_deadline(published)
    if deadline is None:
        return "Section 55 response: the report's publication date is not recorded"
    days = (deadline - as_of).days
    when = (f"{days} days left" if days > 0 else "due today" if days == 0 else f"passed {-days} days ago")
    return f"Section 55 response due {date_text(deadline)} (published {date_text(published)} + 56 days): {when}"


def _section(title: str) -> Content:
    return Content(f"\n{title}\n").stylize("bold")


class FindingDetail(VerticalScroll):
    DEFAULT_CSS = """
    FindingDetail { height: 1fr; border-top: solid $primary; padding: 0 1; }
    """
    can_focus = True

    def compose(self):
        yield Static("", id="finding-body")

    def show_empty(self, message: str) -> None:
        self.query_one("#finding-body", Static).update(Content(message))

    def show(self, data: FindingDetailData, as_of: dt.date) -> None:
        f = data.finding
        i = data.inspection
        closed = (f"\nClosed {date_text(f.closed_on)}: {clean(f.closed_how) if f.closed_how else 'how not recorded'}"
                  if f.closed_on else "")
        parts = [
            Content(clean(f"{f.inspection_code} {f.ref} — {f.kind.label} — {f.status.label}", one_line=True)
                    + "\n").stylize("bold"),
            Content(clean(f.text) + "\n"),
            Content(f"Area: {clean(f.area) if f.area else 'not stated'}{closed}\n"),
            Content(f"Source: {clean(f.source) if f.source else '—'}\n"),
            _section(f"Inspection: {clean(i['title'], one_line=True)}"),
            Content(f"{clean(i['kind'])}, inspected {clean(i['inspected']) if i['inspected'] else '—'}, published "
                    f"{date_text(i['published']) if i['published'] else 'date not recorded'}\n"
                    f"{clean(section55_text(i['published'], as_of, i.get('s55_published_on'), i.get('s55_link')))}\n"),
        ]
        parts.append(_section(f"Linked actions ({len(data.actions)})"))
        stale_days = cast("Shell", self.app).services.stale_days  # the officer's setting
        parts.append(Content("\n".join(
            f"• {a.plan_code} {a.ref} [{status_as_at(a, as_of, days=stale_days)}"
            f"{', due ' + date_text(a.due) if a.due else ''}"
            f"{', ' + str(a.days_overdue(as_of)) + ' days overdue' if a.days_overdue(as_of) else ''}]: "
            f"{clean(a.text, one_line=True, limit=200)}" for a in data.actions) or "None. Press l to link one."))
        parts.append(_section(f"Questions for the Chief Constable ({len(data.questions)})"))
        parts.append(Content("\n".join(f"• [{q.status.label}] {clean(q.text, one_line=True, limit=200)}"
                                       for q in data.questions) or "None. Press n to draft one."))
        if i["grades"]:  # the inspection's whole grade table, the same for each of its findings: after the links
            parts.append(_section("Grades"))
            parts.append(Content("\n".join(f"  {Grade(g).label:<22} {clean(area)}" for area, g in i["grades"])))
        parts.append(_section(f"History ({len(data.history)})"))
        parts.append(Content("\n".join(change_line(h, {"status": "status"}) for h in reversed(data.history))))
        self.query_one("#finding-body", Static).update(Content("").join(parts))
        self.scroll_home(animate=False)
