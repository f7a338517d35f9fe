"""The shell: help for every key, the command palette, Esc, themes, and sizes from 80x24 to 200x60."""

from textual.command import CommandPalette
from textual.widgets import Input, Static, TextArea

from accountability_tui.ui.registry import key_sources

from apphelp import make_app, settled, static_text, wait_for, wait_screen


def test_every_binding_has_an_id_and_a_description():
    for where, bindings in key_sources():
        for binding in bindings:
            if binding.action in ("noop", ""):
                continue
            assert binding.id, (where, binding.key)
            assert binding.description, (where, binding.key)


async def test_question_mark_lists_the_keys_of_every_screen(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("question_mark")
        screen = await wait_screen(pilot, "HelpScreen")
        table = screen.query_one("#keys")
        where = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert {"Everywhere", "Dashboard", "Actions", "Edit an action", "Findings", "Questions",
                "Write a question"} <= where
        described = {str(table.get_row_at(i)[2]) for i in range(table.row_count)}
        assert {"Edit", "Link finding", "Overdue only", "Move on", "Answer", "Follow-up", "Back"} <= described
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")


async def test_help_at_80x24_keeps_its_words_inside_its_box(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, "dashboard")
        await pilot.press("question_mark")
        screen = await wait_screen(pilot, "HelpScreen")
        box = screen.query_one("#help-box")
        words = box.query_one(Static)
        await wait_for(pilot, lambda: words.region.height > 0, "the help laid out")
        # the words drawn over the dashboard, with its text showing between them, garbled the title
        assert box.region.contains_region(words.region)
        assert "Ctrl+p" in str(words.content) and box.border_title == "Keys — every screen"


async def _palette(pilot, words: str):
    await pilot.press("ctrl+p")
    palette = await wait_for(pilot, lambda: pilot.app.screen if isinstance(pilot.app.screen, CommandPalette)
                             else None, "the command palette")
    await pilot.press(*words)
    return palette


async def test_the_palette_reaches_every_screen_by_name(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        for words, name in (("Findings", "findings"), ("Questions", "questions"), ("Actions", "actions"),
                            ("Dashboard", "dashboard")):
            palette = await _palette(pilot, words)
            commands = palette.query_one("CommandList")
            await wait_for(pilot, lambda: commands.option_count and str(commands.get_option_at_index(0).prompt)
                           .startswith(words), f"hits for {words}")
            await pilot.press("enter")  # the first hit is highlighted
            await wait_screen(pilot, name)


async def test_the_palette_finds_an_action_by_a_word_of_its_text(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        palette = await _palette(pilot, "cuckooing")
        commands = palette.query_one("CommandList")
        await wait_for(pilot, lambda: commands.option_count >= 2, "the actions about cuckooing")
        prompts = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        assert any("Raise public awareness of cuckooing" in p for p in prompts)
        index = next(i for i, p in enumerate(prompts) if "Raise public awareness of cuckooing" in p)
        await pilot.press(*["down"] * index, "enter")
        screen = await wait_screen(pilot, "actions")
        await wait_for(pilot, lambda: screen.selected is not None and "cuckooing" in screen.selected.text,
                       "the action selected")
        assert screen.selected.plan_code == "CSCJ-2022-27" and screen.selected.ref == "56"
        table = screen.query_one("#table")
        assert table.cursor_row > table.size.height  # far down the plan: the list had to scroll to show it
        await wait_for(pilot, lambda: table.scroll_offset.y <= table.cursor_row
                       < table.scroll_offset.y + table.size.height - 1, "the list scrolled to the action")


async def test_the_palette_search_survives_fts_syntax(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        palette = await _palette(pilot, '" AND ( * NEAR')
        await settled(pilot, what="the search")
        assert app.is_running and app.reported == []  # the words are searched for as words, not as FTS syntax
        await pilot.press(*["backspace"] * len('" AND ( * NEAR'), *"cuckooing")
        commands = palette.query_one("CommandList")
        await wait_for(pilot, lambda: commands.option_count >= 2, "the search still finding actions")
        await pilot.press("escape")


async def test_dark_and_light_themes(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_screen(pilot, "dashboard")
        app.theme = "textual-light"
        await pilot.pause()
        assert app.current_theme.dark is False
        app.theme = "textual-dark"
        await pilot.pause()
        assert app.current_theme.dark is True


async def test_usable_at_80x24_and_200x60_and_resizing_keeps_input(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("2")
        screen = await wait_screen(pilot, "actions")
        table = await wait_for(pilot, lambda: screen.query_one("#table"), "the table")
        await wait_for(pilot, lambda: screen.total == 87, "the actions")
        assert set(screen.widths) == {"ref", "status", "due", "days_overdue", "text"}  # what fits in 80 columns
        assert sum(screen.widths.values()) + 2 * (len(screen.widths) + 1) <= 80
        await pilot.press("slash", *"road")
        await pilot.resize_terminal(200, 60)
        await wait_for(pilot, lambda: "priority" in screen.widths and "lead" in screen.widths, "wide columns")
        assert screen.widths["text"] > 80
        assert screen.query_one("#search", Input).value == "road"
        await wait_for(pilot, lambda: table.row_count == 3, "the road actions")
        await pilot.press("enter", "e")
        edit = await wait_screen(pilot, "ActionEditScreen")
        edit.query_one("#note", TextArea).text = "typed before the resize"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert edit.query_one("#note", TextArea).text == "typed before the resize"
        assert app.screen is edit


async def test_escape_goes_back(seeded_path):
    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard")
        await pilot.press("3")
        await wait_screen(pilot, "findings")
        await pilot.press("escape")
        await wait_screen(pilot, "dashboard")
        await pilot.press("escape")  # nothing below the dashboard
        await wait_screen(pilot, "dashboard")
        assert "Plans" in [static_text(s) for s in dashboard.query(".section")]


async def test_every_screen_is_opaque_and_a_dialog_dims_what_it_covers(seeded_path):
    """Each screen has Textual's Screen styles: an opaque background (a see-through screen is drawn with the one
    below it, on every frame), and a dialog's half-dimmed backdrop."""
    from accountability_tui.ui.screens.base import Dialog, MainScreen

    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        seen = []
        for key, name in (("1", "dashboard"), ("2", "actions"), ("3", "findings"), ("4", "questions"),
                          ("5", "meetings"), ("6", "performance")):
            await pilot.press(key)
            screen = await wait_screen(pilot, name)
            assert isinstance(screen, MainScreen)
            assert screen.styles.background.a == 1, name
            seen.append(name)
        await pilot.press("n")  # a new question: a dialog over the Performance screen
        await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "the question form")
        assert 0 < app.screen.styles.background.a < 1
        assert len(seen) == 6


async def test_the_footer_is_not_drawn_again_when_its_keys_are_the_same(seeded_path):
    """Coming back to the dashboard keeps its footer's keys (composing them again cost 15-100 ms a screen), and
    keys thrown away by a recompose leave no watches behind (Textual issue #6666)."""
    from textual.widgets._footer import FooterKey

    from accountability_tui.ui.widgets.app_footer import AppFooter

    app = make_app(seeded_path)
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        footer = dashboard.query_one(AppFooter)
        await wait_for(pilot, lambda: footer.query(FooterKey), "the dashboard's keys")
        keys = list(footer.query(FooterKey))
        for _ in range(3):
            await pilot.press("2")
            actions = await wait_screen(pilot, "actions")
            await wait_for(pilot, lambda s=actions: s.query_one(AppFooter).query(FooterKey), "the actions' keys")
            await pilot.press("escape")
            await wait_screen(pilot, "dashboard")
            await settled(pilot, dashboard, "the dashboard")
        assert list(footer.query(FooterKey)) == keys  # the same widgets: not composed again
        # a recompose that is needed (a key's description changed) leaves only the new keys' watches
        footer._shown = None  # as if a key's description had changed
        footer.call_later(footer.bindings_changed, dashboard)  # as Textual does when the bindings may have changed
        await wait_for(pilot, lambda: footer.query(FooterKey) and not set(footer.query(FooterKey)) & set(keys),
                       "the footer composed again")
        now = list(footer.query(FooterKey))
        watching = [node for node, _ in getattr(footer, "__watchers", {}).get("compact", [])]
        assert watching and all(node in now for node in watching)


async def test_the_footer_names_find_once_and_quit_fits_at_80_columns(seeded_path):
    """ctrl+p (Find) is one of the app's keys: Textual's own copy of it at the footer's right edge said it twice and
    pushed "q Quit" off an 80-column screen."""
    from textual.widgets._footer import FooterKey

    from accountability_tui.ui.widgets.app_footer import AppFooter

    app = make_app(seeded_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        footer = dashboard.query_one(AppFooter)
        await wait_for(pilot, lambda: footer.query(FooterKey), "the dashboard's keys")
        keys = [key.key for key in footer.query(FooterKey)]
        assert keys.count("ctrl+p") == 1
        quit_key = next(key for key in footer.query(FooterKey) if key.key == "q")
        assert quit_key.region.right <= 80 and quit_key.region.width > 0
