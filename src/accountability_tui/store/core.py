"""The Store: one SQLite file, one connection per thread, every write in BEGIN IMMEDIATE."""

from __future__ import annotations

import datetime as dt
import getpass
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from ..errors import DatabaseBusy, StoreError
from . import connection


def current_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name in a container, say
        return "unknown"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """All SQL of the project lives in this package. Everything above it calls these methods."""

    def __init__(self, path: Path, *, network: bool, readonly: bool, created: bool):
        self.path = path
        self.network = network
        self.readonly = readonly
        self.created = created  # True when open() made a new file
        self.who = current_user()
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite_utils.Database]] = []
        self._lock = threading.Lock()
        from .actions import Actions
        from .briefings import Briefings
        from .findings import Findings
        from .meetings import Meetings
        from .plans import Plans
        from .questions import Questions
        from .search import Search

        self.plans = Plans(self)
        self.actions = Actions(self)
        self.findings = Findings(self)
        self.questions = Questions(self)
        self.meetings = Meetings(self)
        self.search = Search(self)
        self.briefings = Briefings(self)

    # --- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False) -> Store:
        """Open (and if need be create) the database at path and bring its schema up to date."""
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a folder; give the path of a database file")
        existed = path.exists() and path.stat().st_size > 0
        if not path.exists():
            if not create:
                raise StoreError(f"no database at {path}; create one with: accountability-tui init --db {path}")
            if not path.parent.is_dir():
                raise StoreError(f"the folder {path.parent} does not exist")
            connection.create_private_file(path)
        else:
            connection.check_header(path)
        network = connection.is_network_filesystem(path)
        store = cls(path, network=network, readonly=readonly, created=not existed)
        db = store.db
        try:
            if not readonly:
                connection.migrate(db, path, existed)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            store.close()
            raise StoreError(connection.describe_database_error(path, exc)) from exc
        except BaseException:
            store.close()
            raise
        return store

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection (SQLite connections are not shared between threads)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connection.connect(self.path, network=self.network, readonly=self.readonly)
            self._local.db = db
            with self._lock:
                # close the connections of threads that have ended, so that short-lived threads leak nothing
                alive = []
                for thread, other in self._connections:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:
                        other.conn.close()
                alive.append((threading.current_thread(), db))
                self._connections = alive
        return db

    def close(self) -> None:
        with self._lock:
            for _, db in self._connections:
                try:
                    db.conn.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions ----------------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction, begun with BEGIN IMMEDIATE so it never fails half-way on a lock.

        Nested calls join the outer transaction.
        """
        db = self.db
        conn = db.conn
        if conn.in_transaction:
            yield db
            return
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only; nothing was changed")
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy("the database is busy — another officer is saving; try again") from exc
            raise StoreError(connection.describe_database_error(self.path, exc)) from exc
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise DatabaseBusy("the database is busy — another officer is saving; try again") from exc

    def backup(self, reason: str) -> Path:
        return connection.backup(self.db, self.path, reason)

    # --- small helpers shared by the aggregates ----------------------------------------------------------------

    def query(self, sql: str, params: tuple | list | dict = ()) -> list[dict]:
        conn = self.db.conn
        cursor = conn.execute(sql, params)
        columns = [c[0] for c in cursor.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: tuple | list | dict = ()) -> object:
        row = self.db.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as db:
            db["settings"].upsert({"key": key, "value": value}, pk="key")

    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM plans")

    def dump(self) -> str:
        """The whole database as SQL text (for comparing before and after)."""
        return "\n".join(self.db.conn.iterdump())
