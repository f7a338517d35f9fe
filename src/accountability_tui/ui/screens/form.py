"""A dialog with typed input: it never throws the input away without asking, and keeps it as a draft meanwhile.

What the officer types is saved as a draft (in the database, theirs alone) a moment after they stop typing, so
that a crash, a closed terminal or a quit loses nothing; the next time the same form opens, the draft is put back.
Esc with unsaved input asks first ("Discard your unsaved note? y/n"); so does quitting the app.
"""

from __future__ import annotations

from typing import Any

from textual.timer import Timer
from textual.widgets import Input, Select, TextArea

from accountability_tui.ui.screens.base import Dialog

DRAFT_DELAY = 0.4  # seconds after the last keystroke before the draft is saved


class FormDialog(Dialog):
    """Subclasses call form_ready() once the form holds its starting values, save through saved(), and name
    what is typed (WHAT) and, to keep drafts, the form and record (draft_key)."""

    WHAT = "input"  # "note", "question", … for "Discard your unsaved note?"
    ASK_BEFORE_DISCARD = True
    draft_key: str | None = None
    _initial: dict[str, str] | None = None
    _timer: Timer | None = None
    _kept: dict[str, str] | None = None  # what the database holds (or is being told to hold) as the draft

    # --- the fields ------------------------------------------------------------------------------------------

    def form_values(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for widget in self.query("Input, TextArea, Select"):
            if not widget.id:
                continue
            if isinstance(widget, TextArea):
                values[widget.id] = widget.text
            elif isinstance(widget, Select):
                values[widget.id] = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, Input):
                values[widget.id] = widget.value
        return values

    def set_form_values(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            found = self.query(f"#{key}")
            if not found:
                continue
            widget = found.first()
            if isinstance(widget, TextArea):
                widget.text = value
            elif isinstance(widget, Select):
                widget.value = value if value else Select.NULL
            elif isinstance(widget, Input):
                widget.value = value

    @property
    def dirty(self) -> bool:
        """Whether the officer has typed or chosen something not yet saved."""
        return self._initial is not None and self.form_values() != self._initial

    def form_ready(self) -> None:
        """The form holds its starting values: from now on, what differs from them is the officer's input. A draft
        left from before is put back."""
        self._initial = self.form_values()
        if self.draft_key:
            self.spawn(self._restore_draft(self.draft_key))

    def rebase(self, **values: str) -> None:
        """Some starting values changed (the record was read again): they are not the officer's input."""
        if self._initial is not None:
            self._initial.update(values)

    async def _restore_draft(self, key: str) -> None:
        draft = await self.shell.db(self.services.drafts.get, key)
        if draft is None or self._initial is None:
            return
        self._kept = draft.fields  # what the database holds, restored or not: the next change replaces or drops it
        if draft.fields == self._initial or self.dirty:
            return  # nothing of the officer's, or they have started typing already: what they type wins
        self.set_form_values(draft.fields)
        self.app.notify(f"Your unsaved {self.WHAT} from {draft.saved_at:%-d %b %H:%M} (UTC) is back: ctrl+s saves "
                        "it, esc discards it.", markup=False, timeout=10)

    # --- keeping the draft as the officer types ----------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self._changed()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._changed()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._changed()

    def _changed(self) -> None:
        """A field changed: the draft is kept a moment later, unless what it would keep is already kept (the
        fields report their starting values as the form opens: nothing to write then)."""
        if self._initial is None or not self.draft_key:
            return
        if self._timer is not None:
            self._timer.stop()
        if self._draft_values() != self._kept:
            self._timer = self.set_timer(DRAFT_DELAY, self.keep_draft)

    def _draft_values(self) -> dict[str, str] | None:
        """What the draft should hold: the fields, or None when nothing differs from the starting values (the fields
        read once: this runs on every key)."""
        values = self.form_values()
        return values if self._initial is not None and values != self._initial else None

    def keep_draft(self) -> None:
        """Save the draft now (or drop it, when nothing differs from the starting values any more)."""
        if self.draft_key and self._initial is not None:
            self.spawn(self._keep(self.draft_key, self._draft_values()), group="draft", exclusive=True)

    async def keep_draft_now(self) -> None:
        """Save the draft before going on (the app is about to quit): what is typed is in the database after this."""
        if self._timer is not None:
            self._timer.stop()
        if self.draft_key and self.dirty:
            await self._keep(self.draft_key, self.form_values())

    async def _keep(self, key: str, values: dict[str, str] | None) -> None:
        drafts = self.services.drafts
        self._kept = values  # as asked, before the write: a change typed meanwhile is compared with this
        if values is None:
            await self.shell.db(drafts.discard, key)
        else:
            await self.shell.db(drafts.save, key, values)

    # --- leaving ---------------------------------------------------------------------------------------------

    def saved(self, result: Any) -> None:
        """The form was saved: its draft goes, and the dialog closes with the result."""
        if self._timer is not None:
            self._timer.stop()
        self._initial = None  # nothing unsaved any more
        if self.draft_key:
            self.shell.db_soon(self.services.drafts.discard, self.draft_key)
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not (self.ASK_BEFORE_DISCARD and self.dirty):
            self._close()
            return
        from accountability_tui.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._close()

        self.app.push_screen(ConfirmScreen(f"Discard your unsaved {self.WHAT}?",
                                           "y throws it away; n goes back to it."), answered)

    def _close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.draft_key and self._initial is not None:
            self.shell.db_soon(self.services.drafts.discard, self.draft_key)
        self._initial = None
        self.dismiss(None)
