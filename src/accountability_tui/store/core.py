"""The Store: one SQLite file, one connection per thread, every write in BEGIN IMMEDIATE."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.errors import StoreError
from accountability_tui.store import connection

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.db import Table

# What the store's queries take as parameters (sqlite3's own: positional or named).
Params = tuple[Any, ...] | list[Any] | dict[str, Any]


def current_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name in a container, say
        return "unknown"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def inserted_id(source: sqlite3.Cursor | Table) -> int:
    """The id of the row just inserted through a cursor (its lastrowid) or a sqlite-utils table (its last_pk).

    Both are typed as optional (None until something is inserted); after an INSERT they are always set.
    """
    value = source.lastrowid if isinstance(source, sqlite3.Cursor) else source.last_pk
    if value is None:
        raise StoreError("the database gave no id for the row just inserted")
    return int(value)


class Store:
    """All SQL of the project lives in this package. Everything above it calls these methods."""

    def __init__(self, path: Path, *, network: bool, readonly: bool, created: bool, immutable: bool = False,
                 busy_timeout_ms: int = connection.BUSY_TIMEOUT_MS, readonly_reason: str | None = None
                 ) -> None:
        self.path = path
        self.network = network
        self.readonly = readonly
        self.readonly_reason = readonly_reason  # why it opened read-only, for the banner
        self.immutable = immutable
        self.busy_timeout_ms = busy_timeout_ms
        self.created = created  # True when open() made a new database (a new file, or an empty one for init)
        self.made_file = False  # True when open() created the file itself
        self.migrated: list[str] = []  # the migrations open() applied (an existing database brought up to date)
        self.warnings: list[str] = []  # said once to the officer when the database is opened
        self.who = current_user()  # signs every change: the OS login, unless acting_as names someone
        self.signed_in = False  # True when acting_as named the person (a sign-on's name), not the OS login
        # Asked before each write transaction begins, with what it writes ("data", "people", "drafts"): raises to
        # refuse it, before anything is written. The services set it (services/access.py: the roles); None lets
        # every write through (the store used on its own: migrations, seeding, tests).
        self.write_guard: Callable[[str], None] | None = None
        self._local = threading.local()
        self._connections: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        from accountability_tui.store.actions import Actions
        from accountability_tui.store.briefings import Briefings
        from accountability_tui.store.findings import Findings
        from accountability_tui.store.measures import Measures
        from accountability_tui.store.meetings import Meetings
        from accountability_tui.store.people import People
        from accountability_tui.store.plans import Plans
        from accountability_tui.store.questions import Questions
        from accountability_tui.store.search import Search

        self.plans = Plans(self)
        self.actions = Actions(self)
        self.findings = Findings(self)
        self.questions = Questions(self)
        self.meetings = Meetings(self)
        self.search = Search(self)
        self.briefings = Briefings(self)
        self.measures = Measures(self)
        self.people = People(self)

    # --- opening ---------------------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, readonly: bool = False,
             busy_timeout_ms: int = connection.BUSY_TIMEOUT_MS, init: bool = False) -> Store:
        """Open the database at path and bring its schema up to date; create it if the path does not exist (and
        create is True).

        Nothing is written to a file until it is known to be ours (see connection.inspect): an existing empty file
        (0 bytes, or SQLite with no tables) is refused as damaged, with the command that restores its newest
        backup, unless init is True (the person asked for a new database there). Another program's database,
        one from a newer version or a damaged one is refused and left exactly as it was.

        A file or folder that cannot be written opens read-only (store.readonly, store.readonly_reason), without
        creating anything beside the file.
        """
        path = Path(path).expanduser()
        if path.is_dir():
            raise StoreError(f"{path} is a folder; give the path of a database file")
        if path.is_symlink() and not path.exists():
            raise StoreError(f"{path} is a link to {os.readlink(path)}, which does not exist; check the path given "
                             "with --db")
        state = connection.inspect(path)
        can_write, why = connection.writable(path)
        made_file = False
        if state.kind == "missing":
            if not create or readonly:
                raise StoreError(f"no database at {path}; create one with: accountability-tui init --db "
                                 f"{connection.quoted(path)}")
            if not path.parent.is_dir():
                raise StoreError(f"the folder {path.parent} does not exist")
            if not can_write:
                raise StoreError(f"cannot create {path}: {why}")
            connection.create_private_file(path)
            made_file = True
        elif state.kind == "empty" and init:
            if not can_write or readonly:
                raise StoreError(f"cannot make a database in {path}: {why or 'opened read-only'}")
        elif state.kind != "ours":
            raise connection.refusal(path, state)
        created = state.kind in ("missing", "empty")
        reason = None
        if not can_write:
            readonly, reason = True, f"{why}: opened read-only, nothing can be changed"
        elif readonly:
            reason = "opened read-only, nothing can be changed"
        # Read-only because the file or its folder cannot be written: read the file as it is (SQLite's immutable
        # mode), so that nothing is created beside it, unless a journal or WAL beside it must be read too.
        immutable = readonly and not can_write and not connection.journal_beside(path)
        immutable = immutable or (readonly and not os.access(path.parent, os.W_OK | os.X_OK))
        network = connection.is_network_filesystem(path)
        store = cls(path, network=network, readonly=readonly, created=created, immutable=immutable,
                    busy_timeout_ms=busy_timeout_ms, readonly_reason=reason)
        store.made_file = made_file
        if network:
            store.warnings.append(
                f"{path} is on a network filesystem ({connection.filesystem_type(path) or 'detected'}): SQLite cannot "
                "share it safely there, so it uses its rollback journal with full syncing. To share one database, "
                "run the app on one computer and reach it over SSH (see the README).")
        try:
            conn = store.conn
            if state.up_to_date:
                pass  # the usual case, settled without sqlite-utils
            elif readonly:
                raise StoreError(f"{path} needs upgrading for this version of accountability-tui but is "
                                 f"read-only ({why or 'opened read-only'}); copy it to a folder you can write to")
            else:
                store.migrated = connection.migrate(store.db, path, existed=not created)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            store.close()
            raise StoreError(connection.describe_database_error(path, exc)) from exc
        except BaseException:
            store.close()
            raise
        return store

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections are not shared between threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connection.connect(self.path, network=self.network, readonly=self.readonly,
                                      immutable=self.immutable, busy_timeout_ms=self.busy_timeout_ms)
            self._local.conn = conn
            with self._lock:
                # close the connections of threads that have ended, so that short-lived threads leak nothing
                alive = []
                for thread, other in self._connections:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:
                        other.close()
                alive.append((threading.current_thread(), conn))
                self._connections = alive
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection as a sqlite-utils Database, for writing (its table helpers)."""
        db = getattr(self._local, "db", None)
        if db is None or db.conn is not self.conn:
            db = self._local.db = connection.database(self.conn)
        return db

    def analyze(self) -> None:
        """Refresh the query planner's statistics (after a large import, say).

        The full-text index's own tables are left without statistics: statistics taken while they were small
        make SQLite plan the index's internal queries badly as it grows (measured: imports became quadratic).
        """
        if self.readonly:
            return
        with self.write() as db:
            db.conn.execute("ANALYZE")
            db.conn.execute("DELETE FROM sqlite_stat1 WHERE tbl LIKE 'search%'")
            db.conn.execute("ANALYZE sqlite_schema")  # reload the statistics

    def close(self) -> None:
        with self._lock:
            for _, conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def acting_as(self, name: str) -> None:
        """Sign every change from now on with name (a person signed in by the office's sign-on, say) instead of
        the OS login."""
        cleaned = " ".join(name.split())
        if not cleaned:
            raise StoreError("the name of the person acting cannot be empty")
        self.who = cleaned
        self.signed_in = True

    # --- transactions ----------------------------------------------------------------------------------------

    @contextmanager
    def write(self, what: str = "data") -> Iterator[sqlite_utils.Database]:
        """One write transaction, begun with BEGIN IMMEDIATE so it never fails half-way on a lock.

        Nested calls join the outer transaction. A backup asked for inside it (Store.backup) is published when it
        commits and discarded if it does not. A save that fails says why (busy: DatabaseBusy; a full or failing
        disk: StoreError saying so); nothing of it is kept.

        what says what the transaction writes, for the write guard, which is asked once before it begins (and
        again by a nested write of something else): a refusal raises before anything is written.
        """
        db = self.db
        conn = db.conn
        if conn.in_transaction:
            if self.write_guard is not None and what != getattr(self._local, "writing", what):
                self.write_guard(what)
            yield db
            return
        if self.readonly:
            raise StoreError(f"read-only: {self.readonly_reason or 'the database is open read-only'}; "
                             "nothing was changed")
        if self.write_guard is not None:
            self.write_guard(what)
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise connection.write_failure(self.path, exc) from exc
        pending: list[connection.PendingBackup] = []
        self._local.pending_backups = pending
        self._local.writing = what
        self._local.changes_at_begin = conn.total_changes
        try:
            try:
                yield db
            except BaseException as exc:
                self._rollback(conn)
                if isinstance(exc, sqlite3.OperationalError) and connection.error_kind(exc) in ("full", "io"):
                    raise connection.write_failure(self.path, exc) from exc
                raise
            try:
                for backup in pending:
                    backup.publish()
                conn.execute("COMMIT")
            except BaseException as exc:
                self._rollback(conn)
                if isinstance(exc, sqlite3.OperationalError):
                    raise connection.write_failure(self.path, exc) from exc
                raise
        except BaseException:
            for backup in pending:
                backup.discard()
            raise
        finally:
            self._local.pending_backups = None
            self._local.writing = None
        if pending:
            connection.rotate_backups(self.path)

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite has rolled back by itself (after a full disk, say)

    def backup(self, reason: str) -> Path:
        """Copy the database into its backup folder now; returns the backup.

        Inside Store.write(), before the transaction has written anything: the copy is of the database as it was
        when the write lock was taken, and it gets its backup name (and older automatic backups are rotated away)
        only if the transaction commits. So a change that is refused leaves the backups as they were.
        """
        conn = self.conn
        if not conn.in_transaction:
            return connection.backup(conn, self.path, reason)
        pending = getattr(self._local, "pending_backups", None)
        if pending is None:
            raise RuntimeError("a backup during a transaction must be taken inside Store.write()")
        if conn.total_changes != self._local.changes_at_begin:
            raise RuntimeError("take the backup before the transaction writes anything")
        # This connection holds the write lock and cannot be copied from; a reader sees the last commit, which is
        # the database as it is now.
        reader = connection.connect(self.path, network=self.network, readonly=True,
                                    busy_timeout_ms=self.busy_timeout_ms)
        try:
            made = connection.make_backup(reader, self.path, reason)
        finally:
            reader.close()
        pending.append(made)
        return made.target

    def restore(self, backup_path: str | Path) -> connection.Restored:
        """Replace everything with a backup's content, whatever state the database is in (see connection.restore).
        This store's connections are closed first and opened again when next used."""
        if self.readonly:
            raise StoreError(f"read-only: {self.readonly_reason}; nothing was changed")
        self.close()
        return connection.restore(self.path, Path(backup_path).expanduser(), network=self.network)

    def backups(self) -> list[Path]:
        return connection.list_backups(self.path)

    def check(self, *, quick: bool = False) -> list[str]:
        """SQLite's own checks: integrity (or the quicker check) and foreign keys. Returns the problems found."""
        return connection.integrity_problems(self.conn, quick=quick)

    def write_problems(self) -> list[str]:
        """The files and folder that cannot be written (each would make saves fail)."""
        return connection.write_problems(self.path)

    # --- small helpers shared by the aggregates ----------------------------------------------------------------

    def query(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        conn = self.conn
        cursor = conn.execute(sql, params)
        columns = [c[0] for c in cursor.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def scalar(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (None if none): an SQLite value, of the type the SQL gives."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.write() as db:
            db.table("settings").upsert({"key": key, "value": value}, pk="key")

    def data_version(self) -> int:
        """Changes when another connection (another officer, a command-line import) has committed since."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM plans")

    def dump(self) -> str:
        """The whole database as SQL text (for comparing before and after)."""
        return "\n".join(self.conn.iterdump())
