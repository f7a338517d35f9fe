"""Opening the database file: connection settings, migrations, backups, restores, the file's location.

Every connection: foreign_keys=ON, busy_timeout 10 s, WAL on local disks (rollback journal with synchronous=FULL
on network filesystems, where WAL does not work). Transactions are explicit: the connection is in autocommit
mode and every write begins with BEGIN IMMEDIATE (see Store.write).

Nothing is changed in a file until it is known to be ours: `inspect` reads it first through a read-only
connection that creates nothing beside it (SQLite's immutable mode when there is no journal or WAL to read), and
only a file that holds an accountability-tui schema (or an empty file the person asked `init` to fill) is then
opened for writing, switched to WAL and migrated.

sqlite-utils is imported only when something is written or migrated: reading needs only sqlite3, and importing
sqlite-utils costs a sixth of the app's start-up (measured: make bench).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from accountability_tui.domain.errors import DatabaseBusy, SchemaTooNew, StoreError
from accountability_tui.domain.resources import migrations_dir

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

PROG = "accountability-tui"
MIGRATION_SET = "accountability_tui"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the migrations applied

BUSY_TIMEOUT_MS = 10_000
COPY_TIMEOUT_S = 30.0  # how long a copy (backup, restore) waits for a busy database before giving up
BACKUPS_KEPT = 10  # automatic backups kept; backups made by hand are never rotated away
BY_HAND = "by-hand"  # the reason of a backup made by hand
# A restore raises every record's version above the highest the replaced database had, plus this margin for saves
# made while the restore runs (between reading the highest version and the copy taking the write lock) ...
VERSION_MARGIN = 1_000
# ... or, when the replaced file is damaged and its versions cannot be trusted, above the backup's highest plus this.
UNKNOWN_VERSION_MARGIN = 1_000_000
SQLITE_HEADER = b"SQLite format 3\x00"
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "fuse.sshfs",
              "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.rclone"}
_STAMPED = re.compile(r"-\d{8}-\d{6}-\d{6}-(?P<slug>[a-z0-9-]*)\.db$")


def _split_sql(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner semicolons)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if not current and line.strip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        statements.append(current.strip())
    return statements


def migration_files(folder: Path | None = None) -> list[Path]:
    """The migrations in db/ (NNNN_name.sql), in order."""
    folder = folder or migrations_dir()
    files = sorted(p for p in folder.glob("*.sql") if re.match(r"^\d{4}_", p.name))
    if not files:
        raise StoreError(f"no migrations found in {folder}; the installation is incomplete")
    return files


def load_migrations(folder: Path | None = None) -> Migrations:
    """The ordered migrations in db/ (NNNN_name.sql), as a sqlite-utils migration set."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    files = migration_files(folder)
    for path in files:
        statements = _split_sql(path.read_text(encoding="utf-8"))

        def run(db: sqlite_utils.Database, statements: list[str] = statements) -> None:
            for statement in statements:
                db.conn.execute(statement)

        migrations(name=path.stem)(run)
    migrations.names = [p.stem for p in files]  # type: ignore[attr-defined]
    return migrations


def filesystem_type(path: Path) -> str | None:
    """The filesystem type of the mount that holds path (Linux /proc/mounts), or None if unknown."""
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = str(path.resolve().parent)
    best, best_type = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(mount_point) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def is_network_filesystem(path: Path) -> bool:
    override = os.environ.get("ACCOUNTABILITY_TUI_NETWORK_FS")
    if override is not None:
        return override == "1"
    fs = filesystem_type(path)
    return fs is not None and fs.lower() in NETWORK_FS


def writable(path: Path) -> tuple[bool, str | None]:
    """Whether the database (and its folder, where SQLite keeps its journal) can be written; if not, why."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return False, f"{path} is read-only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return False, f"the folder {folder} is read-only"
    return True, None


def connect(path: Path, *, network: bool, readonly: bool = False, immutable: bool = False,
            busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A new connection with the project's settings. One per thread (check_same_thread is off only so that the
    store can close the connection of a thread that has ended)."""
    uri = "file:" + quote(str(path.resolve()))
    if readonly:
        uri += "?mode=ro" + ("&immutable=1" if immutable else "")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                               timeout=busy_timeout_ms / 1000)
    except sqlite3.OperationalError as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            if network:
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
            else:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(describe_database_error(path, exc)) from exc
    return conn


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """A connection as a sqlite-utils Database (for its table helpers and migrations)."""
    import sqlite_utils

    return sqlite_utils.Database(conn, execute_plugins=False)


# --- what an SQLite error means for the person ---------------------------------------------------------------

def error_kind(exc: BaseException) -> str:
    """What an SQLite error is about: 'busy', 'full', 'io', 'damaged', 'readonly', or '' (anything else)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "busy"
    if name == "SQLITE_FULL" or "disk is full" in text:
        return "full"
    if name.startswith("SQLITE_IOERR") or "disk I/O error" in text:
        return "io"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "file is not a database" in text or "malformed" in text:
        return "damaged"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "readonly"
    if "locked" in text or "busy" in text:
        return "busy"
    return ""


def quoted(value: Path | str) -> str:
    """A path as a shell word (POSIX single quotes), so that a command we print can be pasted as it is."""
    return "'" + str(value).replace("'", "'\\''") + "'"


def restore_command(path: Path, backup: Path) -> str:
    return f"{PROG} restore {quoted(backup)} --db {quoted(path)}"


def restore_advice(path: Path) -> str:
    """What to do about a damaged database: the exact command that puts its newest backup back."""
    newest = newest_backup(path)
    if newest is None:
        return (f"no backups of it were found in {backup_folder(path)}; to restore a copy kept elsewhere, run: "
                f"{PROG} restore '<the copy>' --db {quoted(path)}")
    return f"to put back its newest backup ({newest.name}), run: {restore_command(path, newest)}"


def describe_database_error(path: Path | str | None, exc: BaseException) -> str:
    """One sentence for an SQLite error: what happened to the database, and what to do."""
    label = str(path) if path is not None else "the database"
    text = str(exc)
    kind = error_kind(exc)
    if kind == "damaged":
        advice = restore_advice(Path(path)) if path is not None else \
            f"restore a backup ({PROG} backup --list shows them)"
        return f"{label} is damaged or is not an accountability-tui database ({text}); {advice}"
    if kind == "full":
        return (f"the disk holding {label} is full ({text}): nothing was saved and the database is as it was; "
                "free some space, then try again")
    if kind == "io":
        return (f"{label} could not be written or read ({text}: the disk may be full, removed or failing): nothing "
                "was saved and the database is as it was; check the disk and free some space, then try again")
    if kind == "readonly":
        return (f"{label} cannot be written ({text}); check the permissions of the file, its folder and any -wal or "
                f"-shm file beside it ({PROG} check lists them)")
    if kind == "busy":
        return f"{label} is busy: another program is writing to it; try again in a moment"
    return f"{label}: {text}"


def write_failure(path: Path, exc: sqlite3.Error) -> StoreError:
    """The error for a save that failed (in its statements or at COMMIT): busy is DatabaseBusy; a full or failing
    disk, or anything else, says what happened and that nothing was saved. (A dialog adds that the officer's input
    is kept: it stays on screen to be saved again.)"""
    if error_kind(exc) == "busy":
        return DatabaseBusy("the database is busy — another officer is saving; try again")
    return StoreError(describe_database_error(path, exc))


# --- what a file is, read without changing it -------------------------------------------------------------------

def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def journal_beside(path: Path) -> bool:
    """Whether a WAL or rollback journal with something in it lies beside the file (SQLite must read it)."""
    return _has_content(Path(f"{path}-wal")) or _has_content(Path(f"{path}-journal"))


def read_only_uri(path: Path, *, quiet: bool = True) -> str:
    """A read-only URI for path. quiet: SQLite's immutable mode when there is no journal or WAL to read, so that
    nothing is created beside the file (a read-only connection to a WAL file otherwise makes -wal and -shm files,
    with the database's own permissions, and cannot remove them)."""
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    if quiet and not journal_beside(path):
        uri += "&immutable=1"
    return uri


def _open_read_only(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


@dataclass(frozen=True)
class FileState:
    """What a path holds, found without changing anything.

    kind: missing (no file), empty (0 bytes, or an SQLite file with no tables), not-sqlite, damaged (SQLite cannot
    read its schema), foreign (another program's SQLite database), too-new (ours, from a newer accountability-tui),
    ours.
    """

    kind: str
    detail: str = ""
    applied: tuple[str, ...] = ()
    newer: tuple[str, ...] = ()  # migrations applied that this version does not know
    up_to_date: bool = False


def _read_schema(uri: str) -> tuple[set[str], list[str]]:
    conn = _open_read_only(uri)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied = []
        if MIGRATIONS_TABLE in tables:
            applied = [r[0] for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY name", (MIGRATION_SET,))]
    finally:
        conn.close()
    return tables, applied


def inspect(path: Path) -> FileState:
    """What the file at path is, read without writing anything to it or beside it."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return FileState("missing")
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if size == 0:
        return FileState("empty", "0 bytes")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if head != SQLITE_HEADER:
        return FileState("not-sqlite")
    quiet = not journal_beside(path)
    try:
        tables, applied = _read_schema(read_only_uri(path))
    except sqlite3.DatabaseError as exc:
        if error_kind(exc) == "busy":
            raise StoreError(describe_database_error(path, exc)) from exc
        if not (quiet and journal_beside(path)):
            return FileState("damaged", str(exc))
        try:  # a writer started while the file was being read without its journal: read it through the journal
            tables, applied = _read_schema(read_only_uri(path, quiet=False))
        except sqlite3.DatabaseError as again:
            if error_kind(again) == "busy":
                raise StoreError(describe_database_error(path, again)) from again
            return FileState("damaged", str(again))
    if applied:
        known = {p.stem for p in migration_files()}
        newer = tuple(sorted(set(applied) - known))
        return FileState("too-new" if newer else "ours", applied=tuple(applied), newer=newer,
                         up_to_date=set(applied) == known)
    if not [t for t in tables if not t.startswith("sqlite_")]:
        return FileState("empty", "an SQLite file with no tables")
    return FileState("foreign")


def refusal(path: Path, state: FileState) -> StoreError:
    """Why a file that is not a usable accountability-tui database is refused, and what to do."""
    if state.kind == "empty":
        what = "is empty (0 bytes)" if state.detail == "0 bytes" else "is an SQLite file with nothing in it"
        if newest_backup(path) is not None:
            return StoreError(f"{path} {what}: a database that had work in it has been damaged (a failed copy or a "
                              f"full disk can do this); nothing was changed; {restore_advice(path)}")
        return StoreError(f"{path} {what} and has no backups in {backup_folder(path)}; nothing was changed; "
                          f"to make a new database in it, run: {PROG} init --db {quoted(path)}")
    if state.kind == "not-sqlite":
        if newest_backup(path) is not None:
            return StoreError(f"{path} is not an accountability-tui database any more (it is not an SQLite file: "
                              f"damaged or overwritten); {restore_advice(path)}")
        return StoreError(f"{path} is not an accountability-tui database (it is not an SQLite file); "
                          "check the path given with --db")
    if state.kind == "damaged":
        return StoreError(f"{path} is damaged ({state.detail}); {restore_advice(path)}")
    if state.kind == "foreign":
        return StoreError(f"{path} is an SQLite file but not an accountability-tui database; it was left as it "
                          "was; check the path given with --db")
    if state.kind == "too-new":
        return SchemaTooNew(f"{path} was written by a newer accountability-tui (schema {state.newer[-1]}); "
                            "upgrade accountability-tui to open it")
    return StoreError(f"{path} cannot be opened")


def integrity_problems(conn: sqlite3.Connection, *, quick: bool = False) -> list[str]:
    """SQLite's own checks: integrity (or the quicker check) and foreign keys. The problems found."""
    rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    problems = [str(r[0]) for r in rows if r[0] != "ok"]
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid} points to a missing {parent} record")
    return problems


def write_problems(path: Path) -> list[str]:
    """The files (the database, its -wal, -shm or journal) and the folder that cannot be written: each makes saves
    fail."""
    problems = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            info = candidate.stat()
        except OSError:
            continue
        if os.access(candidate, os.R_OK | os.W_OK):
            continue
        mode = stat.filemode(info.st_mode)
        if info.st_uid == os.geteuid():
            fix = f"run: chmod u+rw {quoted(candidate)}"
        else:
            fix = f"it belongs to user id {info.st_uid}: ask them (or an administrator) to let you write it"
        problems.append(f"{candidate} cannot be written ({mode}): saves will fail; {fix}")
    folder = path.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(f"the folder {folder} cannot be written: SQLite keeps its journal there, so saves will fail")
    return problems


def create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror}") from exc
    os.close(fd)


# --- backups ----------------------------------------------------------------------------------------------------

def backup_folder(path: Path) -> Path:
    """Where the backups of the database at path go: <file name>-backups beside it (work.db-backups), so that
    work.db and work.sqlite keep theirs apart."""
    return path.parent / f"{path.name}-backups"


def old_backup_folder(path: Path) -> Path:
    """The folder earlier versions used (<stem>-backups). Its backups are still listed (and offered by restore
    advice); nothing new is written there and nothing in it is rotated away."""
    return path.parent / f"{path.stem}-backups"


def list_backups(path: Path) -> list[Path]:
    """The backups of the database at path, newest last (both folders; names carry the time they were made)."""
    found: dict[Path, None] = {}
    for folder in (backup_folder(path), old_backup_folder(path)):
        if folder.is_dir():
            for candidate in folder.glob(f"{path.stem}-*.db"):
                if _STAMPED.search(candidate.name) and candidate.is_file():
                    found[candidate] = None
    return sorted(found, key=lambda p: (p.name, str(p)))


def newest_backup(path: Path) -> Path | None:
    backups = list_backups(path)
    return backups[-1] if backups else None


def _copy(source: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """SQLite's backup API, giving up after COPY_TIMEOUT_S if the database stays busy (Python's own loop would
    wait for ever)."""
    deadline = time.monotonic() + COPY_TIMEOUT_S

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise DatabaseBusy("the database stayed busy (another program was writing to it) and could not be "
                               "copied; nothing was changed; try again in a moment")

    source.backup(dest, progress=progress)


def _copy_to_file(source: sqlite3.Connection, target: Path) -> None:
    """Copy a database into a new private file that holds everything itself (no WAL beside it)."""
    create_private_file(target)
    dest = sqlite3.connect(target, isolation_level=None)
    try:
        _copy(source, dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


@dataclass
class PendingBackup:
    """A copy made, not yet under its backup name (see make_backup)."""

    partial: Path
    target: Path
    published: bool = field(default=False)

    def publish(self) -> Path:
        os.replace(self.partial, self.target)
        self.published = True
        return self.target

    def discard(self) -> None:
        (self.target if self.published else self.partial).unlink(missing_ok=True)


def make_backup(source: sqlite3.Connection, path: Path, reason: str) -> PendingBackup:
    """Copy the database (through source) into a hidden .partial file in its backup folder. A failed copy leaves
    nothing behind. Publish it to give it its backup name."""
    folder = backup_folder(path)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot make the backup folder {folder} ({exc.strerror}); nothing was changed") from exc
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40].strip("-") or "backup"
    target = folder / f"{path.stem}-{_stamp()}-{slug}.db"
    partial = folder / f".{target.name}.partial"
    try:
        _copy_to_file(source, partial)
    except BaseException as exc:
        _failed_copy(partial, path, exc, "no backup was made",
                     lambda why: f"no backup was made in {folder} ({why}); nothing was changed; free some space or "
                                 "check the folder's permissions, then try again")
        raise
    return PendingBackup(partial, target)


def _failed_copy(copy: Path, path: Path, exc: BaseException, what: str, when_os: Callable[[str], str]) -> None:
    """A copy of the database (a backup, a restore's staging file) failed: nothing of it is left behind, and an
    SQLite or OS error becomes one sentence (`what: …`, or when_os of the OS's words)."""
    copy.unlink(missing_ok=True)
    Path(f"{copy}-journal").unlink(missing_ok=True)
    if isinstance(exc, sqlite3.Error):
        raise StoreError(f"{what}: {describe_database_error(path, exc)}") from exc
    if isinstance(exc, OSError):
        raise StoreError(when_os(exc.strerror or str(exc))) from exc


def is_by_hand(backup: Path) -> bool:
    match = _STAMPED.search(backup.name)
    return match is not None and match.group("slug") == BY_HAND


def rotate_backups(path: Path) -> None:
    """Keep the newest BACKUPS_KEPT automatic backups in the backup folder. Backups made by hand, and anything in
    the old-style folder, are never removed."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return
    automatic = [p for p in list_backups(path) if p.parent == folder and not is_by_hand(p)]
    for old in automatic[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def backup(conn: sqlite3.Connection, path: Path, reason: str) -> Path:
    """Copy the database (read through conn, which must not be writing) into the backup folder now; automatic
    backups are rotated, the newest BACKUPS_KEPT kept."""
    made = make_backup(conn, path, reason).publish()
    rotate_backups(path)
    return made


def migrate(db: sqlite_utils.Database, path: Path, existed: bool, migrations: Migrations | None = None, *,
            backup_first: bool = True) -> list[str]:
    """Apply pending migrations, each in its own BEGIN IMMEDIATE transaction. Returns the names applied."""
    migrations = migrations or load_migrations()
    known = set(migrations.names)  # type: ignore[attr-defined]
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise SchemaTooNew(
            f"{path} was written by a newer accountability-tui (schema {unknown[-1]}); "
            "upgrade accountability-tui to open it")
    user_tables = [t for t in db.table_names() if not t.startswith(("_sqlite", "sqlite_"))]
    if existed and user_tables and not applied:
        raise StoreError(f"{path} is an SQLite file but not an accountability-tui database; "
                         "check the path given with --db")
    pending = migrations.pending(db)
    if not pending:
        return []
    if existed and applied and backup_first:
        backup(db.conn, path, f"before-migration-{pending[0].name}")
    done = []
    # SQLite's way to change a table it cannot ALTER (lang_altertable.html, "12 steps"): foreign keys off around the
    # migration (it cannot be turned off inside a transaction), and checked before it commits.
    enforced = bool(db.conn.execute("PRAGMA foreign_keys").fetchone()[0])
    db.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        for migration in pending:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                before = _foreign_key_problems(db.conn) if enforced else 0
                # apply() runs the one pending migration (inside a savepoint of our transaction) and records it
                later = [m.name for m in migrations.pending(db) if m.name != migration.name]
                migrations.apply(db, stop_before=later[0] if later else None)
                if enforced and _foreign_key_problems(db.conn) > before:
                    raise StoreError(f"the upgrade of {path} ({migration.name}) would break references between "
                                     "records; nothing was changed")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")
            done.append(migration.name)
    finally:
        if enforced:
            db.conn.execute("PRAGMA foreign_keys = ON")
    return done


def _foreign_key_problems(conn: sqlite3.Connection) -> int:
    """How many rows refer to a record that does not exist (PRAGMA foreign_key_check)."""
    return len(conn.execute("PRAGMA foreign_key_check").fetchall())


# --- restoring ----------------------------------------------------------------------------------------------------

def validate_backup(path: Path) -> None:
    """Refuse, before anything is replaced, a file that opening would refuse as a database: not ours, from a newer
    accountability-tui, or damaged (SQLite's integrity and foreign-key checks)."""
    if not path.is_file():
        raise StoreError(f"no backup at {path}")
    state = inspect(path)
    choose = f"choose another ({PROG} backup --list shows them)"
    if state.kind == "empty":
        raise StoreError(f"{path} is empty: it is not a usable backup; {choose}")
    if state.kind in ("not-sqlite", "foreign"):
        what = " (it is not an SQLite file)" if state.kind == "not-sqlite" else ""
        raise StoreError(f"{path} is not an accountability-tui database{what}; {choose}")
    if state.kind == "damaged":
        raise StoreError(f"{path} is damaged ({state.detail}); {choose}")
    if state.kind == "too-new":
        raise SchemaTooNew(f"{path} was written by a newer accountability-tui (schema {state.newer[-1]}): once "
                           "restored, this version could not open the database; upgrade accountability-tui first, "
                           f"or {choose}")
    try:
        conn = _open_read_only(read_only_uri(path))
        try:
            problems = integrity_problems(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be used ({exc}); {choose}") from exc
    if problems:
        raise StoreError(f"{path} is damaged ({problems[0]}); {choose}")


def versioned_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables whose rows carry a version for optimistic concurrency (not the histories, which record them)."""
    rows = conn.execute(
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c ON c.name = 'version' "
        "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE '%history' ORDER BY m.name")
    return [r[0] for r in rows]


def highest_version(conn: sqlite3.Connection) -> int:
    """The highest version of any record."""
    return max([int(conn.execute(f'SELECT coalesce(max(version), 0) FROM "{t}"').fetchone()[0])
                for t in versioned_tables(conn)] or [0])


@dataclass(frozen=True)
class Restored:
    """What a restore did with the database it replaced."""

    before: Path | None  # a backup of it (it was sound): restoring this undoes the restore
    damaged: Path | None  # where it was set aside (it was damaged, empty or missing its schema), never deleted


def _stage(backup_path: Path, path: Path, raise_by: int) -> Path:
    """A copy of the backup beside the database, brought up to this version's schema, with every version raised by
    raise_by (versions only go up, so that an edit read before the restore is refused as a conflict)."""
    staged = path.parent / f".{path.name}.restoring-{_stamp()}"
    try:
        source = _open_read_only(read_only_uri(backup_path))
        try:
            _copy_to_file(source, staged)
        finally:
            source.close()
        conn = sqlite3.connect(staged, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(database(conn), staged, existed=True, backup_first=False)
            conn.execute("BEGIN IMMEDIATE")
            for table in versioned_tables(conn):
                conn.execute(f'UPDATE "{table}" SET version = version + ?', (raise_by,))
            conn.execute("COMMIT")
        finally:
            conn.close()
    except BaseException as exc:
        _failed_copy(staged, path, exc, "the backup could not be prepared",
                     lambda why: f"the backup could not be prepared beside {path} ({why}); nothing was changed")
        raise
    return staged


def _sound(path: Path) -> bool:
    """Whether the file at path can be read as a whole (SQLite's quick check), read through its journal."""
    try:
        conn = _open_read_only(read_only_uri(path, quiet=False))
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if error_kind(exc) == "busy":
            raise StoreError(describe_database_error(path, exc)) from exc
        return False


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _restore_live(path: Path, backup_path: Path, *, network: bool) -> Restored:
    """Restore into a sound database through SQLite (other officers' connections see the new content): back up
    what is there, then copy the prepared backup over it."""
    conn = connect(path, network=network)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")  # while the highest version is read and the copy made, nobody saves
        except sqlite3.OperationalError as exc:
            raise write_failure(path, exc) from exc
        try:
            highest = highest_version(conn)
            reader = connect(path, network=network, readonly=True)
            try:
                pending = make_backup(reader, path, "before-restore")
            finally:
                reader.close()
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        before = pending.publish()
        try:
            staged = _stage(backup_path, path, highest + VERSION_MARGIN)
            try:
                source = sqlite3.connect(staged)
                try:
                    _copy(source, conn)  # one step, one transaction: all of it or nothing
                except sqlite3.Error as exc:
                    raise write_failure(path, exc) from exc
                finally:
                    source.close()
            finally:
                staged.unlink(missing_ok=True)
        except BaseException:
            pending.discard()  # nothing was replaced: no backup of it is needed
            raise
        rotate_backups(path)
        return Restored(before=before, damaged=None)
    finally:
        conn.close()


def _restore_replacing(path: Path, backup_path: Path) -> Restored:
    """Restore where the database is damaged, empty, not SQLite or missing: the file (and its WAL) is set aside as
    <stem>-damaged-<time>.db beside it, and the prepared backup takes its place."""
    path = path.resolve() if path.is_symlink() else path
    readable = None
    if path.exists():
        try:
            conn = _open_read_only(read_only_uri(path))
            try:
                readable = highest_version(conn)
            finally:
                conn.close()
        except sqlite3.Error:
            readable = None
    source = _open_read_only(read_only_uri(backup_path))
    try:
        in_backup = highest_version(source)
    finally:
        source.close()
    # versions read from a damaged file cannot be trusted to be the highest: go well above anything it could hold
    staged = _stage(backup_path, path, max(readable or 0, in_backup) + UNKNOWN_VERSION_MARGIN)
    aside = None
    try:
        if path.exists():
            aside = path.with_name(f"{path.stem}-damaged-{_stamp()}{path.suffix or '.db'}")
            try:
                os.link(path, aside)
            except OSError:
                shutil.copy2(path, aside)
            for suffix in ("-wal", "-journal"):  # its journal belongs to it, not to the restored file
                extra = Path(f"{path}{suffix}")
                if extra.exists():
                    os.replace(extra, Path(f"{aside}{suffix}"))
            Path(f"{path}-shm").unlink(missing_ok=True)  # an index of its WAL, made again from the WAL
        os.replace(staged, path)
    except OSError as exc:
        raise StoreError(f"{path} could not be replaced ({exc.strerror}); it was left as it was"
                         + (f" and a copy kept as {aside}" if aside and aside.exists() else "")) from exc
    finally:
        staged.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return Restored(before=None, damaged=aside)


def restore(path: Path, backup_path: Path, *, network: bool) -> Restored:
    """Replace the database at path with a backup, whatever state the database is in.

    The backup is checked first as opening checks a database. A sound database is backed up, then overwritten
    through SQLite; a damaged (or empty, or missing) one is set aside, never deleted. Every restored version is
    above every version the replaced database had, so an edit read before the restore is refused as a conflict.
    """
    validate_backup(backup_path)
    if path.exists() and path.resolve() == backup_path.resolve():
        raise StoreError("that is the database itself, not a backup")
    if path.is_dir():
        raise StoreError(f"{path} is a folder; give the path of a database file")
    if not path.parent.is_dir():
        raise StoreError(f"the folder {path.parent} does not exist")
    can_write, why = writable(path)
    if not can_write:
        raise StoreError(f"cannot restore into {path}: {why}; nothing was changed")
    state = inspect(path)
    if state.kind == "foreign" and _sound(path):
        raise StoreError(f"{path} is another program's SQLite database, not an accountability-tui one; nothing was "
                         "changed; check the path given with --db")
    if state.kind in ("ours", "too-new") and _sound(path):
        return _restore_live(path, backup_path, network=network)
    return _restore_replacing(path, backup_path)
