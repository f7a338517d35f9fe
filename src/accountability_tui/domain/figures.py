"""Performance figures as people read them: a value in its unit, a change, how it compares. One wording for the
screens, the command line and the briefing (plain text: each face adds its own colour)."""

from __future__ import annotations

from accountability_tui.domain.models import MeasureRow, MeasureSummary, Movement, Unit

VERDICT = {Movement.BETTER: "better", Movement.WORSE: "worse", Movement.SAME: "same"}


def _number(value: float, decimals: int = 1) -> str:
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def figure(value: float | None, unit: Unit | None) -> str:
    """84.1%, 1,234, 3.2 per 1,000, 12 days; — for none."""
    if value is None:
        return "—"
    if unit is Unit.PERCENT:
        return f"{value:.1f}%"
    if unit is Unit.RATE_PER_1000:
        return f"{_number(value, 2)} per 1,000"
    if unit in (Unit.DAYS, Unit.MINUTES):
        return f"{_number(value)} {unit.value}"
    return _number(value, 2)


def change(delta: float | None, unit: Unit | None) -> str:
    """+1.2 pts for a percentage; +35 for a count; — for none."""
    if delta is None:
        return "—"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if unit is Unit.PERCENT:
        return f"{sign}{abs(delta):.1f} pts"
    return f"{sign}{figure(abs(delta), unit)}"


def arrow(delta: float | None) -> str:
    if delta is None:
        return ""
    return "▲" if delta > 0 else "▼" if delta < 0 else "="


def judged(delta: float | None, unit: Unit | None, how: Movement | None) -> str:
    """'▲ +1.2 pts better', or without the word when the direction is not known."""
    if delta is None:
        return "—"
    word = f" {VERDICT[how]}" if how is not None else ""
    return f"{arrow(delta)} {change(delta, unit)}{word}"


def baseline_text(measure: MeasureRow) -> str:
    """The baseline as a figure with its period, or 'baseline pending' (never a made-up number)."""
    if measure.baseline_value is None:
        return "baseline pending" if measure.baseline_pending or measure.baseline_period is None else \
            f"no figure ({measure.baseline_period})"
    period = f" ({measure.baseline_period})" if measure.baseline_period else ""
    return f"{figure(measure.baseline_value, measure.unit)}{period}"


def versus_baseline(summary: MeasureSummary) -> str:
    m = summary.measure
    if m.baseline_value is None:
        return "baseline pending"
    if summary.latest is None:
        return f"baseline {figure(m.baseline_value, m.unit)}"
    return judged(summary.change_baseline, m.unit, summary.versus_baseline)


def versus_target(summary: MeasureSummary) -> str:
    target = summary.target
    if target is None:
        return "—"
    m = summary.measure
    if summary.latest is None:
        return figure(target, m.unit)
    how = summary.versus_target
    verdict = {Movement.BETTER: " met", Movement.SAME: " met", Movement.WORSE: " not met"}.get(how, "") \
        if how is not None else ""
    return f"{figure(target, m.unit)}{verdict}"
