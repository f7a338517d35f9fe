"""Writing a briefing to a file: atomically (a temporary file, then a rename), never over a file by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from accountability_tui.domain.errors import AppError


class FileExists(AppError):
    """The target exists and replacing it was not asked for."""


def write_atomically(path: str | Path, text: str, *, force: bool = False) -> Path:
    """Write text to path so that a reader sees the old file or the new one, never half of one."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise AppError(f"{path} is a folder; give a file name such as {path / 'briefing.md'}")
    if not path.parent.is_dir():
        raise AppError(f"the folder {path.parent} does not exist")
    if path.exists() and not force:
        raise FileExists(f"{path} already exists; add --force to replace it")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
