"""Where the migrations and the seed data are: inside the wheel, or at the top of the repository."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the package (this file is in domain/)


def _data_root() -> Path:
    bundled = _PACKAGE / "_data"  # a built wheel carries db/ and seed_data/ here (see pyproject.toml)
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parents[1]  # src/accountability_tui -> the repository


def migrations_dir() -> Path:
    return _data_root() / "db"


def seed_dir() -> Path:
    return _data_root() / "seed_data"
