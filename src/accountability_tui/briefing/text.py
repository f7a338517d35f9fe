"""Writing a briefing's blocks (briefing/document.py) as lines of text at a width: the builder's preview.

The preview shows the same blocks as the Markdown, laid out for a terminal: headings, paragraphs and list items
wrapped at the width, tables in columns with their cells wrapped. Each line is a tuple of pieces (text, style),
where the style is a name the preview gives its colours to: "" (plain), "bold", "italic", "h1" to "h4", "header"
(a table's header), "rule" (a table's lines) and "quote". Text from the data stays text: nothing here is markup,
and control characters are left out, as the Markdown leaves them out.

Quick on purpose (the builder lays out its preview after every decision): a briefing of 500 items, with tables of
hundreds of rows, takes a few milliseconds once its rows have been seen at that width; drawing its Markdown with
Textual's Markdown widget, a widget for every table cell, took seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from accountability_tui.briefing.document import Block, Bullets, Chart, Heading, Inline, Para, Quote, Table
from accountability_tui.domain.cleaning import CONTROL

Piece = tuple[str, str]  # (text, style)
Line = tuple[Piece, ...]
Cell = tuple[Piece, ...]  # a table cell's text, as runs

BULLETS = ["• ", "▪ ", "‣ ", "⭑ ", "◦ "]
GAP = " │ "  # between a table's columns
RULE = "─┼─"  # under its header
_ROWS: dict[tuple[tuple[Cell, ...], tuple[int, ...], tuple[str, ...]], tuple[Line, ...]] = {}  # rows laid out
_ROWS_KEPT = 20_000


def cells(text: str) -> int:
    """The width of text on a terminal (wide characters take two cells, combining marks none)."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _plain(text: str) -> str:
    if text.isprintable():
        return text
    return CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))


def _pieces(text: Inline, style: str = "") -> Cell:
    return tuple((_plain(run.text), style or ("bold" if run.bold else "italic" if run.italic else ""))
                 for run in text)


def _break(word: str, width: int) -> list[str]:
    """A word wider than width, in parts that fit."""
    if word.isascii():
        return [word[n:n + width] for n in range(0, len(word), width)]
    parts, used = [""], 0
    for char in word:
        size = cells(char)
        if used + size > width and parts[-1]:
            parts.append("")
            used = 0
        parts[-1] += char
        used += size
    return parts


def _wrap_plain(text: str, width: int) -> list[str]:
    """One line of the data, wrapped word by word at width (spaces between words collapse to one)."""
    lines: list[str] = []
    line: list[str] = []
    used = -1
    for word in text.split():
        size = cells(word)
        if line and used + 1 + size > width:
            lines.append(" ".join(line))
            line, used = [], -1
        if size > width:
            *whole, rest = _break(word, width)
            lines += whole
            word, size = rest, cells(rest)
        line.append(word)
        used += 1 + size
    lines.append(" ".join(line))
    return lines


def _words(pieces: Cell) -> list[list[list[Piece]]]:
    """Styled pieces as lines of words (a line break in the data starts a new line); a word is the pieces between
    two spaces, so runs that meet without a space make one word."""
    lines: list[list[list[Piece]]] = [[]]
    glue = False  # the next piece continues the last word
    for text, style in pieces:
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append([])
                glue = False
            parts = part.split(" ")
            words = lines[-1]
            for m, piece in enumerate(parts):
                if m:
                    glue = False
                if piece:
                    if glue and words:
                        words[-1].append((piece, style))
                    else:
                        words.append([(piece, style)])
                    glue = True
            glue = bool(parts[-1])
    return lines


def _merge(pieces: list[Piece]) -> Line:
    out: list[Piece] = []
    for text, style in pieces:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        elif text:
            out.append((text, style))
    return tuple(out)


def wrap(pieces: Cell, width: int) -> list[Line]:
    """Styled text wrapped at width, word by word (a word wider than the width is broken)."""
    width = max(1, width)
    if len(pieces) == 1:  # one style: the quick way
        text, style = pieces[0]
        return [((line, style),) if line else () for part in text.split("\n") for line in _wrap_plain(part, width)]
    out: list[Line] = []
    for words in _words(pieces):
        line: list[Piece] = []
        used = -1
        for word in words:
            size = sum(cells(text) for text, _ in word)
            if line and used + 1 + size > width:
                out.append(_merge(line))
                line, used = [], -1
            if size > width:  # broken into parts of one style each (rare: a word as wide as the preview)
                parts = [(part, style) for text, style in word for part in _break(text, width)]
                for part in parts[:-1]:
                    out.append((part,))
                word, size = [parts[-1]], cells(parts[-1][0])
            if line:
                line.append((" ", word[0][1] if line[-1][1] == word[0][1] else ""))
            line += word
            used += 1 + size
        out.append(_merge(line))
    return out


def _width(line: Line) -> int:
    return sum(cells(text) for text, _ in line)


def _natural(cell: Cell) -> int:
    """The width of a cell's text on one line (each line of the data on its own)."""
    if len(cell) == 1 and "\n" not in cell[0][0]:
        return cells(cell[0][0].strip())
    return max((_width(line) for line in wrap(cell, 1_000_000)), default=0)


def _columns(natural: list[int], least: list[int], available: int) -> list[int]:
    """Each column's width: all as wide as their text if they fit; else each at least `least`, and what is left
    shared in proportion to what each still lacks."""
    if sum(natural) <= available:
        return natural
    widths = list(least)
    spare = available - sum(widths)
    lacking = [n - w for n, w in zip(natural, widths, strict=True)]
    total = sum(lacking)
    if spare <= 0 or total <= 0:
        return widths
    for c, lack in enumerate(lacking):
        widths[c] += spare * lack // total
    leftover = available - sum(widths)
    for c in sorted(range(len(widths)), key=lambda c: -lacking[c])[:max(0, leftover)]:
        widths[c] += 1
    return widths


def _row(row: tuple[Cell, ...], widths: tuple[int, ...], align: tuple[str, ...]) -> list[Line]:
    key = (row, widths, align)
    done = _ROWS.get(key)
    if done is not None:
        return list(done)
    wrapped = [wrap(row[c], widths[c]) if c < len(row) else [()] for c in range(len(widths))]
    last = len(widths) - 1
    out: list[Line] = []
    for y in range(max(len(w) for w in wrapped)):
        pieces: list[Piece] = []
        for c, width in enumerate(widths):
            line = wrapped[c][y] if y < len(wrapped[c]) else ()
            pad = (" " * max(0, width - _width(line)), "")
            if c:
                pieces.append((GAP, "rule"))
            if align[c] == "r":
                pieces += [pad, *line]
            else:
                pieces += [*line, pad] if c < last else line
        out.append(_merge(pieces))
    if len(_ROWS) >= _ROWS_KEPT:
        _ROWS.clear()
    _ROWS[key] = tuple(out)  # a tuple of tuples of strings: the garbage collector soon stops looking at it
    return out


def _table(table: Table, width: int) -> list[Line]:
    columns = len(table.header)
    header = tuple(((h, "header"),) for h in table.header)
    natural = [_natural(cell) for cell in header]
    rows: list[tuple[Cell, ...]] = []
    for source in table.rows:  # the quick way for the usual cell, one run of printable text
        row: list[Cell] = []
        for c, text in enumerate(source[:columns]):
            run = text[0] if len(text) == 1 else None
            if run is not None and run.text.isprintable():
                row.append(((run.text, "bold" if run.bold else "italic" if run.italic else ""),))
                size = cells(run.text.strip())
            else:
                row.append(_pieces(text))
                size = _natural(row[-1])
            if size > natural[c]:
                natural[c] = size
        rows.append(tuple(row))
    least = [min(n, max(8, max((cells(w) for w in h.split()), default=0))) for n, h in zip(natural, table.header,
                                                                                          strict=True)]
    widths = tuple(_columns(natural, least, width - cells(GAP) * (columns - 1)))
    align = tuple(table.align)
    out = _row(header, widths, align)
    out = [*out, _merge([((RULE if c else "") + "─" * w, "rule") for c, w in enumerate(widths)])]
    for cells_of_row in rows:
        out += _row(cells_of_row, widths, align)
    return out


def _indent(lines: list[Line], first: str, rest: str, style: str = "") -> list[Line]:
    return [((first if n == 0 else rest, style), *line) for n, line in enumerate(lines)]


def _bullets(block: Bullets, width: int, depth: int) -> list[Line]:
    out: list[Line] = []
    size = len(f"{len(block.items)}. ")
    for n, item in enumerate(block.items, start=1):
        marker = f"{n}. ".rjust(size) if block.ordered else BULLETS[depth % len(BULLETS)]
        pad = " " * cells(marker)
        out += _indent(wrap(_pieces(item.text), width - len(pad)), marker, pad)
        for child in item.children:
            out += _indent(_block(child, width - len(pad), depth + 1), pad, pad)
    return out


def _block(block: Block, width: int, depth: int = 0) -> list[Line]:
    if isinstance(block, Heading):
        lines = wrap(_pieces(block.text, f"h{min(block.level, 4)}"), width)
        if block.level == 1:
            return [((" " * max(0, (width - _width(line)) // 2), ""), *line) for line in lines]
        return lines
    if isinstance(block, Para):
        return wrap(_pieces(block.text), width)
    if isinstance(block, Quote):
        return _indent(wrap(_pieces(block.text), width - 2), "▌ ", "▌ ", "quote")
    if isinstance(block, Bullets):
        return _bullets(block, width, depth)
    if isinstance(block, Table):
        return _table(block, width)
    if isinstance(block, Chart):
        return []  # a picture has no text: its table's trend line stands for it, as in the Markdown
    raise TypeError(f"no text for {type(block).__name__}")  # pragma: no cover - every block has one above


def lines(blocks: Sequence[Block], width: int) -> list[Line]:
    """The blocks as lines of text at width, a blank line between blocks."""
    out: list[Line] = []
    for block in blocks:
        drawn = _block(block, width)
        if drawn:
            if out:
                out.append(())
            out += drawn
    return out
