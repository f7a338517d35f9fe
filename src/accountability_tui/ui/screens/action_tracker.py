"""Keeping the tracker from the actions screen: add an action (a), withdraw one (w), the plan's details (P)."""

from __future__ import annotations

from typing import Any

from accountability_tui.domain.errors import Conflict
from accountability_tui.domain.models import ActionRow, PlanRow, Status


class TrackerKeys:
    """A mixin for the actions screen (ActionsScreen): its selected action, spec, keep, select_id, shell."""

    def action_new_action(self) -> None:
        screen: Any = self
        screen.spawn(self._new_action())

    async def _new_action(self) -> None:
        from accountability_tui.ui.screens.action_new import ActionNewScreen

        screen: Any = self
        plans = await screen.shell.db(screen.services.plans.every)

        def done(action_id: int | None) -> None:
            if action_id:
                screen.keep.add(action_id)
                screen.select_id = action_id
                screen.app.notify("Action added", markup=False)
                screen.shell.data_changed()

        screen.app.push_screen(ActionNewScreen(plans, screen.spec.plan_code), done)

    def action_withdraw(self) -> None:
        from accountability_tui.ui.screens.confirm import ConfirmScreen
        from accountability_tui.ui.screens.text_prompt import ProsePrompt

        screen: Any = self
        action: ActionRow | None = screen.selected
        if action is None:
            return
        name = f"action {action.plan_code} {action.ref}"
        if action.status is Status.WITHDRAWN:
            screen.app.notify(f"{name} is already withdrawn (e changes its status to take it back)", markup=False)
            return

        async def withdraw(reason: str) -> None:
            try:
                await screen.shell.db(screen.services.actions.withdraw, action.id, action.version, reason)
            except Conflict as exc:
                screen.app.notify(f"Not withdrawn: {exc}", severity="error", markup=False, timeout=10)
                return
            screen.keep.add(action.id)
            screen.select_id = action.id
            screen.app.notify(f"Withdrew {name}: kept with its history, left out of the counts (t shows "
                              "withdrawn actions)", markup=False)
            screen.shell.data_changed()

        def confirmed(reason: str, yes: bool | None) -> None:
            if yes:
                screen.spawn(withdraw(reason))

        def reason_given(reason: str | None) -> None:
            if reason:
                screen.app.push_screen(ConfirmScreen(
                    f"Withdraw {name}?",
                    f"Why: {reason}\nIt keeps its history, is never overdue and is left out of every count; the "
                    "status filter shows it. y withdraws it, n keeps it."), lambda yes: confirmed(reason, yes))

        screen.app.push_screen(ProsePrompt(f"Withdraw {name} — why? (kept in its history)",
                                           hint=action.text[:200], what="reason",
                                           draft_key=f"action-withdraw:{action.id}"), reason_given)

    def action_plan_details(self) -> None:
        screen: Any = self
        screen.spawn(self._plan_details())

    async def _plan_details(self) -> None:
        from accountability_tui.ui.screens.plan_edit import PlanEditScreen

        screen: Any = self
        code = screen.spec.plan_code or (screen.selected.plan_code if screen.selected else None)
        if not code:
            screen.app.notify("Show one plan's actions first (p), then P edits that plan", markup=False)
            return
        plan = await screen.shell.db(screen.services.plans.get, code)
        themes = await screen.shell.db(screen.services.plans.themes, code)

        def done(saved: PlanRow | None) -> None:
            if saved is None:
                return
            if screen.shell.plan_code == plan.code:
                screen.shell.plan_code = saved.code
            screen.spec.plan_code = saved.code
            screen.app.notify(f"Saved plan {saved.code}", markup=False)
            screen.shell.data_changed()

        screen.app.push_screen(PlanEditScreen(plan, themes), done)
