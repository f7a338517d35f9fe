"""Plans as an officer keeps them: a new code or title, the current plan, its themes renamed."""

from __future__ import annotations

from accountability_tui.domain.cleaning import typed
from accountability_tui.domain.errors import NotFound, ValidationFailed
from accountability_tui.domain.models import HistoryEntry, PlanRow
from accountability_tui.store import Store


class PlansService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def get(self, code: str) -> PlanRow:
        return self._store.plans.get(code)

    def every(self) -> list[PlanRow]:
        """Every plan, the current one first."""
        return self._store.plans.list()

    def themes(self, code: str) -> list[str]:
        """The plan's themes, in the order they first appear."""
        return self._store.actions.themes(self._store.plans.get(code).id)

    def history(self, code: str) -> list[HistoryEntry]:
        return self._store.plans.history(self._store.plans.get(code).id)

    def rename(self, plan: PlanRow, *, code: str | None = None, title: str | None = None,
               source: str = "app") -> PlanRow:
        """A new code and/or title (Conflict if someone else changed the plan since it was read)."""
        return self._store.plans.rename(plan.id, plan.version, code=code, title=title, source=source)

    def set_current(self, code: str, source: str = "app") -> PlanRow:
        """Make the plan the current one (the dashboard and the lists open on it)."""
        self._store.plans.set_current(code, source=source)
        return self._store.plans.get(code)

    def rename_theme(self, code: str, old: str, new: str, source: str = "app") -> int:
        """Rename a theme of the plan: every action under it changes, each with its history entry; a name another
        theme has merges the two. Returns how many actions changed."""
        store = self._store
        plan = store.plans.get(code)
        new = (typed(new) or "").strip()
        if not new:
            raise ValidationFailed("a theme needs a name")
        if len(new) > 200:
            raise ValidationFailed("the theme's name is too long (at most 200 characters)")
        with store.write():
            if old not in store.actions.themes(plan.id):
                themes = "; ".join(store.actions.themes(plan.id)) or "none"
                raise NotFound(f"plan {plan.code} has no theme {old!r} (its themes: {themes})")
            if new == old:
                return 0
            changed = store.actions.rename_theme(plan.id, old, new, source=source)
            store.plans.record_theme_renamed(plan.id, old, new, changed, source)
        return changed

    def save(self, plan: PlanRow, *, code: str, title: str, current: bool, themes: dict[str, str],
             source: str = "app") -> PlanRow:
        """The plan dialog's save, all or nothing: a new code or title (Conflict if someone else changed the plan
        since it was read), made current, themes renamed (old name -> new name)."""
        store = self._store
        with store.write():
            saved = store.plans.rename(plan.id, plan.version, code=code, title=title, source=source)
            if current and not saved.is_current:
                store.plans.set_current(saved.code, source=source)
            for old, new in themes.items():
                if new.strip() and new.strip() != old:
                    self.rename_theme(saved.code, old, new, source=source)
        return store.plans.by_id(plan.id)
