"""The settings in the app: a keymap in the settings file changes a key (the footer and ? show the new one), and the
theme applies."""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets._footer import FooterKey

from accountability_tui import settings as config
from accountability_tui.ui.registry import binding_ids, theme_names

from apphelp import make_app, wait_for, wait_screen


def _settings(tmp_path, monkeypatch, text: str) -> config.Settings:
    """The settings as the app gets them from the command line: read from the file, checked against its keys."""
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv(config.ENV_VAR, str(path))
    loaded = config.load(binding_ids=binding_ids(), themes=theme_names())
    assert loaded.problem is None, loaded.problem
    return loaded.settings


async def _actions(pilot):
    dashboard = await wait_screen(pilot, "dashboard")
    await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
    await pilot.press("2")
    screen = await wait_screen(pilot, "actions")
    table = screen.query_one("#table")
    await wait_for(pilot, lambda: table.row_count > 0 and screen.selected is not None, "the actions")
    return screen


def _footer_keys(screen) -> dict[str, str]:
    return {key.description: key.key_display for key in screen.query(FooterKey)}


async def test_a_keymap_in_the_settings_file_changes_a_key_in_the_footer_and_the_help(seeded_path, tmp_path,
                                                                                      monkeypatch):
    settings = _settings(tmp_path, monkeypatch, '[keymap]\n"actions.edit" = "ctrl+e"\n')
    app = make_app(seeded_path, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        await wait_for(pilot, lambda: _footer_keys(screen).get("Edit") == "^e", "the new key in the footer")
        assert "e" not in app.active_bindings  # the old key does nothing
        await pilot.press("e")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+e")  # the new one edits
        edit = await wait_screen(pilot, "ActionEditScreen")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen and not edit.is_attached, "back on the actions")
        await pilot.press("question_mark")
        help_screen = await wait_screen(pilot, "HelpScreen")
        table = help_screen.query_one("#keys")
        rows = [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
        assert ("Actions", "ctrl+e", "Edit") in rows
        assert ("Actions", "e", "Edit") not in rows
        assert ("Actions", "a", "New action") in rows  # the keys the keymap does not name are as they were


async def test_without_a_keymap_the_keys_are_the_defaults(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _actions(pilot)
        await wait_for(pilot, lambda: _footer_keys(screen).get("Edit") == "e", "the default key in the footer")
        await pilot.press("e")
        await wait_screen(pilot, "ActionEditScreen")


async def test_the_theme_setting_applies(seeded_path, tmp_path, monkeypatch):
    settings = _settings(tmp_path, monkeypatch, 'theme = "textual-light"\n')
    app = make_app(seeded_path, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        assert app.theme == "textual-light" and not app.current_theme.dark
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        assert app.theme == "textual-dark" and app.current_theme.dark


async def test_the_export_folder_setting_is_where_the_app_suggests_exports(seeded_path, tmp_path, monkeypatch):
    settings = _settings(tmp_path, monkeypatch, 'export_folder = "exports"\nstale_days = 30\n')
    app = make_app(seeded_path, settings=settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        assert app.export_folder == tmp_path / "exports"  # relative to the settings file's folder
        assert app.settings.stale_days == 30
        # the briefing builder suggests that folder, and makes it when the briefing is written there
        await pilot.press("5")
        meetings = await wait_screen(pilot, "meetings")
        await wait_for(pilot, lambda: meetings.query_one("#table").row_count > 0, "the meetings")
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None, "the briefing")
        await pilot.press("x")
        prompt = await wait_screen(pilot, "ExportPrompt")
        value = prompt.query_one("#value", Input).value
        assert value.startswith(str(tmp_path / "exports" / "briefing-")) and value.endswith(".md")
        await pilot.press("enter")
        await wait_for(pilot, lambda: list((tmp_path / "exports").glob("briefing-*.md")), "the briefing written")



def test_the_app_from_the_command_line_starts_on_the_defaults_and_says_why(seeded_path, tmp_path, monkeypatch,
                                                                             capsys):
    """A bad file: one line on stderr (which the app's screen covers, so the app says it too as it opens: the
    store's warnings are notified on mount), and the app gets every default."""
    from accountability_tui import cli
    from accountability_tui.ui.app import AccountabilityApp

    started: list[AccountabilityApp] = []
    monkeypatch.setattr(AccountabilityApp, "run", lambda self, *a, **k: started.append(self))
    path = tmp_path / "settings.toml"
    path.write_text('theme = "textual-light"\n[keymap]\n"actions.edt" = "ctrl+e"\n')
    monkeypatch.setenv(config.ENV_VAR, str(path))
    assert cli.main(["--db", str(seeded_path), "--as-of", "2026-11-22"]) == 0
    line = f"{path}: keymap.actions.edt: no key has this id (did you mean actions.edit?); using the default settings"
    assert capsys.readouterr().err == f"accountability-tui: {line}\n"
    (app,) = started
    assert app.settings == config.Settings() and app.theme == "textual-dark"
    assert line in app.services.warnings
    app.services.close()

    path.write_text('theme = "textual-light"\nstale_days = 30\n[keymap]\n"actions.edit" = "ctrl+e"\n')
    assert cli.main(["--db", str(seeded_path), "--as-of", "2026-11-22"]) == 0
    assert capsys.readouterr().err == ""
    app = started[-1]
    assert app.theme == "textual-light" and app.settings.keymap == {"actions.edit": "ctrl+e"}
    assert app.settings.stale_days == 30
    app.services.close()
