"""The one list of the app's screens and dialogs, with their keys: navigation, the palette and the help read it."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.screen import Screen


@dataclass(frozen=True)
class Entry:
    name: str  # how the app and the palette refer to it
    title: str  # how a person does
    key: str | None  # the key that opens it from anywhere (main screens)
    help: str  # one line for the palette
    module: str  # where its class is, under accountability_tui.ui.screens
    cls: str

    def load(self) -> type[Screen]:
        screen: type[Screen] = getattr(importlib.import_module(f"accountability_tui.ui.screens.{self.module}"),
                                       self.cls)
        return screen


MAIN = [
    Entry("dashboard", "Dashboard", "1", "Where each plan stands; HMICFRS; next meeting", "dashboard",
          "DashboardScreen"),
    Entry("actions", "Actions", "2", "Every action: filter, sort, edit", "actions", "ActionsScreen"),
    Entry("findings", "Findings", "3", "HMICFRS findings and their linked actions", "findings", "FindingsScreen"),
    Entry("questions", "Questions", "4", "Questions for the Chief Constable", "questions", "QuestionsScreen"),
    Entry("meetings", "Meetings", "5", "Create and prepare meetings: overdue review, briefing, export", "meetings",
          "MeetingsScreen"),
    Entry("performance", "Performance", "6", "Performance measures by objective: latest figures, baselines, charts",
          "performance", "PerformanceScreen"),
]
SCREENS = {e.name: e for e in MAIN}

# What the palette offers besides the main screens: (title, target, help)
SHORTCUTS = [
    ("Overdue actions", "actions-overdue", "Actions overdue at the as-of date"),
    ("Help: keys", "help", "Every key of every screen"),
    ("Undo the last change", "undo", "To the action, finding or question under the cursor (a new change; the history "
                                     "keeps both)"),
]

# Screens and dialogs opened from the main screens, for the help: (where, module, class)
OTHERS = [
    ("New action", "action_new", "ActionNewScreen"),
    ("Edit an action", "action_edit", "ActionEditScreen"),
    ("Filter actions", "action_filters", "ActionFiltersScreen"),
    ("Write a question", "question_edit", "QuestionEditScreen"),
    ("Record an answer", "answer", "AnswerScreen"),
    ("A meeting's details", "meeting_edit", "MeetingEditScreen"),
    ("Overdue review", "review", "ReviewScreen"),
    ("Briefing builder", "briefing", "BriefingScreen"),
    ("Confirm", "confirm", "ConfirmScreen"),
    ("A plan's details", "plan_edit", "PlanEditScreen"),
    ("Pick from a list", "picker", "PickerScreen"),
    ("A date or a file", "text_prompt", "TextPrompt"),
    ("An update or note", "text_prompt", "ProsePrompt"),
]

# what Enter does where it is not a binding (an Input's or a TextArea's own), for the help
ENTER = {
    "TextPrompt": [Binding("enter", "", "Confirm what is typed")],
    "ProsePrompt": [Binding("enter", "", "A new line (ctrl+s saves)")],
    "PickerScreen": [Binding("enter", "", "Choose the highlighted item")],
}


def app_bindings() -> list[Binding]:
    """The keys that work everywhere: a main screen each, help, the palette, quit."""
    return [Binding(e.key, f"go('{e.name}')", e.title, id=f"app.{e.name}", show=False) for e in MAIN if e.key] + [
        Binding("question_mark", "help", "Help", id="app.help", key_display="?"),
        Binding("ctrl+p", "command_palette", "Find", id="app.palette", key_display="^p"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]


def key_sources(keymap: Mapping[str, str] | None = None) -> list[tuple[str, list[Binding]]]:
    """Every screen's keys, for the help: everywhere, then each main screen, then the others. keymap: the
    officer's keys by binding id (the keymap setting, as App.set_keymap applies it), shown instead of the defaults."""
    sources = _key_sources()
    if not keymap:
        return sources
    return [(where, [_remapped(b, keymap) for b in bindings]) for where, bindings in sources]


def _remapped(binding: Binding, keymap: Mapping[str, str]) -> Binding:
    keys = keymap.get(binding.id) if binding.id else None
    return binding.with_key(keys, key_display=None) if keys else binding


def binding_ids() -> frozenset[str]:
    """The id of every key of the app, its screens and its widgets: what a keymap in the settings may name."""
    import pkgutil

    from textual.dom import DOMNode

    from accountability_tui.ui import screens, widgets

    ids = {b.id for b in app_bindings() if b.id}
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, DOMNode) and "BINDINGS" in vars(value):
                    ids.update(b.id for b in _as_bindings(value.BINDINGS) if b.id)
    return frozenset(ids)


def theme_names() -> frozenset[str]:
    """The themes the theme setting may name: Textual's own (the app registers none of its own)."""
    from textual.theme import BUILTIN_THEMES

    return frozenset(BUILTIN_THEMES)


def _key_sources() -> list[tuple[str, list[Binding]]]:
    from accountability_tui.ui.screens.base import MainScreen

    everywhere = app_bindings() + _as_bindings(MainScreen.BINDINGS)
    sources: list[tuple[str, list[Binding]]] = [("Everywhere", everywhere)]
    for entry in MAIN:
        bindings = _as_bindings(entry.load().BINDINGS)
        if entry.name == "dashboard":
            bindings.append(Binding("enter", "", "Open the list behind a figure"))
        if entry.name == "performance":
            bindings[:0] = [Binding("up,down", "", "Move through the measures (the detail and chart follow)")]
        sources.append((entry.title, bindings))
    for where, module, cls in OTHERS:
        screen = getattr(importlib.import_module(f"accountability_tui.ui.screens.{module}"), cls)
        sources.append((where, ENTER.get(cls, []) + _own_bindings(screen)))
    return sources


def _own_bindings(cls: type) -> list[Binding]:
    """A dialog's keys with those it inherits from the app's own classes (a prose prompt's Esc is a prompt's),
    merged as Textual merges them: a key a subclass binds again keeps its place. Textual's own (tab, copy) are
    not listed."""
    keys: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("accountability_tui.") and "BINDINGS" in vars(base):
            keys.update((b.key, b) for b in _as_bindings(vars(base)["BINDINGS"]))
    return list(keys.values())


def _as_bindings(items: Iterable[BindingType]) -> list[Binding]:
    """Keys as Bindings. Textual also allows (key, action[, description]) tuples in BINDINGS; this app writes
    only Bindings, and the help reads their fields."""
    bindings: list[Binding] = []
    for item in items:
        if not isinstance(item, Binding):
            raise TypeError(f"write the key {item!r} as a Binding")
        bindings.append(item)
    return bindings
