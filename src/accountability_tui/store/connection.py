"""Opening the database file: connection settings, migrations, backups, the file's location.

Every connection: foreign_keys=ON, busy_timeout 10 s, WAL on local disks (rollback journal with synchronous=FULL
on network filesystems, where WAL does not work). Transactions are explicit: the connection is in autocommit
mode and every write begins with BEGIN IMMEDIATE (see Store.write).

sqlite-utils is imported only when something is written or migrated: reading needs only sqlite3, and importing
sqlite-utils costs a sixth of the app's start-up (measured: make bench).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from accountability_tui.domain.errors import SchemaTooNew, StoreError
from accountability_tui.domain.resources import migrations_dir

if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATION_SET = "accountability_tui"
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' record of the migrations applied

BUSY_TIMEOUT_MS = 10_000
BACKUPS_KEPT = 10
SQLITE_HEADER = b"SQLite format 3\x00"
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "fuse.sshfs",
              "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.rclone"}


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


def up_to_date(conn: sqlite3.Connection) -> bool:
    """Whether every migration in db/ has been applied and no other (read without sqlite-utils)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (MIGRATIONS_TABLE,)).fetchone():
        return False
    applied = {r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?",
                                          (MIGRATION_SET,))}
    return applied == {p.stem for p in migration_files()}


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


def describe_database_error(path: Path | str, exc: BaseException) -> str:
    text = str(exc)
    if "file is not a database" in text or "malformed" in text:
        backups = backup_folder(Path(path))
        where = f"restore the latest copy from {backups}" if backups.is_dir() else "restore it from your backups"
        return f"{path} is damaged or is not an accountability-tui database ({text}); {where} or give another --db"
    if "readonly" in text or "read-only" in text:
        return f"{path} cannot be written ({text}); check the file and folder permissions"
    if "locked" in text or "busy" in text:
        return f"{path} is busy: another program is writing to it; try again in a moment"
    return f"{path}: {text}"


def check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite touches it."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path} is not an accountability-tui database (it is not an SQLite file); "
                         "check the path given with --db")


def create_private_file(path: Path) -> None:
    """Create an empty database file readable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise StoreError(f"cannot create {path}: {exc.strerror}") from exc
    os.close(fd)


def backup_folder(path: Path) -> Path:
    return path.parent / f"{path.stem}-backups"


def backup(db: sqlite_utils.Database, path: Path, reason: str) -> Path:
    """Copy the open database with SQLite's backup API into the backup folder, keeping the newest ten."""
    folder = backup_folder(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"
    target = folder / f"{path.stem}-{stamp}-{slug}.db"
    partial = folder / f".{target.name}.partial"  # renamed into place only when complete
    create_private_file(partial)
    dest = sqlite3.connect(partial)
    try:
        db.conn.backup(dest)
    finally:
        dest.close()
    os.replace(partial, target)
    backups = sorted(folder.glob(f"{path.stem}-*.db"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


def migrate(db: sqlite_utils.Database, path: Path, existed: bool, migrations: Migrations | None = None) -> list[str]:
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
    if existed and applied:
        backup(db, path, f"before-migration-{pending[0].name}")
    done = []
    for migration in pending:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            # apply() runs the one pending migration (inside a savepoint of our transaction) and records it
            later = [m.name for m in migrations.pending(db) if m.name != migration.name]
            migrations.apply(db, stop_before=later[0] if later else None)
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")
        done.append(migration.name)
    return done


def list_backups(path: Path) -> list[Path]:
    """The backups of the database at path, newest last."""
    folder = backup_folder(path)
    return sorted(folder.glob(f"{path.stem}-*.db")) if folder.is_dir() else []


def validate_backup(path: Path) -> None:
    """Refuse anything that is not a sound accountability-tui database before it replaces the current one."""
    if not path.is_file():
        raise StoreError(f"no backup at {path}")
    check_header(path)
    try:
        conn = sqlite3.connect("file:" + quote(str(path.resolve())) + "?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be used: {exc}") from exc
    if result != "ok":
        raise StoreError(f"{path} is damaged ({result}); choose another backup")
    if "_sqlite_migrations" not in tables or "actions" not in tables:
        raise StoreError(f"{path} is not an accountability-tui database")


def restore(db: sqlite_utils.Database, path: Path, backup_path: Path) -> Path:
    """Replace the database's content with a backup's. The current content is backed up first (so a restore can
    itself be undone); returns that backup."""
    validate_backup(backup_path)
    if backup_path.resolve() == path.resolve():
        raise StoreError("that is the database itself, not a backup")
    before = backup(db, path, "before-restore")
    source = sqlite3.connect("file:" + quote(str(backup_path.resolve())) + "?mode=ro", uri=True)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    return before
