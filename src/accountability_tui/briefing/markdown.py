"""Writing a briefing's blocks (briefing/document.py) as Markdown: CommonMark with GFM tables.

Every piece of text from the data is escaped here (`inline()`, or `cell()` in a table), so that a `|`, a leading
`#`, markup, HTML or a line break in an action or a question can never change the document's structure. A line
break in the data is a hard break (two spaces at the end of the line), never a visible backslash. The same
briefing always gives the same bytes.
"""

from __future__ import annotations

import re

from accountability_tui.briefing.document import (
    Block,
    Bullets,
    Chart,
    Heading,
    Inline,
    Para,
    Quote,
    Run,
    Table,
    document,
)
from accountability_tui.briefing.model import Briefing
from accountability_tui.domain.cleaning import CONTROL

_ALWAYS = re.compile(r"([\\`*_\[\]<|~])|&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def _plain(text: object) -> str:
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return CONTROL.sub("", value)


def _escape_line(line: str, starts_a_line: bool = True) -> str:
    """A line of text, escaped; starts_a_line=False for a table cell, whose text can only be inline (a '1.' or
    '-' there starts no list)."""
    line = _ALWAYS.sub(lambda m: "\\" + (m.group(1) or "&"), line.strip())
    match = _LINE_START.match(line) if starts_a_line else None
    if match:  # a line that would start a heading, quote, list or rule is shown as text
        marker = match.group(2)
        escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
        line = match.group(1) + escaped + line[match.end():]
    return line


def _escape_heading(text: Inline) -> str:
    """A heading's text: escaped, on one line (a heading's own number is not a list)."""
    return " ".join(_ALWAYS.sub(lambda m: "\\" + (m.group(1) or "&"), line.strip())
                    for run in text for line in _plain(run.text).split("\n") if line.strip())


def _lines(text: object, starts_a_line: bool = True) -> list[str]:
    return [line for line in (_escape_line(line, starts_a_line) for line in _plain(text).split("\n")) if line]


def _run(run: Run, starts_a_line: bool = True) -> list[str]:
    """A run's lines, escaped, with its emphasis on each line."""
    mark = "**" if run.bold else "*" if run.italic else ""
    text = _plain(run.text)
    if not text.strip():
        return [" "] if text else []
    lead, trail = text[:len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
    lines = [f"{mark}{line}{mark}" for line in _lines(text, starts_a_line)] or [""]
    lines[0] = lead + lines[0]
    lines[-1] = lines[-1] + trail
    return lines


def inline(text: Inline, indent: str = "") -> str:
    """Runs of text for a paragraph or a list item: each line of the data a hard line break (two spaces), the
    continuation lines indented to stay inside a list item."""
    lines: list[str] = [""]
    for run in text:
        parts = _run(run)
        if not parts:
            continue
        lines[-1] += parts[0]
        lines += parts[1:]
    lines = [line for line in lines if line.strip()] or [""]
    return ("  \n" + indent).join(line.strip() if n else line.rstrip() for n, line in enumerate(lines))


def cell(text: Inline | str) -> str:
    """Text for a table cell: escaped, on one line (line breaks become <br>)."""
    runs = (Run(text),) if isinstance(text, str) else text
    out = ""
    for run in runs:
        lines = _run(run, starts_a_line=False)
        out += "<br>".join(line for line in lines if line.strip()) if len(lines) > 1 else "".join(lines)
    return out.strip() or " "


def _table(table: Table) -> list[str]:
    marks = {"l": "---", "r": "---:"}
    lines = ["| " + " | ".join(cell(h) for h in table.header) + " |",
             "| " + " | ".join(marks[a] for a in table.align) + " |"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in table.rows]
    return lines


def _bullets(block: Bullets, indent: str) -> list[str]:
    loose = any(isinstance(c, Para | Quote) for item in block.items for c in item.children)
    lines: list[str] = []
    for n, item in enumerate(block.items, start=1):
        marker = f"{n}. " if block.ordered else "- "
        pad = indent + " " * len(marker)
        lines.append(f"{indent}{marker}{inline(item.text, pad)}")
        for child in item.children:
            if isinstance(child, Bullets):
                lines += _bullets(child, pad)
            else:
                lines += [""] + _block(child, pad)
        if loose:
            lines.append("")
    return lines[:-1] if loose and lines else lines


def _block(block: Block, indent: str = "") -> list[str]:
    if isinstance(block, Heading):
        return [f"{'#' * block.level} {_escape_heading(block.text)}"]
    if isinstance(block, Para):
        return [indent + inline(block.text, indent)]
    if isinstance(block, Quote):
        return [indent + "> " + inline(block.text, indent + "> ")]
    if isinstance(block, Bullets):
        return _bullets(block, indent)
    if isinstance(block, Chart):
        return []  # a picture has no Markdown: the table's trend line stands for it
    return [indent + line for line in _table(block)]


def write(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        lines += _block(block) + [""]
    text = "\n".join(lines).rstrip("\n") + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)


def render(briefing: Briefing, *, public: bool = False) -> str:
    """The briefing as Markdown. public=True leaves out restricted items and officers' comments."""
    return write(document(briefing, public=public))
