"""Settings: the file in the config folder, every key, the environment, a bad file (one line, the defaults), and
`accountability-tui config`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from accountability_tui import cli
from accountability_tui import settings as config
from accountability_tui.domain.models import STALE_DAYS, is_stale
from accountability_tui.settings import Settings

IDS = {"actions.edit", "actions.new", "app.help", "plan-edit.save"}
THEMES = {"textual-dark", "textual-light", "nord"}


@pytest.fixture
def settings_file(tmp_path, monkeypatch) -> Path:
    """The settings file the loader reads ($ACCOUNTABILITY_TUI_CONFIG), not yet written; no $ACCOUNTABILITY_TUI_DB."""
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir()
    monkeypatch.setenv(config.ENV_VAR, str(path))
    monkeypatch.delenv("ACCOUNTABILITY_TUI_DB", raising=False)
    return path


def test_no_file_is_every_default(settings_file):
    loaded = config.load(binding_ids=IDS, themes=THEMES)
    assert (loaded.path, loaded.path_from, loaded.exists, loaded.problem) == (settings_file, "environment", False, None)
    assert loaded.settings == Settings()
    assert loaded.settings.stale_days == STALE_DAYS == 90 and loaded.settings.as_of == "today"
    assert loaded.settings.theme == "textual-dark" and loaded.settings.keymap == {}
    assert {name: loaded.source(name) for name in config.NAMES} == dict.fromkeys(config.NAMES,
                                                                                          "default")


def test_without_the_environment_it_is_in_the_user_config_folder(monkeypatch):
    from platformdirs import user_config_path

    monkeypatch.delenv(config.ENV_VAR, raising=False)
    assert config.settings_path() == (user_config_path("accountability-tui", appauthor=False) / "settings.toml",
                                      "default")


def test_every_key_is_read(settings_file, tmp_path):
    settings_file.write_text(
        'database = "data/opcc.db"\n'  # relative: to the settings file's folder
        'as_of = 2026-12-10\n'
        'export_folder = "~/briefings"\n'
        'stale_days = 60\n'
        'theme = "nord"\n'
        '[keymap]\n'
        '"actions.edit" = "ctrl+e"\n'
        'actions.new = ["n", "f2"]\n'  # unquoted dotted id: a TOML table, read as the same id
        'plan-edit.save = "ctrl+s"\n', encoding="utf-8")
    loaded = config.load(binding_ids=IDS, themes=THEMES)
    assert loaded.problem is None and loaded.exists
    s = loaded.settings
    assert s.database == settings_file.parent / "data" / "opcc.db"
    assert s.as_of == dt.date(2026, 12, 10)
    assert s.export_folder == Path("~/briefings").expanduser()
    assert (s.stale_days, s.theme) == (60, "nord")
    assert s.keymap == {"actions.edit": "ctrl+e", "actions.new": "n,f2", "plan-edit.save": "ctrl+s"}
    assert all(loaded.source(name) == "file" for name in config.NAMES)
    assert loaded.database() == s.database and loaded.database_option() == str(s.database)
    assert config.export_folder(s) == s.export_folder


@pytest.mark.parametrize(("written", "rule"), [
    ('"today"', "today"), ('"next-meeting"', "next-meeting"), ('"Next meeting"', "next-meeting"),
    ('"2026-12-10"', dt.date(2026, 12, 10)), ('"10/12/2026"', dt.date(2026, 12, 10)),
    ("2026-12-10", dt.date(2026, 12, 10)),
])
def test_the_as_of_rule(settings_file, written, rule):
    settings_file.write_text(f"as_of = {written}\n")
    loaded = config.load()
    assert loaded.problem is None and loaded.settings.as_of == rule


def test_as_of_dates_from_the_rule():
    today = dt.date(2026, 11, 22)
    asked: list[dt.date] = []

    def meeting(day: dt.date) -> dt.date | None:
        asked.append(day)
        return dt.date(2026, 12, 10)

    assert config.as_of_date("today", today, meeting) == today
    assert config.as_of_date(dt.date(2027, 1, 5), today, meeting) == dt.date(2027, 1, 5)
    assert asked == []  # the database is asked only for the next-meeting rule
    assert config.as_of_date("next-meeting", today, meeting) == dt.date(2026, 12, 10) and asked == [today]
    assert config.as_of_date("next-meeting", today, lambda day: None) == today  # none planned: today


def test_the_next_planned_meeting_from_the_database(seeded_path):
    from accountability_tui.services.database import open_services
    from accountability_tui.services.meetings import MeetingDraft

    services = open_services(seeded_path)
    try:
        today = dt.date(2026, 11, 22)
        before = config.next_meeting(services, today)
        for day in (dt.date(2027, 2, 11), dt.date(2026, 12, 10), dt.date(2026, 10, 1)):
            services.meetings.add(MeetingDraft(date=day))
        found = config.next_meeting(services, today)
        assert found == min(d for d in (before, dt.date(2026, 12, 10)) if d)
        assert config.next_meeting(services, dt.date(2030, 1, 1)) is None
    finally:
        services.close()


def test_the_database_in_the_environment_wins_over_the_file(settings_file, tmp_path, monkeypatch):
    settings_file.write_text('database = "/srv/opcc/file.db"\n')
    assert config.load().database() == Path("/srv/opcc/file.db")
    monkeypatch.setenv("ACCOUNTABILITY_TUI_DB", str(tmp_path / "env.db"))
    loaded = config.load()
    assert loaded.source("database") == "environment"
    assert loaded.database() == tmp_path / "env.db" and loaded.database_option() is None


BAD = [
    ("stale_days = \"ninety\"\n", "stale_days: must be a whole number of days"),
    ("stale_days = 9.5\n", "stale_days: must be a whole number of days"),
    ("stale_days = true\n", "stale_days: must be a whole number of days"),
    ("stale_days = 0\n", "stale_days: must be between 1 and 3650 days"),
    ("stale_days = \n", "stale_days (line 2): not valid TOML"),
    ("theme = textual-light\n", 'theme (line 2): not valid TOML (invalid value); words need quotes: '
                                'theme = "textual-light"'),
    ("[keymap\n", "line 2: not valid TOML"),
    ("stale_dayz = 30\n", "stale_dayz: is not a setting (did you mean stale_days?)"),
    ("colour = \"red\"\n", "colour: is not a setting (the settings are database, as_of, export_folder"),
    ("as_of = \"soon\"\n", 'as_of: must be "today", "next-meeting" or a date, e.g. 2026-12-10'),
    ("as_of = \"31/13/2026\"\n", 'as_of: must be "today", "next-meeting" or a date'),
    ("as_of = 2026-12-10T10:00:00\n", 'as_of: must be "today", "next-meeting" or a date'),
    ("as_of = 2026-13-01\n", "as_of (line 2): not valid TOML"),
    ("database = 5\n", "database: must be a path in quotes"),
    ("theme = \"\"\n", "theme: must be a theme's name in quotes"),
    ("theme = \"solarised\"\n", "theme: no theme is called 'solarised'"),
    ("keymap = \"e\"\n", "keymap: must be a table"),
    ("[keymap]\n\"actions.edit\" = 5\n", "keymap.actions.edit: must be a key in quotes"),
    ("[keymap]\n\"actions.edit\" = \"\"\n", "keymap.actions.edit: must be a key in quotes"),
    ("[keymap]\n\"actions.edt\" = \"e\"\n", "keymap.actions.edt: no key has this id (did you mean actions.edit?)"),
    ("[keymap]\nactions.edt = \"e\"\n", "keymap.actions.edt: no key has this id"),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[b[1].split(":")[0] + str(i) for i, b in enumerate(BAD)])
def test_a_bad_file_is_one_line_naming_the_file_and_the_key_and_every_default(settings_file, text, expected):
    good = 'theme = "nord"\n' if "stale_days" in text else "stale_days = 45\n"  # a good line before: default too
    settings_file.write_text(good + text)
    loaded = config.load(binding_ids=IDS, themes=THEMES)
    assert loaded.problem is not None
    assert "\n" not in loaded.problem
    assert loaded.problem.startswith(f"{settings_file}: {expected}"), loaded.problem
    assert loaded.problem.endswith("; using the default settings")
    assert loaded.settings == Settings() and loaded.exists
    assert all(loaded.source(name) == "default" for name in config.NAMES)


@pytest.mark.parametrize("raw", [b"\xff\xfe\x00t", b"theme = \"\xe9\"\n"])
def test_a_file_that_is_not_utf8_is_one_line(settings_file, raw):
    settings_file.write_bytes(raw)
    loaded = config.load()
    assert loaded.problem == f"{settings_file}: is not UTF-8 text; save it as UTF-8; using the default settings"
    assert loaded.settings == Settings()


def test_a_folder_in_place_of_the_file_is_one_line(settings_file):
    settings_file.mkdir()
    loaded = config.load()
    assert loaded.problem is not None and loaded.problem.startswith(f"{settings_file}: cannot be read (")
    assert loaded.settings == Settings()


def test_ids_and_themes_are_checked_only_by_a_face_that_applies_them(settings_file):
    settings_file.write_text('theme = "mine"\n[keymap]\n"nowhere.key" = "e"\n')
    assert config.load().problem is None  # a command that applies neither
    assert config.load(binding_ids=IDS, themes=THEMES).problem is not None


def test_the_app_knows_every_binding_id_and_theme():
    from accountability_tui.ui.registry import binding_ids, key_sources, theme_names

    ids = binding_ids()
    assert {b.id for _, bindings in key_sources() for b in bindings if b.id} <= ids
    assert {"actions.edit", "app.help", "row_table.down", "plan-edit.save"} <= ids
    assert {"textual-dark", "textual-light"} <= theme_names()


def test_the_settings_module_never_imports_textual():
    code = ("import sys, accountability_tui.settings\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == ""


def test_staleness_takes_its_threshold():
    as_of = dt.date(2026, 11, 22)
    reported = as_of - dt.timedelta(days=70)
    assert not is_stale(reported, as_of) and not is_stale(reported, as_of, days=STALE_DAYS)
    assert is_stale(reported, as_of, days=60)
    assert not is_stale(as_of - dt.timedelta(days=60), as_of, days=60)  # more than 60 days: 61 and on
    assert not is_stale(None, as_of, days=1)


# --- accountability-tui config ------------------------------------------------------------------------------

def _config(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_config_says_where_the_file_is_and_every_default(settings_file, capsys, monkeypatch):
    from platformdirs import user_data_path

    from accountability_tui.services.briefing import export_folder

    code, out, err = _config(capsys, "config")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (f"settings file: {settings_file} (named by $ACCOUNTABILITY_TUI_CONFIG; it does not exist: "
                        "every setting is the default)")
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == ["database", "as_of", "export_folder", "stale_days", "theme", "keymap"]
    assert str(user_data_path("accountability-tui", appauthor=False) / "accountability.db") in rows["database"]
    assert str(export_folder()) in rows["export_folder"]
    assert rows["stale_days"].split()[1:] == ["90", "(default)"]
    assert rows["as_of"].split()[1:] == ["today", "(default)"]
    assert rows["theme"].split()[1:] == ["textual-dark", "(default)"]
    assert "none" in rows["keymap"] and rows["keymap"].endswith("(default)")


def test_config_shows_the_file_the_environment_and_the_command_line(settings_file, tmp_path, capsys, monkeypatch):
    settings_file.write_text('database = "/srv/opcc.db"\nstale_days = 30\ntheme = "textual-light"\n'
                             'as_of = "next-meeting"\n[keymap]\n"actions.edit" = "ctrl+e"\n')
    code, out, err = _config(capsys, "config")
    assert (code, err) == (0, "")
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert rows["database"].split()[1:] == ["/srv/opcc.db", "(file)"]
    assert rows["stale_days"].split()[1:] == ["30", "(file)"]
    assert rows["as_of"].split()[1:] == ["next-meeting", "(file)"]
    assert rows["keymap"].split()[1:] == ["actions.edit", "=", "ctrl+e", "(file)"]
    assert rows["export_folder"].endswith("(default)")
    monkeypatch.setenv("ACCOUNTABILITY_TUI_DB", str(tmp_path / "env.db"))
    code, out, _ = _config(capsys, "config", "--json")
    shown = json.loads(out)
    assert shown["settings"]["database"] == {"value": str(tmp_path / "env.db"), "from": "environment"}
    code, out, _ = _config(capsys, "--db", str(tmp_path / "mine.db"), "--as-of", "2026-12-10", "config", "--json")
    shown = json.loads(out)
    assert shown["settings"]["database"] == {"value": str(tmp_path / "mine.db"), "from": "command line"}
    assert shown["settings"]["as_of"] == {"value": "2026-12-10", "from": "command line"}


def test_config_json(settings_file, capsys):
    settings_file.write_text('stale_days = 45\n[keymap]\n"app.help" = ["f1", "?"]\n')
    code, out, err = _config(capsys, "config", "--json")
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert (shown["file"], shown["file_from"], shown["exists"], shown["problem"]) == (str(settings_file),
                                                                                      "environment", True, None)
    assert list(shown["settings"]) == ["database", "as_of", "export_folder", "stale_days", "theme", "keymap"]
    assert shown["settings"]["stale_days"] == {"value": 45, "from": "file"}
    assert shown["settings"]["keymap"] == {"value": {"app.help": "f1,?"}, "from": "file"}
    assert shown["settings"]["theme"] == {"value": "textual-dark", "from": "default"}


@pytest.mark.parametrize("as_json", [False, True])
def test_config_with_a_bad_file_says_it_once_shows_the_defaults_and_exits_1(settings_file, capsys, as_json):
    settings_file.write_text('stale_days = 30\n[keymap]\n"actions.edt" = "e"\n')
    code, out, err = _config(capsys, "config", *(["--json"] if as_json else []))
    assert code == 1
    assert err == (f"accountability-tui: {settings_file}: keymap.actions.edt: no key has this id (did you mean "
                   "actions.edit?); using the default settings\n")
    if as_json:
        shown = json.loads(out)
        assert shown["problem"] in err and shown["settings"]["stale_days"] == {"value": 90, "from": "default"}
    else:
        rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
        assert rows["stale_days"] == ["90", "(default)"] and rows["keymap"][-1] == "(default)"


# --- the other commands follow the settings -------------------------------------------------------------------

def test_a_command_uses_the_files_database_and_as_of(settings_file, seeded_path, capsys):
    settings_file.write_text(f'database = "{seeded_path}"\nas_of = 2024-06-30\n')
    code, by_file, err = _config(capsys, "overdue", "--json")
    assert (code, err) == (0, "")
    code, by_hand, _ = _config(capsys, "--db", str(seeded_path), "--as-of", "2024-06-30", "overdue", "--json")
    assert by_file == by_hand and json.loads(by_file)
    code, later, _ = _config(capsys, "overdue", "--as-of", "2026-11-22", "--json")  # the command line wins
    assert len(json.loads(later)) > len(json.loads(by_file))


def test_the_next_meeting_rule_on_the_command_line(settings_file, seeded_path, capsys):
    meeting = dt.date.today() + dt.timedelta(days=400)
    assert cli.main(["--db", str(seeded_path), "meeting", "new", "--date", meeting.isoformat()]) == 0
    capsys.readouterr()
    settings_file.write_text(f'database = "{seeded_path}"\nas_of = "next-meeting"\n')
    planned = [m.date for m in _planned(seeded_path) if m.date >= dt.date.today()]
    code, by_rule, err = _config(capsys, "overdue", "--json")
    assert (code, err) == (0, "")
    code, by_hand, _ = _config(capsys, "overdue", "--as-of", min(planned).isoformat(), "--json")
    assert by_rule == by_hand


def _planned(path):
    from accountability_tui.services.database import open_services

    services = open_services(path)
    try:
        return services.meetings.planned()
    finally:
        services.close()


def test_a_command_with_a_bad_file_says_one_line_and_goes_on_with_the_defaults(settings_file, seeded_path, capsys):
    settings_file.write_text('database = "/nowhere/at/all.db"\nstale_days = "ninety"\n')
    code, out, err = _config(capsys, "--db", str(seeded_path), "--as-of", "2026-11-22", "overdue", "--json")
    assert code == 0 and json.loads(out)
    assert err == (f"accountability-tui: {settings_file}: stale_days: must be a whole number of days; using the "
                   "default settings\n")


def test_the_app_starts_on_the_defaults_when_its_keymap_names_no_key(settings_file, capsys):
    settings_file.write_text('theme = "textual-light"\n[keymap]\n"actions.edt" = "e"\n')
    args = argparse.Namespace(db=None, as_of=None)
    cli._settings(args, faces=True)
    assert args.settings.settings == Settings() and args.db is None
    assert capsys.readouterr().err.count("\n") == 1
    settings_file.write_text('theme = "textual-light"\n[keymap]\n"actions.edit" = "ctrl+e"\n')
    cli._settings(args, faces=True)
    assert args.settings.problem is None and args.settings.settings.keymap == {"actions.edit": "ctrl+e"}


def test_the_readme_example_is_a_good_file(settings_file):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Settings", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    settings_file.write_text(example, encoding="utf-8")
    from accountability_tui.ui.registry import binding_ids, theme_names

    loaded = config.load(binding_ids=binding_ids(), themes=theme_names())
    assert loaded.problem is None and loaded.given == set(config.NAMES)
    assert loaded.settings.keymap == {"actions.edit": "ctrl+e", "app.help": "f1,?"}
