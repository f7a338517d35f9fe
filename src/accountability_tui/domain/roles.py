"""Who may do what (issue 14): the four roles, in order, and the people on the database's list."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """In order: each role may do everything the ones before it may."""

    READER = "reader"  # looks, searches, exports the public version
    EDITOR = "editor"  # everything an officer does
    APPROVER = "approver"  # an editor who may also approve a briefing
    ADMIN = "admin"  # manages people (and may do everything else)

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @property
    def with_article(self) -> str:
        """ "a reader", "an editor", ... as a sentence says it."""
        return f"{'an' if self.value[0] in 'aeiou' else 'a'} {self.value}"


def read_role(value: str) -> Role:
    """A role as typed (any case, spaces around it ignored); ValueError naming the roles if it is not one."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise ValueError(f"{value!r} is not a role; use one of {', '.join(r.value for r in Role)}") from None


def who_may(role: Role) -> str:
    """The roles that pass a check for role, as a sentence names them: "an editor, approver or admin"."""
    names = [r.value for r in Role if r.at_least(role)]
    first = Role(names[0]).with_article
    if len(names) == 1:
        return first
    return ", ".join([first, *names[1:-1]]) + f" or {names[-1]}"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    role: Role
    added_at: str  # ISO, UTC
    added_by: str
    version: int
