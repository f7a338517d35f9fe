"""The people who may use the database and their roles; every change to the list kept in people_history.

The store keeps the list; who may change it (and anything else) is the services' rule (services/access.py),
which the store asks before each write transaction: these writes ask it as "people".
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.cleaning import CONTROL
from accountability_tui.domain.errors import NotFound, ValidationFailed
from accountability_tui.domain.roles import Person, Role

if TYPE_CHECKING:
    from accountability_tui.store.core import Store

PEOPLE = "people"  # what these writes are, for the services' check


def _person(r: dict[str, Any]) -> Person:
    return Person(id=r["id"], name=r["name"], role=Role(r["role"]), added_at=r["added_at"], added_by=r["added_by"],
                  version=r["version"])


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed("a person's name cannot be empty")
    if CONTROL.search(cleaned):
        raise ValidationFailed("a person's name cannot hold control characters")
    if len(cleaned) > 200:
        raise ValidationFailed("a person's name can be at most 200 characters")
    return cleaned


class People:
    def __init__(self, store: Store) -> None:
        self.store = store

    def any(self) -> bool:
        """True when the list has anyone on it (an empty list lets everyone do everything)."""
        return self.store.scalar("SELECT 1 FROM people LIMIT 1") is not None

    def every(self) -> list[Person]:
        return [_person(r) for r in self.store.query("SELECT * FROM people ORDER BY name COLLATE NOCASE, id")]

    def find(self, name: str) -> Person | None:
        """The person of that name, whatever its case (None if not on the list)."""
        rows = self.store.query("SELECT * FROM people WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),))
        return _person(rows[0]) if rows else None

    def get(self, name: str) -> Person:
        person = self.find(name)
        if person is None:
            raise NotFound(f"{' '.join(name.split())!r} is not on the list of people (see: accountability-tui "
                           "user list)")
        return person

    def history(self, name: str | None = None) -> list[dict[str, Any]]:
        """The list's changes, oldest first (of one person's name, whatever its case, when name is given)."""
        if name is None:
            return self.store.query("SELECT * FROM people_history ORDER BY id")
        return self.store.query("SELECT * FROM people_history WHERE name = ? COLLATE NOCASE ORDER BY id",
                                (" ".join(name.split()),))

    def _record(self, conn: sqlite3.Connection, name: str, field: str, old: str | None, new: str | None,
                source: str) -> None:
        from accountability_tui.store.core import utc_now

        conn.execute("INSERT INTO people_history (name, at, who, field, old_value, new_value, source) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", (name, utc_now(), self.store.who, field, old, new, source))

    def add(self, name: str, role: Role, *, source: str = "app") -> Person:
        from accountability_tui.store.core import utc_now

        name = _name(name)
        with self.store.write(PEOPLE) as db:
            existing = self.find(name)
            if existing is not None:
                raise ValidationFailed(f"{existing.name} is already on the list, as {existing.role.with_article}; "
                                       f"change their role with: accountability-tui user set-role {existing.name} "
                                       "ROLE")
            db.conn.execute("INSERT INTO people (name, role, added_at, added_by) VALUES (?, ?, ?, ?)",
                            (name, role.value, utc_now(), self.store.who))
            self._record(db.conn, name, "added", None, role.value, source)
        return self.get(name)

    def set_role(self, name: str, role: Role, *, source: str = "app") -> Person:
        with self.store.write(PEOPLE) as db:
            person = self.get(name)
            if person.role is not role:
                db.conn.execute("UPDATE people SET role = ?, version = version + 1 WHERE id = ?",
                                (role.value, person.id))
                self._record(db.conn, person.name, "role", person.role.value, role.value, source)
        return self.get(person.name)

    def remove(self, name: str, *, source: str = "app") -> Person:
        with self.store.write(PEOPLE) as db:
            person = self.get(name)
            db.conn.execute("DELETE FROM people WHERE id = ?", (person.id,))
            self._record(db.conn, person.name, "removed", person.role.value, None, source)
        return person
