"""Performance figures on screen: the one wording (domain.figures: a value in its unit, a change, how it compares)
with this face's colours: better in green, worse in red, no colour when the measure's direction is not known."""

from __future__ import annotations

from accountability_tui.domain.figures import (
    arrow,
    baseline_text,
    change,
    figure,
    judged,
    versus_baseline,
    versus_target,
)
from accountability_tui.domain.models import Movement

__all__ = ["MOVEMENT_STYLE", "arrow", "baseline_text", "change", "figure", "judged", "versus_baseline",
           "versus_target"]

MOVEMENT_STYLE: dict[Movement | None, str] = {Movement.BETTER: "bold green", Movement.WORSE: "bold red",
                                              Movement.SAME: "", None: ""}
