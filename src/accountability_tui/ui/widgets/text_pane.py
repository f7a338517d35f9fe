"""A scrollable pane of text drawn line by line (Textual's Line API).

A Static in a scrolling container makes Textual lay out the whole screen again each time its text changes height;
on the reference machine that doubled the time to show an action's detail. This pane wraps its text once per
width and draws only the lines on screen; changing the text repaints the pane, not the screen.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual


class TextPane(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    TextPane { height: 1fr; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.content = Content("")
        self._strips: list[Strip] = []
        self._width = -1

    def update(self, content: Content | str) -> None:
        self.content = content if isinstance(content, Content) else Content(content)
        self._width = -1
        self.scroll_to(y=0, animate=False)
        self._wrap()
        self.refresh()

    def _wrap(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        self._strips = Visual.to_strips(self, self.content, width, None, self.visual_style)
        size = Size(width, len(self._strips))
        if size != self.virtual_size:
            self.virtual_size = size  # only when the height changes does Textual lay the screen out again

    def on_resize(self) -> None:
        self._width = -1
        self._wrap()

    def render_line(self, y: int) -> Strip:
        self._wrap()
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self._strips):
            return self._strips[index].crop_extend(0, width, self.visual_style.rich_style)
        return Strip.blank(width, self.visual_style.rich_style)

    @property
    def text(self) -> str:
        return self.content.plain
