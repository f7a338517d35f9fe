"""Writing a briefing to a file: atomically (a temporary file, then a rename), never over a file by accident.

The internal briefing holds restricted items and officers' comments, so it is written readable by its owner only
(0600) whatever the umask; a public one is written as any new file would be (0666 less the umask).
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from accountability_tui.domain.errors import AppError

_UMASK_LOCK = threading.Lock()


class FileExists(AppError):
    """The target exists and replacing it was not asked for."""


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux), else set back at once."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def write_atomically(path: str | Path, text: str | bytes, *, force: bool = False, private: bool = True) -> Path:
    """Write text (UTF-8, as written) or bytes (a .docx) to path so that a reader sees the old file or the new one,
    never half of one.

    private: readable by its owner only (0600), for anything holding restricted items or comments; otherwise the
    file's permissions follow the umask (0644 under the usual 022). An existing file, or a link (even one to a file
    that does not exist), is replaced only with force.
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise AppError(f"{path} is a folder; give a file name such as {path / 'briefing.md'}")
    if not path.parent.is_dir():
        raise AppError(f"the folder {path.parent} does not exist")
    if (path.exists() or path.is_symlink()) and not force:
        what = "is a link" if path.is_symlink() and not path.exists() else "already exists"
        raise FileExists(f"{path} {what}; add --force to replace it")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # made 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fchmod(fh.fileno(), 0o600 if private else 0o666 & ~current_umask())
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
