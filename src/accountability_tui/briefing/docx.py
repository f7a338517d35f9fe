"""Writing a briefing's blocks (briefing/document.py) as a Word document (.docx), with python-docx.

Agenda papers go out as Word: the same blocks as the Markdown, in the same order, written with Word's own styles so
that the document behaves as one made in Word: the title in "Title" and the sections in "Heading 1" to "Heading 3"
(Word's navigation pane lists them), lists in "List Bullet" / "List Number" (and their 2 and 3 for nesting, each
numbered list starting at 1), tables in "Table Grid" with a bold header row that repeats on every page, their text
in a "Table Text" style of 9 pt and their columns as wide as their contents need (see _widths); A4 pages, British
English for the spelling checker.

Text from the data is only ever the text of a run's w:t element, never parsed as XML (lxml, under python-docx,
escapes it when the file is written), and the characters XML 1.0 cannot hold (control characters, lone surrogates,
U+FFFE/U+FFFF) are removed first, so a hostile value cannot change the document or make the file unreadable. A line
break in the data is a line break (w:br) in Word. The runs and the table rows are made as python-docx's own elements
directly: its object API (add_run, row.cells, cell.width, a style looked up by name) took 0.75 s for a briefing of
531 items, this takes a fifth of that.

The same blocks always give the same bytes: the document's properties are fixed (dated the briefing's as-of date,
written by "accountability-tui", revision 1, never the clock or the login name) and the zip is written again with
its entries in a fixed order, all dated 1 January 1980 (the earliest date a zip can hold).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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
from accountability_tui.briefing.package import AUTHOR, UNDATED, fixed_zip
from accountability_tui.domain.cleaning import CONTROL

LANGUAGE = "en-GB"

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # what XML 1.0 cannot hold beyond the C0 controls
_INDENT = 360  # twips (a quarter inch): one level of a list, as Word's list styles indent
_PAGE_WIDTH, _PAGE_HEIGHT, _MARGIN = Mm(210), Mm(297), Mm(20)  # A4
_CONTENT_WIDTH = Mm(210 - 2 * 20).twips
_CHAR, _PAD, _SHORT, _WORD = 108, 2 * 108 + 90, 12, 12  # twips: a character at 9 pt, a cell's margins and some;
# characters: a short cell (a date, a figure) kept on one line, the longest word a column is made wide enough for


def clean(text: object) -> str:
    """Text as written, less what XML cannot hold or a reader should not see: control characters (but a line
    break, which stays one) and bidirectional overrides, as the Markdown leaves them out. A tab is a space."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _NOT_XML.sub("", CONTROL.sub("", value))


def _lines(text: str) -> list[str]:
    """A run's lines: blank lines left out and each line trimmed, as the Markdown shows them, except for the spaces
    that separate the run from its neighbours."""
    if "\n" not in text:
        return [text] if text else []
    lead, trail = text[:len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return [" "]
    lines[0], lines[-1] = lead + lines[0], lines[-1] + trail
    return lines


def one_line(text: Inline) -> str:
    """The runs' text on one line (a heading's, or a document property's)."""
    return " ".join(line.strip() for run in text for line in clean(run.text).split("\n") if line.strip())


@functools.cache
def _w(name: str) -> str:
    return qn(f"w:{name}")


def _element(parent: Any, tag: str, **attributes: str) -> Any:
    """A new last child of parent: w:tag with w: attributes (python-docx's own element classes)."""
    child = parent.makeelement(_w(tag), {_w(name): value for name, value in attributes.items()} or None)
    parent.append(child)
    return child


def _add_runs(p: Any, text: Inline) -> None:
    """Runs of plain text at the end of the paragraph element p: each line of the data after a line break, bold or
    italic as the Run says. The text is an element's text, which lxml escapes: it can never be markup."""
    for run in text:
        lines = _lines(clean(run.text))
        if not lines:
            continue
        r = _element(p, "r")
        if run.bold or run.italic:
            properties = _element(r, "rPr")
            if run.bold:
                _element(properties, "b")
            if run.italic:
                _element(properties, "i")
        for n, line in enumerate(lines):
            if n:
                _element(r, "br")
            if line:
                t = _element(r, "t")
                t.text = line
                if line != line.strip():
                    t.set(qn("xml:space"), "preserve")


def _widths(table: Table) -> list[int]:
    """Each column's width (twips), filling the page: shared in proportion to the length of its longest line, damped
    (to the power 0.75, so that a column of long texts does not squeeze the others to nothing), but never narrower
    than its header's longest word (bold: a character more), its short cells (a date, a figure: kept on one line)
    and its words up to _WORD characters. Integers only, so that every machine gives the same widths."""
    floors, weights = [], []
    for column, header in enumerate(table.header):
        cells = [one_line(row[column]) for row in table.rows if column < len(row)]
        words = [len(word) for cell in cells for word in cell.split()]
        floor = max([len(word) + 1 for word in header.split()] + [len(cell) for cell in cells if len(cell) <= _SHORT] +
                    [min(max(words, default=0), _WORD), 1])
        floors.append(floor * _CHAR + _PAD)
        longest = min(max([len(header), 1] + [len(cell) for cell in cells]), 100)
        weights.append(math.isqrt(math.isqrt(longest ** 3 * 10 ** 12)))  # 1000 × longest ** 0.75
    room = _CONTENT_WIDTH
    if sum(floors) >= room:  # not even the floors fit: shrink each in proportion
        return [f * room // sum(floors) for f in floors]
    fixed: dict[int, int] = {}
    while True:  # give each its share; a column below its floor gets its floor, the others share what is left
        free = [n for n in range(len(floors)) if n not in fixed]
        if not free:
            return [fixed[n] for n in range(len(floors))]
        left = room - sum(fixed.values())
        total = sum(weights[n] for n in free)
        shares = {n: left * weights[n] // total for n in free}
        short = {n: floors[n] for n in free if shares[n] < floors[n]}
        if not short:
            return [fixed[n] if n in fixed else shares[n] for n in range(len(floors))]
        fixed.update(short)


class _Writer:
    def __init__(self) -> None:
        self.doc: WordDocument = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
        section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = _MARGIN
        lang = self.doc.styles.element.find("/".join(qn(f"w:{t}") for t in ("docDefaults", "rPrDefault", "rPr",
                                                                             "lang")))
        if lang is not None:  # British English for the spelling checker
            lang.set(qn("w:val"), LANGUAGE)
        # a table's text: 9 pt, no space after; a style of its own, so that Word can change all of it at once
        table_text = self.doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = self.doc.styles["Normal"]
        table_text.font.size = Pt(9)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.0
        self.table_text: str = table_text.style_id
        self.last: Block | None = None

    def paragraph(self, style: str | None = None, indent: int = 0, hanging: bool = False) -> Any:
        """A new paragraph element at the end of the document; style is a style's id in the template (Title,
        Heading1, ListBullet2...: set as an id, as python-docx's lookup by name reads the whole style sheet each
        time); indent in levels of a list."""
        p = self.doc.add_paragraph()._p
        if style or indent:
            properties = _element(p, "pPr")
            if style:
                _element(properties, "pStyle", val=style)
            if indent:
                _element(properties, "ind", left=str(_INDENT * indent))
                if hanging:
                    properties[-1].set(_w("hanging"), str(_INDENT))
        return p

    # --- blocks ------------------------------------------------------------------------------------------------

    def block(self, block: Block, depth: int = 0) -> None:
        if isinstance(block, Table) and isinstance(self.last, Table):
            self.doc.add_paragraph()  # two tables one after the other would be drawn as one
        if isinstance(block, Heading):
            style = "Title" if block.level <= 1 else f"Heading{min(block.level - 1, 9)}"
            _add_runs(self.paragraph(style), (Run(one_line(block.text)),))
        elif isinstance(block, Para):
            _add_runs(self.paragraph("ListContinue" if depth else None, depth), block.text)
        elif isinstance(block, Quote):
            _add_runs(self.paragraph("Quote", depth + 1), block.text)
        elif isinstance(block, Bullets):
            self.bullets(block, depth)
        elif isinstance(block, Chart):
            self.chart(block)
        else:
            self.table(block)
        self.last = block

    def chart(self, block: Chart) -> None:
        """The measure's figures as a picture, its words below it (and as the picture's alternative text)."""
        from accountability_tui.briefing.chart import line_chart

        shape = self.doc.add_picture(io.BytesIO(line_chart(block.values, block.baseline, block.target)),
                                     width=Mm(120))  # about 4 cm high: two or three to a page
        shape._inline.docPr.set("descr", clean(block.caption))
        _add_runs(self.paragraph("Caption"), (Run(block.caption),))

    def bullets(self, block: Bullets, depth: int) -> None:
        style = ("ListNumber" if block.ordered else "ListBullet") + (str(min(depth + 1, 3)) if depth else "")
        num_id = self._restarted(style) if block.ordered else None
        for item in block.items:
            p = self.paragraph(style, depth + 1 if depth >= 3 else 0, hanging=True)  # deeper than the styles go
            if num_id is not None:  # after pStyle, before ind, as the schema orders them
                numbering = p.makeelement(qn("w:numPr"), {})
                _element(numbering, "ilvl", val="0")
                _element(numbering, "numId", val=str(num_id))
                p.pPr.insert(1, numbering)
            _add_runs(p, item.text)
            self.last = block
            for child in item.children:
                self.block(child, depth + 1)

    def _restarted(self, style: str) -> int:
        """A numbering of the style's list that starts again at 1 (else every numbered list would go on counting
        from the one before)."""
        numbering = self.doc.part.numbering_part.element
        style_num = self.doc.styles.element.get_by_id(style).pPr.numPr.numId.val
        abstract = numbering.num_having_numId(style_num).abstractNumId.val
        num = numbering.add_num(abstract)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def table(self, block: Table) -> None:
        if not block.header:
            return
        table = self.doc.add_table(rows=0, cols=len(block.header))
        tbl = table._tbl
        tbl.tblPr.style = "TableGrid"
        widths = _widths(block)
        for column, width in zip(tbl.tblGrid.gridCol_lst, widths, strict=True):
            column.set(qn("w:w"), str(width))
        right = [n < len(block.align) and block.align[n] == "r" for n in range(len(widths))]
        rows: list[list[Inline]] = [[(Run(h, bold=True),) for h in block.header], *block.rows]
        for number, cells in enumerate(rows):
            tr = _element(tbl, "tr")
            if number == 0:
                _element(_element(tr, "trPr"), "tblHeader")  # the header row repeats at the top of every page
            for column, width in enumerate(widths):
                tc = _element(tr, "tc")
                _element(_element(tc, "tcPr"), "tcW", w=str(width), type="dxa")
                p = _element(tc, "p")
                properties = _element(p, "pPr")
                _element(properties, "pStyle", val=self.table_text)
                if right[column]:
                    _element(properties, "jc", val="right")
                if column < len(cells):
                    _add_runs(p, cells[column])

    # --- the file ------------------------------------------------------------------------------------------------

    def properties(self, title: str, dated: dt.date) -> None:
        """Fixed document properties: nothing from the clock, the machine or the login."""
        when = dt.datetime(dated.year, dated.month, dated.day)
        props = self.doc.core_properties
        props.title = title[:255]
        props.author = props.last_modified_by = AUTHOR
        props.subject = props.keywords = props.category = props.comments = ""
        props.language = LANGUAGE
        props.created = props.modified = when
        props.revision = 1
        package = self.doc.part.package
        for key, rel in list(package.rels.items()):  # the template's thumbnail shows an empty page: leave it out
            if rel.reltype == RT.THUMBNAIL:
                del package.rels[key]

    def save(self) -> bytes:
        if isinstance(self.last, Table):
            self.doc.add_paragraph()  # a document ends with a paragraph
        out = io.BytesIO()
        self.doc.save(out)
        return fixed_zip(out.getvalue())


def write_docx(blocks: list[Block], *, dated: dt.date | None = None) -> bytes:
    """The blocks as a .docx file's bytes. dated: the document's created and modified date (the briefing's as-of
    date), else a fixed one; the title property is the first level-1 heading."""
    writer = _Writer()
    for block in blocks:
        writer.block(block)
    title = next((one_line(b.text) for b in blocks if isinstance(b, Heading) and b.level == 1), "")
    writer.properties(title, dated or UNDATED)
    return writer.save()


def render_docx(briefing: Briefing, *, public: bool = False) -> bytes:
    """The briefing as a Word document. public=True leaves out restricted items and officers' comments."""
    return write_docx(document(briefing, public=public), dated=briefing.as_of)
