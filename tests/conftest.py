"""Shared fixtures: temporary databases made through the same store layer the app uses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accountability_tui.domain.resources import seed_dir
from accountability_tui.services import seed
from accountability_tui.store import Store

ADP = seed_dir() / "sources" / "004_8cb72b75a6a85661.txt"
PLAN_DOC = seed_dir() / "sources" / "000_0c0d51d2b4e25ab8.txt"


@pytest.fixture(autouse=True)
def no_settings_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs on the default settings, whatever settings file the machine's user has (a test of the
    settings points ACCOUNTABILITY_TUI_CONFIG at its own file)."""
    # a path that is missing for every user (the safety tests run the app as another user, who cannot look
    # into pytest's own folders)
    monkeypatch.setenv("ACCOUNTABILITY_TUI_CONFIG", "/nonexistent/accountability-tui-no-settings.toml")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database built once per test session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    with Store.open(path) as store:
        seed.build(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def seeded_path(seeded_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "seeded.db"
    shutil.copy(seeded_template, path)
    path.chmod(0o600)
    return path


@pytest.fixture
def seeded(seeded_path: Path):
    with Store.open(seeded_path) as store:
        yield store


@pytest.fixture
def empty_path(tmp_path: Path) -> Path:
    return tmp_path / "empty.db"


@pytest.fixture
def store(empty_path: Path):
    with Store.open(empty_path) as store:
        yield store


def content_dump(store: Store) -> str:
    """Everything the database holds, as SQL text."""
    return store.dump()
