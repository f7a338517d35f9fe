"""The briefing as a Word document: read back with python-docx, compared with the Markdown, hostile text kept
literal, the public version redacted, the same bytes every time, and the command line's choice of format."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from accountability_tui.briefing.document import Bullets, Heading, ListItem, Para, Quote, Run, Table
from accountability_tui.briefing.docx import AUTHOR, _lines, _widths, clean, one_line, write_docx
from accountability_tui.briefing.package import ZIP_TIME
from accountability_tui.cli import main
from accountability_tui.domain.models import QuestionStatus
from accountability_tui.domain.records import QuestionIn
from accountability_tui.services import Services
from accountability_tui.store import Store

MEETING = dt.date(2026, 12, 10)
CONTROLS = "\x00\x07\x08\x0b\x0c\x1b\x7f\x85\u202e\ufffe"  # U+FFFE: fine in UTF-8, not in XML
HOSTILE = ("Pipe | in it\n# not a heading\n<script>alert(1)</script> [bold]loud[/bold] **x** `code` &amp; ]]> "
           f"1. two{CONTROLS}[31mend")
LITERAL = HOSTILE.replace(CONTROLS, "")  # what a reader sees: the control characters are left out


@pytest.fixture
def meeting(seeded):
    return seeded.meetings.add({"date": MEETING, "themes": ["Crime data integrity"]})


def exported(store, meeting_id, *, public=False) -> bytes:
    return Services(store).briefings.docx(meeting_id, None, public=public)


def markdown(store, meeting_id, *, public=False) -> str:
    return Services(store).briefings.markdown(meeting_id, None, public=public)


def read(data: bytes):
    return docx.Document(io.BytesIO(data))


# --- what the Markdown says, to compare with -------------------------------------------------------------------

def md_text(inline) -> str:
    """What a reader sees of an inline token (escapes resolved, <br> and hard breaks as a line break)."""
    out = []
    for t in inline.children or []:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak") or (t.type == "html_inline" and t.content == "<br>"):
            out.append("\n")
    return "".join(out)


def md_outline(text: str) -> list[tuple]:
    """The headings (level, text) and tables (rows of cell texts) of the Markdown, in order."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    outline: list[tuple] = []
    table = row = None
    for n, t in enumerate(tokens):
        if t.type == "heading_open":
            outline.append(("heading", int(t.tag[1]), md_text(tokens[n + 1])))
        elif t.type == "table_open":
            table = []
        elif t.type == "tr_open":
            row = []
        elif t.type in ("td_open", "th_open"):
            row.append(md_text(tokens[n + 1]) if tokens[n + 1].type == "inline" else "")
        elif t.type == "tr_close":
            table.append(row)
        elif t.type == "table_close":
            outline.append(("table", table))
    return outline


def word_level(style: str) -> int | None:
    """The Markdown level of a Word paragraph style: Title is the title (1), Heading n is level n + 1."""
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        return int(style.split()[1]) + 1
    return None


def docx_outline(document) -> list[tuple]:
    outline: list[tuple] = []
    for block in document.iter_inner_content():
        if isinstance(block, docx.table.Table):
            outline.append(("table", [[cell.text for cell in row.cells] for row in block.rows]))
        elif (level := word_level(block.style.name)) is not None:
            outline.append(("heading", level, block.text))
    return outline


def full_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def repeats_header(table) -> bool:
    return table.rows[0]._tr.trPr is not None and table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


# --- the tests -----------------------------------------------------------------------------------------------

def test_the_same_headings_and_tables_as_the_markdown_in_the_same_order(seeded, meeting):
    seeded.questions.add(QuestionIn(text="Why is crime recording still inadequate?", meeting_id=meeting,
                                    status=QuestionStatus.READY))
    action = seeded.actions.overdue(MEETING)[0]
    seeded.briefings.set(meeting, "overdue", "action", action.id, discuss=True, comment="Ask for a date")
    for public in (False, True):
        document = read(exported(seeded, meeting, public=public))
        word, md = docx_outline(document), md_outline(markdown(seeded, meeting, public=public))
        assert word == md
    headings = [(p.style.name, p.text) for p in document.paragraphs if word_level(p.style.name)]
    assert headings[0] == ("Title", "Briefing: Accountability and Performance Meeting, Thursday 10 December 2026 "
                                    "(public version)")
    sections = [text for style, text in headings if style == "Heading 1"]
    assert len(sections) >= 5 and sections[0] == "1. Meeting details"
    assert "4. Overdue actions at 10 December 2026" in sections
    assert {style for style, _ in headings} == {"Title", "Heading 1", "Heading 2", "Heading 3"}
    assert document.core_properties.title == headings[0][1]


def test_tables_have_a_bold_header_row_that_repeats_on_every_page(seeded, meeting):
    document = read(exported(seeded, meeting))
    assert len(document.tables) >= 5
    for table in document.tables:
        assert table.style.name == "Table Grid"
        assert {p.style.name for row in table.rows for cell in row.cells for p in cell.paragraphs} == {"Table Text"}
        width = sum(column.width.twips for column in table.columns)  # the page's width less its margins
        assert Mm(170).twips - len(table.columns) <= width <= Mm(170).twips
        assert repeats_header(table)
        assert all(run.bold for cell in table.rows[0].cells for p in cell.paragraphs for run in p.runs)
        assert not any(row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
                       for row in list(table.rows)[1:])
    overdue = [t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Ref", "Action"]]
    assert sum(len(t.rows) - 1 for t in overdue) == 70
    days = overdue[0].rows[1].cells[4]
    assert days.text.replace(",", "").isdigit() and days.paragraphs[0].alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT
    assert overdue[0].rows[1].cells[1].paragraphs[0].alignment is None
    summary = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["Plan",
                                                                                           "Priority / theme",
                                                                                           "Overdue"])
    assert sum(int(r.cells[2].text) for r in list(summary.rows)[1:]) == 70


def test_restricted_items_marked_and_the_public_version_redacted(seeded, meeting):
    action = seeded.actions.overdue(MEETING)[0]
    seeded.briefings.set(meeting, "overdue", "action", action.id, restricted=True, comment="Sensitive: staff names")
    finding = seeded.findings.list(open_only=True)[0]
    seeded.briefings.set(meeting, "hmicfrs", "finding", finding.id, comment="Ask about the revisit")
    full, public = read(exported(seeded, meeting)), read(exported(seeded, meeting, public=True))
    full_words, public_words = full_text(full), full_text(public)
    assert "RESTRICTED" in full_words and "Sensitive: staff names" in full_words
    assert "Ask about the revisit" in full_words
    marks = [run for table in full.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
             for run in p.runs if run.text == "RESTRICTED"]
    assert marks and all(run.bold for run in marks)
    assert "RESTRICTED" not in public_words and "Sensitive" not in public_words
    assert "Ask about the revisit" not in public_words and action.text not in public_words
    assert public.paragraphs[0].text.endswith("(public version)")
    assert "Public version: restricted items and officers' comments are left out." in public_words


def test_hostile_text_stays_literal(seeded, meeting):
    action = seeded.actions.overdue(MEETING)[0]
    seeded.db.conn.execute("UPDATE actions SET text = ? WHERE id = ?", (HOSTILE, action.id))
    seeded.db.conn.execute("UPDATE meetings SET title = ? WHERE id = ?", (HOSTILE * 4, meeting))
    seeded.questions.add(QuestionIn(text=HOSTILE, rationale=HOSTILE, meeting_id=meeting,
                                    status=QuestionStatus.READY))
    seeded.briefings.set(meeting, "overdue", "action", action.id, discuss=True, comment=HOSTILE)
    seeded.briefings.add_note(meeting, HOSTILE)
    data = exported(seeded, meeting)
    document = read(data)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "\x1b" not in xml and "\x00" not in xml and "\u202e" not in xml
    # no heading and no table came from the data, and the overdue tables keep their shape
    outline = docx_outline(document)
    assert outline == md_outline(markdown(seeded, meeting).replace("\ufffe", ""))  # the Markdown may keep U+FFFE
    sections = [h[2] for h in outline if h[0] == "heading" and h[1] == 2]
    assert [s[:3] for s in sections] == [f"{n}. " for n in range(1, len(sections) + 1)] and len(sections) >= 5
    assert not any("not a heading" in h[2] for h in outline[1:] if h[0] == "heading")
    rows = [row for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["Ref", "Action"]
            for row in list(t.rows)[1:]]
    assert len(rows) == 70 and all(len(row.cells) == 6 for row in rows)
    cell = next(row.cells[1] for row in rows if "Pipe" in row.cells[1].text)
    assert cell.text == LITERAL + " (for discussion)"  # a line break in the data is a line break in Word
    assert cell.paragraphs[0]._p.xpath(".//w:br") and len(cell.paragraphs) == 1
    # every place the text goes: the discussion, the comment, the question and its reason, the note
    paragraphs = [p.text for p in document.paragraphs]
    assert sum(1 for p in paragraphs if LITERAL in p) >= 4
    assert any(p.endswith(LITERAL) and p.startswith("Officer's comment:") for p in paragraphs)
    assert not any(run.bold for p in document.paragraphs for run in p.runs if "loud" in run.text)
    # the title is one line, the data's line breaks as spaces; its property is cut at Word's 255 characters
    title = document.paragraphs[0]
    assert title.style.name == "Title" and "\n" not in title.text and title.text.startswith("Briefing: Pipe | in it")
    assert len(document.core_properties.title) == 255


def test_every_block_written(tmp_path):
    """Each kind of block, and nesting, in a document made here (not from the briefing)."""
    blocks = [
        Heading(1, (Run("Title\nacross lines"),)),
        Para((Run("plain "), Run("bold", bold=True), Run(" "), Run("italic", italic=True),
              Run("first\n\n  \nsecond\ud800\x00\ufffe"))),
        Bullets([ListItem((Run("one"),), [Bullets([ListItem((Run("one.a"),), [Bullets([ListItem(
            (Run("one.a.i"),), [Bullets([ListItem((Run("deepest"),))])])])])]), Para((Run("under one"),)),
                                          Quote((Run("quoted"),))]),
                 ListItem((Run("two"),))]),
        Bullets([ListItem((Run("first"),)), ListItem((Run("second"),))], ordered=True),
        Bullets([ListItem((Run("again first"),))], ordered=True),
        Quote((Run("Officer's comment:", italic=True), Run(" "), Run("a quote"))),
        Table(["A", "B"], [[(Run("x"),), (Run("1"),)]], ["l", "r"]),
        Table(["C"], [[(Run(""),)]], ["l"]),
    ]
    document = read(write_docx(blocks))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Title across lines")
    assert styles[1] == ("Normal", "plain bold italicfirst\nsecond")
    runs = document.paragraphs[1].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs] == [
        ("plain ", False, False), ("bold", True, False), (" ", False, False), ("italic", False, True),
        ("first\nsecond", False, False)]
    assert styles[2:7] == [("List Bullet", "one"), ("List Bullet 2", "one.a"), ("List Bullet 3", "one.a.i"),
                           ("List Bullet 3", "deepest"), ("List Continue", "under one")]
    assert document.paragraphs[5].paragraph_format.left_indent.twips == 360 * 4  # deeper than Word's styles
    assert styles[7][0] == "Quote" and document.paragraphs[7].paragraph_format.left_indent.twips == 720
    assert styles[8] == ("List Bullet", "two")
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["first", "second", "again first"]
    num_ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert num_ids[0] == num_ids[1] != num_ids[2]  # each numbered list starts again at 1
    numbering = document.part.numbering_part.element
    for num_id in set(num_ids):
        assert numbering.num_having_numId(num_id).xpath("./w:lvlOverride/w:startOverride/@w:val") == ["1"]
    assert styles[-1] == ("Normal", "")  # the document ends with a paragraph
    body = [child.tag.split("}")[1] for child in document.element.body]
    assert "tbl" in body and body[body.index("tbl") + 1] == "p"  # two tables are kept apart
    assert [[c.text for c in r.cells] for t in document.tables for r in t.rows] == [["A", "B"], ["x", "1"],
                                                                                   ["C"], [""]]
    assert document.tables[0].rows[1].cells[1].paragraphs[0].alignment == 2
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60),
       st.lists(st.integers(0, 120), min_size=1, max_size=8))
def test_any_text_any_table(text, lengths):
    """Any character at all (controls, surrogates, U+FFFE) gives a file Word can read, with the text as a reader
    would see it; any table fills the page's width."""
    header = ["x" * n for n in lengths]
    table = Table(header, [[(Run(text),)] * len(lengths), [(Run("y " * n),) for n in lengths]], ["r"] * len(lengths))
    document = read(write_docx([Heading(1, (Run(text),)), Para((Run(text, bold=True),)), table]))
    expected = "\n".join(_lines(clean(text)))
    assert document.paragraphs[1].text == expected
    assert document.tables[0].rows[1].cells[0].text == expected
    assert document.paragraphs[0].text == one_line((Run(text),))
    widths = _widths(table)
    assert all(w > 0 for w in widths) and Mm(170).twips - len(widths) <= sum(widths) <= Mm(170).twips


def test_the_same_data_gives_the_same_bytes(seeded, meeting, monkeypatch, tmp_path):
    first = exported(seeded, meeting)

    class LaterClock:  # the clock zip entries would be dated by: ten years on
        @staticmethod
        def time():
            return 2_000_000_000.0

        @staticmethod
        def localtime(seconds=None):
            import time
            return time.gmtime(2_000_000_000)

    monkeypatch.setattr(zipfile, "time", LaterClock)
    assert exported(seeded, meeting) == first
    path = tmp_path / "briefing.docx"
    Services(seeded).briefings.export(meeting, path)
    assert path.read_bytes() == first
    Services(seeded).briefings.export(meeting, path, force=True)
    assert path.read_bytes() == first
    monkeypatch.undo()
    archive = zipfile.ZipFile(io.BytesIO(first))
    infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {ZIP_TIME}
    assert archive.testzip() is None
    props = read(first).core_properties
    assert (props.author, props.last_modified_by, props.revision) == (AUTHOR, AUTHOR, 1)
    assert props.created == props.modified == dt.datetime(2026, 12, 10, tzinfo=dt.UTC)
    assert props.comments == "" and "python-docx" not in archive.read("docProps/core.xml").decode()


def run_cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_writes_word_by_the_suffix_or_by_format(seeded_path, tmp_path, capsys):
    with Store.open(seeded_path) as store:
        store.meetings.add({"date": MEETING})
    docx_file, other = tmp_path / "briefing.docx", tmp_path / "briefing.out"
    code, out, err = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", docx_file)
    assert code == 0 and out == "" and f"wrote {docx_file}" in err
    assert read(docx_file.read_bytes()).paragraphs[0].text.startswith("Briefing: Accountability")
    code, _, _ = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", other,
                         "--format", "docx")
    assert code == 0 and other.read_bytes() == docx_file.read_bytes()
    code, _, err = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", docx_file)
    assert code != 0 and "add --force" in err
    code, _, _ = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", docx_file, "--force",
                         "--public")
    assert code == 0 and read(docx_file.read_bytes()).paragraphs[0].text.endswith("(public version)")
    markdown_file = tmp_path / "briefing.md"
    code, _, _ = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", markdown_file)
    assert code == 0 and markdown_file.read_text().startswith("# Briefing: Accountability")
    code, _, _ = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "-o", tmp_path / "x.docx",
                         "--format", "md")
    assert code == 0 and (tmp_path / "x.docx").read_text().startswith("# Briefing: Accountability")
    for argv in (("--format", "docx"), ("--format", "docx", "-o", "-")):
        code, out, err = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, *argv)
        assert code == 2 and out == ""
        assert err == "accountability-tui: a Word briefing cannot be printed; write it to a file: -o briefing.docx\n"
    code, out, err = run_cli(capsys, "export-briefing", "2026-12-10", "--db", seeded_path, "--format", "pdf")
    assert code == 2 and out == "" and len(err.splitlines()) == 1 and "invalid choice" in err
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("seeded")) == [
        "briefing.docx", "briefing.md", "briefing.out", "x.docx"]  # no temporary file left behind


async def test_the_builder_offers_word(seeded_path, tmp_path):
    """In the briefing builder, w asks for a .docx name (x for a .md one; the name's ending decides)."""
    from textual.widgets import Input

    from apphelp import make_app, rows, wait_for, wait_screen

    with Store.open(seeded_path) as store:
        store.meetings.add({"date": MEETING})
    app = make_app(seeded_path)
    target = tmp_path / "agenda paper.docx"
    async with app.run_test(size=(120, 40)) as pilot:
        dashboard = await wait_screen(pilot, "dashboard")
        await wait_for(pilot, lambda: dashboard.data is not None, "the dashboard", timeout=60)
        await pilot.press("5")
        screen = await wait_screen(pilot, "meetings")
        table = screen.query_one("#table")
        await wait_for(pilot, lambda: rows(table)[0][1] == "Thu 10 Dec 2026", "the meeting", timeout=60)
        await pilot.press("b")
        builder = await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: builder.briefing is not None, "the briefing", timeout=60)
        from accountability_tui.ui.registry import key_sources

        assert ("w", "Export Word") in [(b.key, b.description) for b in dict(key_sources())["Briefing builder"]]
        await pilot.press("w")
        prompt = await wait_screen(pilot, "ExportPrompt")
        field = prompt.query_one("#value", Input)
        assert field.value.endswith("briefing-2026-12-10.docx")
        field.value = str(target)
        await pilot.press("enter")
        await wait_screen(pilot, "BriefingScreen")
        await wait_for(pilot, lambda: target.exists(), "the file", timeout=60)
        await pilot.press("x")
        prompt = await wait_screen(pilot, "ExportPrompt")
        assert prompt.query_one("#value", Input).value.endswith("briefing-2026-12-10.md")
        await pilot.press("escape")
        await wait_screen(pilot, "BriefingScreen")
    assert read(target.read_bytes()).paragraphs[0].text.startswith("Briefing: Accountability and Performance")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_it_to_pdf(seeded, meeting, tmp_path):
    path = tmp_path / "briefing.docx"
    path.write_bytes(exported(seeded, meeting))
    result = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                             "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                            capture_output=True, timeout=180, check=False)
    pdf = tmp_path / "briefing.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
