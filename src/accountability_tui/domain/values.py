"""Reading cell values as written in other people's tables: statuses by their start, RAG ratings, performance
figures."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from accountability_tui.domain.models import Rag, Status

_STATUS_STARTS: list[tuple[str, Status]] = [
    # longest first, so "not started" is never read as "started"
    ("not yet started", Status.NOT_STARTED),
    ("not started", Status.NOT_STARTED),
    ("yet to start", Status.NOT_STARTED),
    ("not begun", Status.NOT_STARTED),
    ("pending", Status.NOT_STARTED),
    ("planned", Status.NOT_STARTED),
    ("completed", Status.COMPLETE),
    ("complete", Status.COMPLETE),
    ("done", Status.COMPLETE),
    ("closed", Status.COMPLETE),
    ("achieved", Status.COMPLETE),
    ("delivered", Status.COMPLETE),
    ("in progress", Status.IN_PROGRESS),
    ("in-progress", Status.IN_PROGRESS),
    ("inprogress", Status.IN_PROGRESS),
    ("under way", Status.IN_PROGRESS),
    ("underway", Status.IN_PROGRESS),
    ("ongoing", Status.IN_PROGRESS),
    ("on-going", Status.IN_PROGRESS),
    ("started", Status.IN_PROGRESS),
    ("on track", Status.IN_PROGRESS),
    ("on hold", Status.ON_HOLD),
    ("on-hold", Status.ON_HOLD),
    ("paused", Status.ON_HOLD),
    ("withdrawn", Status.WITHDRAWN),
    ("cancelled", Status.WITHDRAWN),
    ("canceled", Status.WITHDRAWN),
    ("no longer required", Status.WITHDRAWN),
]


def read_status(text: str | None) -> Status | None:
    """The status a source string means, by how it starts ('Not started yet – phase 2' -> not_started).

    None when it cannot be read: the caller records `unknown` and warns; it never guesses.
    """
    value = re.sub(r"\s+", " ", (text or "").strip().lower())
    value = value.replace("_", " ")
    if not value:
        return None
    for start, status in _STATUS_STARTS:
        if value.startswith(start):
            return status
    for status in Status:
        if value == status.value.replace("_", " "):
            return status
    return None


_RAG = {"r": Rag.RED, "red": Rag.RED, "a": Rag.AMBER, "amber": Rag.AMBER, "g": Rag.GREEN, "green": Rag.GREEN,
        "blue": Rag.GREEN, "b": Rag.GREEN}  # BRAG trackers use blue for complete: green in RAG terms


def read_rag(text: str | None) -> tuple[Rag | None, bool]:
    """(rating, understood). A blank cell is understood as no rating."""
    value = (text or "").strip().lower()
    if not value:
        return None, True
    if value in _RAG:
        return _RAG[value], True
    # "Amber/Red", "Red - significantly delayed": take the worst colour named
    named = [rag for word, rag in _RAG.items() if len(word) > 1 and re.search(rf"\b{word}\b", value)]
    for rag in (Rag.RED, Rag.AMBER, Rag.GREEN):
        if rag in named:
            return rag, True
    return None, False


# --- performance figures ---------------------------------------------------------------------------------------

# Cells that say there is no figure, on purpose: read as no value, with the reason (never as nought).
_NO_FIGURE = re.compile(
    r"^(n/?a|na|n\.a\.|-+|–|—|\.\.|…|\*|x|tbc|tbd|to be confirmed|not available|not applicable|not known|unknown|"
    r"no data|none|nil return|suppressed|pending)$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


@dataclass(frozen=True, slots=True)
class Figure:
    """A performance figure read from a cell (see read_figure).

    value is None when there is none: `missing` then says why when the cell says so on purpose (blank, "n/a"),
    `problem` when it cannot be read as a number (a warning to show). `assumed` is a warning that says how an
    ambiguous figure was read (0.841 for a % measure read as 84.1%)."""

    value: float | None
    text: str
    percent_sign: bool = False  # written with %, or a cell formatted as a percentage
    assumed: str | None = None
    missing: str | None = None
    problem: str | None = None

    @property
    def warning(self) -> str | None:
        """What to warn about this cell, if anything (an assumption or an unreadable cell; not a blank)."""
        return self.assumed or self.problem


def _show(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def read_figure(cell: object, *, percent: bool | None = None, percent_format: bool = False,
                fractions: bool | None = None) -> Figure:
    """A figure as written in a cell: "84.1%", "84.1", "1,234", "-3.2", "0.841", or a number from a spreadsheet.

    percent says whether the measure is a percentage (None: not known, as for a measure a file is creating; a % sign
    is then reported in Figure.percent_sign, and nothing is scaled). percent_format is a spreadsheet cell formatted
    as a percentage: it holds 0.841 and shows 84.1%, so it is read as 84.1. fractions says how a % measure's column
    writes its figures without a % sign (see fractions_in): True, as fractions of one (0.841, read as 84.1);
    False, as percentages (0.841 is 0.841%); None, not known: a figure from 0 to 1 is read as a fraction, with a
    warning that says so. A blank, "n/a", "-", ".." or the like is no value, with the reason. Never raises.
    """
    figure = _read_figure(cell, percent, percent_format, fractions)
    if figure.value is not None and not math.isfinite(figure.value):
        return Figure(None, figure.text, problem=f"{figure.text[:40]!r} is too large to be a figure")
    return figure


def _read_figure(cell: object, percent: bool | None, percent_format: bool, fractions: bool | None) -> Figure:
    if cell is None or isinstance(cell, bool):
        return Figure(None, "", missing="blank") if cell is None else Figure(
            None, str(cell), problem=f"{cell!r} is not a figure")
    if isinstance(cell, int | float | Decimal):
        try:
            text = str(cell)
            number = Decimal(text)
        except (InvalidOperation, ValueError):  # ValueError: an integer too long to write out
            return Figure(None, "", problem="the number is too large to be a figure")
        sign = False
    else:
        text = str(cell).strip()
        norm = text.replace("\u00a0", "").replace("\u202f", "").replace("\u2212", "-").replace(" ", "")
        if not norm:
            return Figure(None, text, missing="blank")
        if _NO_FIGURE.match(norm.lower()) or _NO_FIGURE.match(text.lower()):
            return Figure(None, text, missing=f"{text!r}: no figure given")
        sign = norm.endswith("%")
        if sign:
            norm = norm[:-1]
        if not _NUMBER.match(norm):
            hint = ("; a comma separates thousands here (1,234), write a decimal point as a point"
                    if re.fullmatch(r"[+-]?\d+,\d{1,2}", norm) else "")
            return Figure(None, text, problem=f"{text[:40]!r} is not a figure{hint}")
        number = Decimal(norm.replace(",", ""))
    if not number.is_finite():
        return Figure(None, text, problem=f"{text!r} is not a figure")
    shown = text or _show(number)
    if percent_format:
        value = number * 100
        if percent is False:
            return Figure(float(value), shown, True, assumed=f"{_show(value)}% is shown as a percentage, but the "
                                                               f"measure is not one; read as {_show(value)}")
        return Figure(float(value), shown, True)
    if sign:
        if percent is False:
            return Figure(float(number), shown, True, assumed=f"{shown} has a % sign, but the measure is not a "
                                                              f"percentage; read as {_show(number)}")
        return Figure(float(number), shown, True)
    if percent and fractions is True:
        return Figure(float(number * 100), shown)
    if percent and fractions is None and number != 0 and abs(number) <= 1:
        value = number * 100
        return Figure(float(value), shown, assumed=f"{shown} read as {_show(value)}% (a fraction of one); if it "
                                                   f"means {shown}%, write {shown}%")
    return Figure(float(number), shown)


def fractions_in(cells: Iterable[object]) -> bool | None:
    """How a % measure's figures are written in these cells (a column, or a measure's row), for read_figure's
    fractions: True when every figure written without a % sign is from -1 to 1 and one is not nought (0.841,
    0.79: fractions of one); False when one is outside (84.1 and 0.5: percentages); None when there are none."""
    seen = False
    for cell in cells:
        figure = read_figure(cell)
        if figure.value is None or figure.percent_sign:
            continue
        if abs(figure.value) > 1:
            return False
        seen = seen or figure.value != 0
    return True if seen else None
