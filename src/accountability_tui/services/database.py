"""Which database file to open, and opening it: the default file is created and seeded on first use.

Also what can be done to the file without opening it as a database (listing its backups, restoring one), which
must work however damaged the file is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from accountability_tui.domain.errors import StoreError
from accountability_tui.store import Store
from accountability_tui.store import connection as files
from accountability_tui.store.connection import Restored

if TYPE_CHECKING:
    from collections.abc import Callable

    from accountability_tui.importers import ImportReport
    from accountability_tui.services import Services
    from accountability_tui.services.access import AccessService

ENV_VAR = "ACCOUNTABILITY_TUI_DB"

__all__ = ["DatabaseService", "Restored", "backups_of", "check_backup", "database_path", "default_path",
           "open_database", "open_services", "restore_command", "restore_database", "upgraded"]


def default_path() -> Path:
    """$ACCOUNTABILITY_TUI_DB, else accountability.db in the user data directory."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("accountability-tui", appauthor=False) / "accountability.db"


def database_path(path: str | Path | None) -> Path:
    """The database file meant: path, else the default one."""
    return default_path() if path is None else Path(path).expanduser()


def open_database(path: str | Path | None = None, *, create: bool | None = None, seed: bool = True,
                  readonly: bool = False, init: bool = False) -> Store:
    """Open the database at path (None: the default file).

    create: make the file if it does not exist (default: only for the default file). A database made here is
    filled with the Hertfordshire seed data unless seed is False; if seeding fails a file made here is removed.
    init: the person asked for a new database, so an existing empty file may become one (otherwise an empty file
    is refused as damaged).
    """
    is_default = path is None
    target = database_path(path)
    if create is None:
        create = is_default and not readonly
    if is_default and not target.exists():
        try:
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {target.parent}: {exc.strerror}") from exc
    store = Store.open(target, create=create, readonly=readonly, init=init)
    if store.created and seed:
        try:
            from accountability_tui.services import seed as seeding

            seeding.build(store)
        except BaseException:
            store.close()
            if store.made_file:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
    return upgraded(store)


# The migration that added performance measures, whose data (the plan's measures and baselines) an existing
# database gets from the seed data when it is brought up to date (services.seed.add_missing_performance).
PERFORMANCE_MIGRATION = "0007_performance_measures"


def upgraded(store: Store) -> Store:
    """An existing database just brought up to date gets the seed data its new tables need: once, when the
    migration that made them was applied by this open (never on a read-only database, nor one made now, which
    is seeded whole). It is idempotent, and a failure is a warning (the database opens as it is), not a refusal."""
    if store.readonly or store.created or PERFORMANCE_MIGRATION not in store.migrated:
        return store
    from accountability_tui.domain.errors import AppError
    from accountability_tui.services.seed import add_missing_performance

    try:
        add_missing_performance(store)
    except AppError as exc:
        store.warnings.append(f"the plan's performance measures could not be added ({exc})")
    return store


def open_services(path: str | Path | None = None, *, create: bool | None = None, seed: bool = True,
                  readonly: bool = False, busy_timeout_ms: int | None = None, init: bool = False,
                  acting_as: str | None = None) -> Services:
    """The services over the database at path (see open_database), for the app or the command line; acting_as
    names the person acting (a sign-on's name) instead of the OS login."""
    from accountability_tui.services import Services

    if busy_timeout_ms is None:
        return Services(open_database(path, create=create, seed=seed, readonly=readonly, init=init),
                        acting_as=acting_as)
    return Services(upgraded(Store.open(database_path(path), create=bool(create), readonly=readonly,
                                        busy_timeout_ms=busy_timeout_ms, init=init)), acting_as=acting_as)


def backups_of(path: str | Path | None) -> list[Path]:
    """The backups of the database at path (None: the default one), newest last, without opening it (so that
    they can be listed when it is damaged)."""
    return files.list_backups(database_path(path))


def check_backup(backup_path: str | Path) -> None:
    """Refuse (with one sentence) a file that is not a usable backup: not ours, from a newer version, damaged."""
    files.validate_backup(Path(backup_path).expanduser())


def restore_database(path: str | Path | None, backup_path: str | Path) -> Restored:
    """Replace the database at path (None: the default one) with a backup, whatever state it is in: a sound
    database is backed up first (Restored.before), a damaged one set aside (Restored.damaged)."""
    target = database_path(path)
    return files.restore(target, Path(backup_path).expanduser(), network=files.is_network_filesystem(target))


def restore_command(path: str | Path | None, backup_path: Path) -> str:
    """The exact command that restores backup_path into the database at path."""
    return files.restore_command(database_path(path), backup_path)


class DatabaseService:
    """The database file itself: checks, backups and restores, imports of delivery-plan tables, demonstration
    data."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.access: AccessService | None = None  # the roles' check (Services sets it)

    @property
    def created(self) -> bool:
        """Whether opening it made a new database."""
        return self._store.created

    def data_version(self) -> int:
        """Changes when someone else (another officer, a command-line import) has saved since it was last read."""
        return self._store.data_version()

    def action_count(self) -> int:
        return self._store.actions.count()

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's integrity (or quick) check and its foreign-key check: the problems found."""
        return self._store.check(quick=quick)

    def write_problems(self) -> list[str]:
        """The files (database, -wal, -shm, journal) and folder that cannot be written: each makes saves fail."""
        return self._store.write_problems()

    def restore_advice(self) -> str:
        """What to do about damage: the exact command that restores the newest backup."""
        return files.restore_advice(self._store.path)

    def backup(self, reason: str = files.BY_HAND) -> Path:
        return self._store.backup(reason)

    def backups(self) -> list[Path]:
        return self._store.backups()

    def check_backup(self, backup_path: str | Path) -> None:
        """Refuse (with one sentence) a file that is not a usable backup."""
        check_backup(backup_path)

    def restore(self, backup_path: str | Path) -> Restored:
        """Replace everything with a backup (checked first); says what became of the database replaced. It
        replaces the list of people too, so it is for an admin."""
        if self.access is not None:
            self.access.require_admin("restore a backup (it replaces everything, the list of people too)")
        return self._store.restore(Path(backup_path).expanduser())

    def import_table(self, file: str | Path, *, plan: str | None = None, sheet: str | None = None,
                     columns: list[str] | None = None, dry_run: bool = False,
                     dates_as_days: bool = False) -> ImportReport:
        """Import a delivery-plan table (all or nothing). dates_as_days: read a timeframe column's date cells as
        days even when they all fall on the 1st of a month."""
        from accountability_tui.importers import import_file

        return import_file(self._store, file, plan=plan, sheet=sheet, columns=columns, dry_run=dry_run,
                           dates_as_days=dates_as_days)

    def demo_data(self, *, actions: int, seed: int, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """National-scale demonstration data, every record flagged demo."""
        from accountability_tui.services.demo import generate

        return generate(self._store, actions=actions, seed=seed, progress=progress)
