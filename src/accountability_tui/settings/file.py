"""The settings file checked, key by key: TOML read with tomllib into a pydantic model that refuses any key it
does not know. Imported only when there is a file (importing pydantic is a good part of the app's start-up)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from accountability_tui.domain.models import STALE_DAYS
from accountability_tui.settings import NAMES, AsOfRule, Settings, SettingsProblem

MAX_STALE_DAYS = 3650


def read(raw: bytes) -> tuple[Settings, frozenset[str]]:
    """The settings a file gives (the others their defaults), and which it gave. Raises SettingsProblem."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SettingsProblem("", "is not UTF-8 text; save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_problem(exc, text) from None
    try:
        model = SettingsFile.model_validate(data)
    except ValidationError as exc:
        raise _first(exc) from None
    given = frozenset(model.model_fields_set)
    return Settings(**{name: getattr(model, name) for name in given}), given


def _wrong(message: str) -> PydanticCustomError:
    return PydanticCustomError("setting", message)


class SettingsFile(BaseModel):
    """What a settings file may hold: the fields of Settings, each checked, and nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    database: Path | None = None  # None: $ACCOUNTABILITY_TUI_DB, else accountability.db in the user data folder
    as_of: AsOfRule = "today"
    export_folder: Path | None = None  # None: "accountability-tui briefings" in the user's documents
    stale_days: int = STALE_DAYS
    theme: str = "textual-dark"
    keymap: dict[str, str] = {}

    @field_validator("database", "export_folder", mode="before")
    @classmethod
    def _path(cls, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            raise _wrong("must be a path in quotes, e.g. \"~/Documents/opcc\"")
        return Path(value.strip()).expanduser()

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, value: Any) -> AsOfRule:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            rule = value.strip().lower().replace("_", "-").replace(" ", "-")
            if rule in ("today", "next-meeting"):
                return "today" if rule == "today" else "next-meeting"
            from accountability_tui.domain.dates import parse_date

            try:
                return parse_date(value)
            except ValueError:
                pass
        raise _wrong("must be \"today\", \"next-meeting\" or a date, e.g. 2026-12-10")

    @field_validator("stale_days", mode="before")
    @classmethod
    def _days(cls, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise _wrong("must be a whole number of days")
        if not 1 <= value <= MAX_STALE_DAYS:
            raise _wrong(f"must be between 1 and {MAX_STALE_DAYS} days")
        return value

    @field_validator("theme", mode="before")
    @classmethod
    def _theme(cls, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise _wrong("must be a theme's name in quotes, e.g. \"textual-light\"")
        return value.strip()

    @field_validator("keymap", mode="before")
    @classmethod
    def _keymap(cls, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise _wrong("must be a table: [keymap] then one line a key, e.g. \"actions.edit\" = \"ctrl+e\"")
        return {binding_id: _keys(binding_id, keys) for binding_id, keys in _flat(value).items()}


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The keymap's ids, dotted: `actions.edit = "e"` unquoted is the table {actions: {edit: "e"}} in TOML."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _keys(binding_id: str, value: Any) -> str:
    """The key(s) for one id: "ctrl+e", "e,f2" or ["e", "f2"], as one comma-separated string."""
    keys = value if isinstance(value, list) else [value]
    if all(isinstance(k, str) for k in keys):
        names = [name.strip() for k in keys for name in k.split(",")]
        if names and all(name and " " not in name for name in names):
            return ",".join(names)
    raise SettingsProblem(f"keymap.{binding_id}",
                          "must be a key in quotes, e.g. \"ctrl+e\", or several: \"e,f2\"")


def _toml_problem(exc: tomllib.TOMLDecodeError, text: str) -> SettingsProblem:
    """Bad TOML: the line, and the key on it when there is one."""
    message = str(exc)
    line_no = getattr(exc, "lineno", None)
    if line_no is None:  # Python 3.11/3.12: "Invalid value (at line 3, column 14)"
        found = re.search(r"at line (\d+)", message)
        line_no = int(found.group(1)) if found else None
    reason = getattr(exc, "msg", None) or message.split(" (at ")[0]
    where, hint = (f"line {line_no}" if line_no else ""), ""
    lines = text.splitlines()
    if line_no and 0 < line_no <= len(lines) and "=" in lines[line_no - 1]:
        key, value = (part.strip() for part in lines[line_no - 1].split("=", 1))
        if key.strip("\"'"):
            where = f"{key.strip(chr(34) + chr(39))} (line {line_no})"
        if value[:1].isalpha() and value not in ("true", "false"):
            hint = f"; words need quotes: {key} = \"{value}\""
    return SettingsProblem(where, f"not valid TOML ({reason[:1].lower()}{reason[1:]}){hint}")


def _first(exc: ValidationError) -> SettingsProblem:
    """The first mistake pydantic found, as key: what to do."""
    error = exc.errors()[0]
    loc = [str(part) for part in error["loc"]]
    key = ".".join(loc)
    if error["type"] == "extra_forbidden":
        near = difflib.get_close_matches(key, NAMES, n=1)
        hint = f"did you mean {near[0]}?" if near else f"the settings are {', '.join(NAMES)}"
        return SettingsProblem(key, f"is not a setting ({hint})")
    if error["type"] == "setting":
        return SettingsProblem(key, error["msg"])
    if loc and loc[0] == "keymap":  # a value of the wrong kind inside the keymap
        return SettingsProblem(key, "must be a key in quotes, e.g. \"ctrl+e\"")
    return SettingsProblem(key, error["msg"].lower())
