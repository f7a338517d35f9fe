"""Errors a person can act on. Each carries one line of text; the CLI prints it and exits non-zero."""

from __future__ import annotations


class AppError(Exception):
    """An error with a message meant for the officer, not a developer."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(AppError):
    exit_code = 2


class StoreError(AppError):
    """The database cannot be opened or written as asked."""


class SchemaTooNew(StoreError):
    pass


class DatabaseBusy(StoreError):
    pass


class NotFound(AppError):
    pass


class ValidationFailed(AppError):
    """A record failed validation; the message names the field and what to do."""


class ImportFailed(AppError):
    """A file cannot be imported at all; nothing was written."""


class Conflict(AppError):
    """Someone else saved the record since it was read. `changes` says what they changed."""

    def __init__(self, message: str, changes: list | None = None):
        super().__init__(message)
        self.changes = changes or []


class NotAllowed(AppError):
    """The person acting may not make this change (their role, or they are not on the list); nothing was
    written. The message says who may."""
