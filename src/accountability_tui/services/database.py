"""Which database file to open, and opening it: the default file is created and seeded on first use."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from accountability_tui.domain.errors import StoreError
from accountability_tui.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from accountability_tui.importers import ImportReport
    from accountability_tui.services import Services

ENV_VAR = "ACCOUNTABILITY_TUI_DB"


def default_path() -> Path:
    """$ACCOUNTABILITY_TUI_DB, else accountability.db in the user data directory."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("accountability-tui", appauthor=False) / "accountability.db"


def open_database(path: str | Path | None = None, *, create: bool | None = None, seed: bool = True,
                  readonly: bool = False) -> Store:
    """Open the database at path (None: the default file).

    create: make the file if it does not exist (default: only for the default file). A file made here is filled
    with the Hertfordshire seed data unless seed is False; if seeding fails the new file is removed.
    """
    is_default = path is None
    target = default_path() if path is None else Path(path).expanduser()
    if create is None:
        create = is_default and not readonly
    if is_default and not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {target.parent}: {exc.strerror}") from exc
    store = Store.open(target, create=create, readonly=readonly)
    if store.created and seed:
        try:
            from accountability_tui.services import seed as seeding

            seeding.build(store)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
    return store


def open_services(path: str | Path | None = None, *, create: bool | None = None, seed: bool = True,
                  readonly: bool = False, busy_timeout_ms: int | None = None) -> Services:
    """The services over the database at path (see open_database), for the app or the command line."""
    from accountability_tui.services import Services

    if busy_timeout_ms is None:
        return Services(open_database(path, create=create, seed=seed, readonly=readonly))
    target = default_path() if path is None else Path(path).expanduser()
    return Services(Store.open(target, create=bool(create), readonly=readonly, busy_timeout_ms=busy_timeout_ms))


class DatabaseService:
    """The database file itself: checks, backups and restores, imports of delivery-plan tables, demonstration
    data."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def created(self) -> bool:
        """Whether opening it made a new file."""
        return self._store.created

    def action_count(self) -> int:
        return self._store.actions.count()

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's integrity (or quick) check and its foreign-key check: the problems found."""
        return self._store.check(quick=quick)

    def backup(self, reason: str = "by-hand") -> Path:
        return self._store.backup(reason)

    def backups(self) -> list[Path]:
        return self._store.backups()

    def check_backup(self, backup_path: str | Path) -> None:
        """Refuse (with one sentence) a file that is not a usable backup."""
        from accountability_tui.store.connection import validate_backup

        validate_backup(Path(backup_path).expanduser())

    def restore(self, backup_path: str | Path) -> Path:
        """Replace everything with a backup (checked first); returns the backup taken of what was replaced."""
        self.check_backup(backup_path)
        return self._store.restore(Path(backup_path).expanduser())

    def import_table(self, file: str | Path, *, plan: str | None = None, sheet: str | None = None,
                     columns: list[str] | None = None, dry_run: bool = False) -> ImportReport:
        """Import a delivery-plan table (all or nothing)."""
        from accountability_tui.importers import import_file

        return import_file(self._store, file, plan=plan, sheet=sheet, columns=columns, dry_run=dry_run)

    def demo_data(self, *, actions: int, seed: int, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """National-scale demonstration data, every record flagged demo."""
        from accountability_tui.services.demo import generate

        return generate(self._store, actions=actions, seed=seed, progress=progress)
