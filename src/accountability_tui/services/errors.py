"""One sentence for any error, for the person who met it (the app's error handler and the command line)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from accountability_tui.domain.errors import AppError


def describe(error: BaseException, path: str | Path | None = None) -> str:
    """An AppError says itself; an SQLite error says what it means for the database at path (a full or failing
    disk, damage with the command that restores the newest backup, ...); anything else is named."""
    if isinstance(error, AppError):
        return str(error)
    if isinstance(error, sqlite3.Error):
        from accountability_tui.store.connection import describe_database_error

        return describe_database_error(path, error)
    return f"something went wrong ({type(error).__name__}: {error}); nothing was saved"
