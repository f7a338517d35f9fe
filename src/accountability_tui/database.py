"""Which database file to open, and opening it: the default file is created and seeded on first use."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StoreError
from .store import Store

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
    target = default_path() if is_default else Path(path).expanduser()
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
            from . import seed as seeding

            seeding.build(store)
        except BaseException:
            store.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            raise
    return store
