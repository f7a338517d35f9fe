"""The officer's settings: one TOML file in their config folder, read once by the faces (the app, the command line).

    database = "~/Documents/opcc/accountability.db"   # the database used without --db ($ACCOUNTABILITY_TUI_DB wins)
    as_of = "next-meeting"                            # "today", "next-meeting" or a date: 2026-12-10
    export_folder = "~/Documents/briefings"           # where briefings, reports and list exports are suggested
    stale_days = 60                                   # a status not reported for longer is stale
    theme = "textual-light"                           # any Textual theme
    [keymap]                                          # a key's id (see ? in the app) = the key(s) that do it
    "actions.edit" = "ctrl+e"

A file that cannot be used is one line naming the file and the key (Loaded.problem), and everything is the
default. Plain Python (no Textual): the faces hand in what only they know, the ids of their keys and the names
of their themes, so that a keymap or a theme they cannot apply is refused like any other mistake.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from accountability_tui.domain.models import STALE_DAYS

if TYPE_CHECKING:
    from accountability_tui.services import Services

ENV_VAR = "ACCOUNTABILITY_TUI_CONFIG"  # the settings file to read instead of the one in the config folder
APP_NAME = "accountability-tui"
FILE_NAME = "settings.toml"

AsOfRule = Literal["today", "next-meeting"] | dt.date
Source = Literal["default", "file", "environment", "command line"]

__all__ = ["ENV_VAR", "NAMES", "AsOfRule", "Loaded", "Settings", "SettingsProblem", "as_of_date", "export_folder",
           "in_force", "load", "next_meeting", "settings_path"]


@dataclass(frozen=True)
class Settings:
    """Every setting in force, each with its default. A path is as written (~ expanded; relative to the file's
    folder). The file is checked by settings.file (pydantic, loaded only when there is a file)."""

    database: Path | None = None  # None: $ACCOUNTABILITY_TUI_DB, else accountability.db in the user data folder
    as_of: AsOfRule = "today"
    export_folder: Path | None = None  # None: "accountability-tui briefings" in the user's documents
    stale_days: int = STALE_DAYS
    theme: str = "textual-dark"
    # a key's id -> its key(s), comma-separated, as Textual's App.set_keymap takes them
    keymap: dict[str, str] = field(default_factory=dict)


NAMES = tuple(f.name for f in fields(Settings))  # every setting, in the order `config` shows them


@dataclass
class SettingsProblem(Exception):
    """Why the settings file cannot be used: the key (or line) and what is wrong with it."""

    key: str
    problem: str

    def __str__(self) -> str:
        return f"{self.key}: {self.problem}" if self.key else self.problem


@dataclass(frozen=True)
class Loaded:
    """The settings in force, and where they came from."""

    path: Path  # the settings file (it may not exist)
    path_from: Source  # "environment" when $ACCOUNTABILITY_TUI_CONFIG named it
    exists: bool
    settings: Settings  # the defaults when the file cannot be used
    given: frozenset[str] = field(default_factory=frozenset)  # the settings the file gave (and that are in force)
    problem: str | None = None  # one line naming the file and the key; then every setting is the default

    def source(self, name: str) -> Source:
        """Where a setting in force came from."""
        if name == "database" and os.environ.get(_db_env_var()):
            return "environment"
        return "file" if name in self.given else "default"

    def database(self) -> Path:
        """The database used without --db: $ACCOUNTABILITY_TUI_DB, else the file's, else the default one."""
        from accountability_tui.services.database import default_path

        if self.settings.database is None or self.source("database") == "environment":
            return default_path()
        return self.settings.database

    def database_option(self) -> str | None:
        """The database to open as though named with --db (None: the default one, as services.database finds it)."""
        if self.settings.database is None or self.source("database") == "environment":
            return None
        return str(self.settings.database)


def _db_env_var() -> str:
    from accountability_tui.services.database import ENV_VAR as DB_ENV_VAR

    return DB_ENV_VAR


def settings_path() -> tuple[Path, Source]:
    """The settings file: $ACCOUNTABILITY_TUI_CONFIG, else settings.toml in the user config folder."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured).expanduser(), "environment"
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / FILE_NAME, "default"


def load(path: Path | None = None, *, binding_ids: Collection[str] | None = None,
         themes: Collection[str] | None = None) -> Loaded:
    """Read the settings file (path, else settings_path()). A missing file is every default; a file that cannot be
    used is every default with Loaded.problem saying why in one line. binding_ids and themes: what a keymap and a
    theme may name (None: not checked, for a face that applies neither)."""
    path_from: Source = "command line"
    if path is None:
        path, path_from = settings_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(path, path_from, False, Settings())
    except OSError as exc:
        return _refused(path, path_from, f"cannot be read ({exc.strerror or exc})")
    try:
        settings, given = _parse(raw, path.parent, binding_ids=binding_ids, themes=themes)
    except SettingsProblem as problem:
        return _refused(path, path_from, str(problem))
    return Loaded(path, path_from, True, settings, given=given)


def _refused(path: Path, path_from: Source, why: str) -> Loaded:
    line = f"{path}: {why}; using the default settings"
    try:
        exists = path.exists()
    except OSError:  # a folder this user may not look into: the file is there as far as anyone can tell
        exists = True
    return Loaded(path, path_from, exists, Settings(), problem=line)


def _parse(raw: bytes, folder: Path, *, binding_ids: Collection[str] | None,
           themes: Collection[str] | None) -> tuple[Settings, frozenset[str]]:
    from accountability_tui.settings.file import read

    settings, given = read(raw)
    settings = _anchored(settings, folder)
    _check(settings, binding_ids=binding_ids, themes=themes)
    return settings, given


def _anchored(settings: Settings, folder: Path) -> Settings:
    """Relative paths are relative to the settings file's folder, not to wherever the program was started."""
    def anchored(path: Path | None) -> Path | None:
        return folder / path if path is not None and not path.is_absolute() else path

    return replace(settings, database=anchored(settings.database), export_folder=anchored(settings.export_folder))


def _check(settings: Settings, *, binding_ids: Collection[str] | None, themes: Collection[str] | None) -> None:
    """What only the faces can say: that every id in the keymap is a key of theirs, and that the theme is one."""
    if binding_ids is not None:
        for binding_id in settings.keymap:
            if binding_id not in binding_ids:
                near = difflib.get_close_matches(binding_id, list(binding_ids), n=1)
                hint = f"did you mean {near[0]}?" if near else "? in the app lists the keys; see the README"
                raise SettingsProblem(f"keymap.{binding_id}", f"no key has this id ({hint})")
    if themes is not None and settings.theme not in themes:
        near = difflib.get_close_matches(settings.theme, list(themes), n=1)
        hint = f"did you mean {near[0]}?" if near else f"use one of {', '.join(sorted(themes))}"
        raise SettingsProblem("theme", f"no theme is called {settings.theme!r} ({hint})")


def as_of_date(rule: AsOfRule, today: dt.date, next_meeting: Callable[[dt.date], dt.date | None]) -> dt.date:
    """The as-of date a rule gives: today, a fixed date, or the date of the next planned meeting (on or after
    today; today when none is planned). next_meeting is asked only for that rule."""
    if isinstance(rule, dt.date):
        return rule
    if rule == "next-meeting":
        return next_meeting(today) or today
    return today


def next_meeting(services: Services, today: dt.date) -> dt.date | None:
    """The date of the first meeting still planned on or after today (None: none is)."""
    dates = [m.date for m in services.meetings.planned() if m.date >= today]
    return min(dates) if dates else None


def export_folder(settings: Settings) -> Path:
    """Where briefings, reports and list exports are suggested: the setting, else the folder in the user's
    documents that services.briefing makes when first used."""
    if settings.export_folder is not None:
        return settings.export_folder
    from accountability_tui.services.briefing import export_folder as default_folder

    return default_folder()


def in_force(loaded: Loaded, *, db: str | None = None, as_of: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """Every setting in force, as `accountability-tui config` shows it: {name: {"value", "from"}}. db and as_of:
    what the command line gave (--db, --as-of), which wins over the file."""
    from accountability_tui.services.database import database_path

    settings = loaded.settings
    rows: dict[str, dict[str, Any]] = {}
    database = database_path(db) if db is not None else loaded.database()
    rows["database"] = {"value": str(database), "from": "command line" if db is not None else loaded.source("database")}
    rule = settings.as_of.isoformat() if isinstance(settings.as_of, dt.date) else settings.as_of
    rows["as_of"] = {"value": as_of.isoformat() if as_of else rule,
                     "from": "command line" if as_of else loaded.source("as_of")}
    rows["export_folder"] = {"value": str(export_folder(settings)), "from": loaded.source("export_folder")}
    rows["stale_days"] = {"value": settings.stale_days, "from": loaded.source("stale_days")}
    rows["theme"] = {"value": settings.theme, "from": loaded.source("theme")}
    rows["keymap"] = {"value": dict(settings.keymap), "from": loaded.source("keymap")}
    return rows
