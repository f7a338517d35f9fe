"""The briefing as lines of text at a width (the builder's preview): the same blocks as the Markdown, laid out."""

from __future__ import annotations

import datetime as dt

from accountability_tui.briefing.document import (
    Bullets,
    Heading,
    ListItem,
    Para,
    Run,
    Table,
    bold,
    document,
    plain,
)
from accountability_tui.briefing.text import cells, lines, wrap
from accountability_tui.services import Services


def _text(line) -> str:
    return "".join(text for text, _ in line)


def test_every_line_fits_the_width_and_words_are_kept_whole():
    text = "Ask the Chief Constable to review the plan " * 6
    for width in (20, 37, 80):
        wrapped = wrap(((text, ""),), width)
        assert all(cells(_text(line)) <= width for line in wrapped)
        assert " ".join(_text(line) for line in wrapped) == " ".join(text.split())


def test_a_word_wider_than_the_line_is_broken_and_runs_keep_their_style():
    wrapped = wrap((("See", "bold"), (" https://example.org/" + "x" * 40, "")), 20)
    assert all(cells(_text(line)) <= 20 for line in wrapped)
    assert wrapped[0][0] == ("See", "bold")
    assert "".join(_text(line) for line in wrapped).replace(" ", "") == "Seehttps://example.org/" + "x" * 40


def test_the_data_is_text_never_markup_and_control_characters_are_left_out():
    blocks = [Para((Run("[bold]not bold[/bold] \x1b[31mred\x1b[0m"),))]
    shown = "\n".join(_text(line) for line in lines(blocks, 80))
    assert "[bold]not bold[/bold]" in shown and "\x1b" not in shown


def test_a_table_is_laid_out_in_columns_that_fit_with_its_cells_wrapped():
    table = Table(["Ref", "Action", "Days overdue"],
                  [[plain("X1"), plain("Ask the Chief Constable to deliver improvement one " * 3), plain("1,106")],
                   [plain("X2"), (bold("RESTRICTED"), Run(" "), Run("Staff names")), plain("923")]],
                  ["l", "l", "r"])
    laid = lines([table], 60)
    assert all(cells(_text(line)) <= 60 for line in laid)
    rule = next(n for n, line in enumerate(laid) if set(_text(line)) <= {"─", "┼"})  # under the header
    assert _text(laid[0]).startswith("Ref") and 1 <= rule <= 2  # a header may wrap too
    rows = [_text(line) for line in laid[rule + 1:]]
    assert rows[0].startswith("X1") and rows[0].rstrip().endswith("1,106")  # right-aligned in its column
    assert ("RESTRICTED", "bold") in laid[-1] and rows[-1].rstrip().endswith("923")


def test_headings_lists_and_a_blank_line_between_blocks():
    laid = lines([Heading(1, plain("Briefing")), Heading(2, plain("1. Meeting details")),
                  Bullets([ListItem((bold("Date:"), Run(" 10 December 2026")), [Bullets([ListItem(plain("nested"))])])]),
                  Bullets([ListItem(plain("first")), ListItem(plain("second"))], ordered=True)], 40)
    text = [_text(line) for line in laid]
    assert text[0].strip() == "Briefing" and text[0].startswith(" ")  # the title is centred
    assert text[1] == "" and text[2] == "1. Meeting details" and laid[2][0][1] == "h2"
    assert text[4] == "• Date: 10 December 2026" and laid[4][1] == ("Date:", "bold")
    assert text[5] == "  ▪ nested"
    assert text[7:] == ["1. first", "2. second"]


def test_a_briefing_of_the_seed_data_in_both_versions(seeded):
    meeting = seeded.meetings.add({"date": "2026-12-10"})
    briefing = Services(seeded).briefings.build(meeting)
    for public in (False, True):
        laid = lines(document(briefing, public=public), 100)
        text = "\n".join(_text(line) for line in laid)
        assert all(cells(_text(line)) <= 100 for line in laid)
        assert ("(public version)" in text) is public
        assert "Overdue actions at 10 December 2026" in text
    assert briefing.as_of == dt.date(2026, 12, 10)
