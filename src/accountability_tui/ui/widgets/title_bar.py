"""The line at the top of every screen: the app's title and what it is showing (the file, the as-of date).

Textual's Header watches the app's title and sub-title; those watches outlive the screen (Textual 8.2, issue
#6666), so every screen opened and closed stayed in memory with all its widgets (measured: 78 MB over 200 visits,
make bench). This bar holds no watch: the app refreshes the bars when the sub-title changes.
"""

from __future__ import annotations

from textual.widgets import Static

from accountability_tui.ui.widgets.text import content


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { dock: top; width: 100%; height: 1; background: $panel; color: $foreground; text-align: center;
               text-style: bold; }
    """

    def on_mount(self) -> None:
        self.show_title()

    def show_title(self) -> None:
        app = self.app
        self.update(content(f"{app.title} — {app.sub_title}" if app.sub_title else app.title))
