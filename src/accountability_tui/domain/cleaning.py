"""Clean text that arrives from other people's documents: HTML fragments, placeholder links, control characters.

The result is plain text. Paragraphs and list items become lines; everything else is kept as written.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "div", "br", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_TAG_HINT = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|&[a-zA-Z]+;|&#\d+;")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\((#|https?://[^\s)]*)\)")
# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can disguise text. Tab and newline
# are kept (as layout), everything else in this set is removed.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS or tag == "li":
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(value: str) -> str:
    """Turn an HTML fragment into plain text; text without tags is returned unchanged apart from entities."""
    if not _TAG_HINT.search(value):
        return value
    parser = _TextExtractor()
    parser.feed(value)
    parser.close()
    return html.unescape("".join(parser.parts))


def strip_controls(value: str) -> tuple[str, bool]:
    """Remove control characters (keeping tab and newline). Returns the text and whether anything was removed."""
    cleaned = CONTROL.sub("", value)
    return cleaned, cleaned != value


def typed(value: str | None) -> str | None:
    """Text an officer typed or pasted, as it is kept: control characters (an ESC in a paste, say) removed,
    line ends made plain, the ends trimmed; None when nothing is left."""
    if value is None:
        return None
    cleaned = CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return cleaned or None


def tidy_whitespace(value: str) -> str:
    """Collapse runs of spaces inside lines, drop blank runs of lines, trim the ends."""
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in value.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def clean_cell(value: str) -> tuple[str, bool]:
    """Everything an imported cell goes through. Returns the clean text and whether controls were removed."""
    value = unicodedata.normalize("NFC", value)
    value, had_controls = strip_controls(value)
    value = html_to_text(value)
    value = _MD_LINK.sub(lambda m: m.group(1) if m.group(2) == "#" else f"{m.group(1)} ({m.group(2)})", value)
    return tidy_whitespace(value), had_controls


def join_continuation(first: str, more: str) -> str:
    """Join a cell with its continuation on a later line of the same table row."""
    if not first:
        return more
    if not more:
        return first
    return f"{first} {more}"
