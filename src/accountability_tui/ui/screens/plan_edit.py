"""A plan's details as an officer keeps them: its code (an import names a plan after its file), its title, whether
it is the current plan, and the names of its themes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from accountability_tui.domain.errors import Conflict
from accountability_tui.domain.models import PlanRow
from accountability_tui.ui.screens.form import FormDialog
from accountability_tui.ui.widgets.app_footer import AppFooter
from accountability_tui.ui.widgets.text import content


class PlanEditScreen(FormDialog):
    """Returns the plan as saved."""

    DEFAULT_CSS = """
    PlanEditScreen { align: center middle; }
    PlanEditScreen > VerticalScroll { width: 90%; max-width: 110; height: 90%; border: thick $accent;
                                      background: $surface; padding: 0 1; }
    PlanEditScreen .row { height: auto; }
    PlanEditScreen .row > Vertical { height: auto; }
    PlanEditScreen #code-box { width: 30; }
    PlanEditScreen #title-box { width: 1fr; }
    PlanEditScreen #error { color: $error; height: auto; }
    PlanEditScreen Label { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="plan-edit.save"),
        Binding("escape", "cancel", "Cancel", id="plan-edit.cancel"),
    ]
    WHAT = "changes to the plan"

    def __init__(self, plan: PlanRow, themes: list[str]) -> None:
        super().__init__()
        self.plan = plan
        self.themes = themes
        self.draft_key = f"plan-edit:{plan.id}"

    def compose(self) -> ComposeResult:
        p = self.plan
        with VerticalScroll():
            yield Static(content(f"Plan {p.code} ({p.actions:,} actions)", style="bold"))
            with Horizontal(classes="row"):
                with Vertical(id="code-box"):
                    yield Label("Code")
                    yield Input(p.code, id="code", max_length=60)
                with Vertical(id="title-box"):
                    yield Label("Title")
                    yield Input(p.title, id="title", max_length=500)
            yield Label("The current plan (the dashboard and the lists open on it)")
            yield Select([("Yes: the current plan", "yes"), ("No", "no")], value="yes" if p.is_current else "no",
                         allow_blank=False, id="current")
            if self.themes:
                yield Label("Themes (rename one by editing it; a new theme is made by typing it in an action's Theme)")
                for n, theme in enumerate(self.themes):
                    yield Input(theme, id=f"theme-{n}", max_length=200)
            else:
                yield Static(content("No themes yet: type one in an action's Theme (a adds an action, e edits one).",
                                     style="dim"))
            yield Static("", id="error")
            yield Static(content("ctrl+s save · esc cancel · every change is kept in the plan's history",
                                 style="dim"))
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#code", Input).focus()
        self.form_ready()

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(content(f"Not saved: {message}. Your input is kept."))

    def action_save(self) -> None:
        code = self.query_one("#code", Input).value.strip()
        title = self.query_one("#title", Input).value.strip()
        if not code or not title:
            self.query_one("#error", Static).update(content("A plan needs a code and a title."))
            return
        renames = {old: self.query_one(f"#theme-{n}", Input).value.strip() for n, old in enumerate(self.themes)}
        current = self.query_one("#current", Select).value == "yes"
        self.spawn(self._save(code, title, current, renames), group="save", exclusive=True)

    async def _save(self, code: str, title: str, current: bool, renames: dict[str, str]) -> None:
        try:
            plan = await self.shell.db(self.services.plans.save, self.plan, code=code, title=title, current=current,
                                       themes=renames)
        except Conflict as exc:
            self.show_error(f"{exc}; esc and open the plan again to see their change")
            return
        self.saved(plan)
