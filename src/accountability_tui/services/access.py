"""Who may change what (issue 14, "Roles"): the one check every write passes, and the list of people.

The rule lives here and is enforced in one place: `AccessService` sets itself as the store's write guard, which
the store asks before every write transaction begins (Store.write), so every service method that saves anything —
an edit, an import, a briefing decision, a meeting, a link — is checked by the same function, and a refusal is
raised before anything is written. Reads never write, so a reader can look, search and export the public version.

- While the list of people is empty, everyone may do everything (as before roles existed).
- The OS owner of the database file, at the terminal (no sign-on name given), may do everything, listed or not.
- Otherwise the acting person must be on the list: a reader may keep their own drafts and nothing else; an editor
  (and an approver, and an admin) may change the data; only an admin may change the list of people.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from accountability_tui.domain.errors import NotAllowed
from accountability_tui.domain.roles import Person, Role, who_may
from accountability_tui.store import Store

# What each kind of write (Store.write's `what`) needs, and how a refusal names it.
NEEDS: dict[str, tuple[Role, str]] = {
    "people": (Role.ADMIN, "change the list of people"),
    "drafts": (Role.READER, "keep drafts"),
    "data": (Role.EDITOR, "make changes"),
    "approval": (Role.APPROVER, "approve a briefing"),
}


def owns(path: Path) -> bool:
    """True when this process's OS user owns the database file."""
    try:
        return os.stat(path).st_uid == os.getuid()
    except (OSError, AttributeError):  # no file yet, or no uids on this system
        return False


class AccessService:
    """The acting person, their role, and the checks: `require(role)` before anything a role is needed for."""

    def __init__(self, store: Store) -> None:
        self._store = store
        store.write_guard = self._check_write

    # --- who is acting ------------------------------------------------------------------------------------------

    @property
    def who(self) -> str:
        """The name every change is signed with."""
        return self._store.who

    def act_as(self, name: str) -> None:
        """From now on, act as (and sign every change with) this person: the name the office's sign-on gives."""
        self._store.acting_as(name)

    @property
    def is_owner(self) -> bool:
        """The OS owner of the database file, at the terminal: they may do everything, as before roles existed."""
        return not self._store.signed_in and owns(self._store.path)

    def listed(self) -> bool:
        """True when the database keeps a list of people, so roles are in force."""
        return self._store.people.any()

    def badge(self) -> str | None:
        """Who is acting and as what, as the title bar says it ("jsmith · editor"), once it matters: when the
        database keeps a list of people or the name came from a sign-on. None otherwise (as before roles)."""
        if not self._store.signed_in and not self.listed():
            return None
        role = self.role()
        return f"{self.who} · {role.value if role else 'not on the list'}"

    def role(self) -> Role | None:
        """What the acting person may do: admin for the file's owner at the terminal or while the list is empty,
        else their role on the list (None when they are not on it)."""
        if self.is_owner or not self._store.people.any():
            return Role.ADMIN
        person = self._store.people.find(self.who)
        return person.role if person else None

    # --- the checks ---------------------------------------------------------------------------------------------

    def require(self, role: Role, doing: str = "make changes") -> None:
        """NotAllowed (saying who may) unless the acting person has at least this role."""
        mine = self.role()
        if mine is None:
            raise NotAllowed(f"{self.who} is not on the list of people who may use this database; an admin can "
                             f"add them with: accountability-tui user add {shlex.quote(self.who)} --role reader")
        if not mine.at_least(role):
            raise NotAllowed(f"only {who_may(role)} may {doing}; you ({self.who}) are {mine.with_article}")

    def require_editor(self, doing: str = "make changes") -> None:
        self.require(Role.EDITOR, doing)

    def require_approver(self, doing: str = "approve a briefing") -> None:
        self.require(Role.APPROVER, doing)

    def require_admin(self, doing: str = "change the list of people") -> None:
        self.require(Role.ADMIN, doing)

    def _check_write(self, what: str) -> None:
        """The store's write guard: asked before every write transaction begins."""
        role, doing = NEEDS.get(what, NEEDS["data"])
        self.require(role, doing)

    # --- the list of people -------------------------------------------------------------------------------------

    def people(self) -> list[Person]:
        return self._store.people.every()

    def add(self, name: str, role: Role, *, source: str = "app") -> Person:
        return self._store.people.add(name, role, source=source)

    def set_role(self, name: str, role: Role, *, source: str = "app") -> Person:
        return self._store.people.set_role(name, role, source=source)

    def remove(self, name: str, *, source: str = "app") -> Person:
        return self._store.people.remove(name, source=source)
