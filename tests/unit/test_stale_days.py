"""The officer's stale_days setting applies wherever staleness is judged or worded (domain.md, "Staleness"): an
action reported 45 days before the as-of date is stale at stale_days = 30 and not at the default 90, in the
briefing (its overdue count, its "(stale)" flags, its wording), the Panel report and the command line."""

import datetime as dt
from dataclasses import replace

import pytest

from accountability_tui.briefing.markdown import render
from accountability_tui.briefing.panel import render_markdown, stale_line
from accountability_tui.cli import main
from accountability_tui.domain.models import STALE_DAYS
from accountability_tui.services import Services
from accountability_tui.settings import ENV_VAR
from accountability_tui.ui.widgets.text import status_as_at

PLAN = "CSCJ-2022-27"
REF = "2"  # in progress, due 30 November 2023: overdue; its status as at 2 February 2023 (the ADP's date)
GAP = 45  # days from its report to the as-of date: more than 30, not more than 90


@pytest.fixture
def reported(seeded):
    """Action 2 of the ADP reported on today (a note): its status is as at today. Gives (action, as-of date)."""
    services = Services(seeded)
    plan = seeded.plans.get(PLAN)
    action = services.actions.add_note(seeded.actions.by_ref(plan.id, REF), "Update from the Constabulary")
    assert action.status_as_at is not None
    return action, action.status_as_at + dt.timedelta(days=GAP)


def _services(store, days: int | None) -> Services:
    services = Services(store)
    if days is not None:
        services.stale_days = days
    return services


def _label(day: dt.date) -> str:
    return day.strftime("%-d %b %Y")


# --- the rule and the screens' wording ---------------------------------------------------------------------------

def test_the_threshold_judges_and_words_the_status(reported):
    action, as_of = reported
    assert not action.stale(as_of) and not action.stale(as_of, days=STALE_DAYS)
    assert action.stale(as_of, days=30)
    assert status_as_at(action, as_of, days=30, explain=True) == (
        f"In progress, as at {_label(action.status_as_at)} (stale: no update for over 30 days)")
    assert status_as_at(action, as_of, days=30) == f"In progress, as at {_label(action.status_as_at)} (stale)"
    assert status_as_at(action, as_of, days=STALE_DAYS, explain=True) == (
        f"In progress, as at {_label(action.status_as_at)}")


def test_services_carry_the_threshold_to_what_they_build(seeded):
    services = Services(seeded)
    assert services.stale_days == services.briefings.stale_days == services.reports.stale_days == STALE_DAYS
    services.stale_days = 30
    assert services.briefings.stale_days == services.reports.stale_days == 30
    assert Services(seeded, stale_days=45).reports.stale_days == 45


# --- the briefing --------------------------------------------------------------------------------------------------

def _overdue_row(markdown: str, text: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| {REF} | ") and text[:40] in line)


@pytest.mark.parametrize("days", [30, None])
def test_the_briefing_counts_flags_and_words_stale_statuses_by_the_setting(seeded, reported, days):
    action, as_of = reported
    current = seeded.plans.current()
    finding = seeded.findings.list(open_only=True, force=current.force if current else None)[0]
    seeded.findings.link(finding.id, action.id)  # the HMICFRS section says the linked action's status too
    briefing = _services(seeded, days).briefings.build(None, as_of)
    assert briefing.stale_days == (days or STALE_DAYS)
    assert briefing.previous is not None and briefing.previous.date < action.status_as_at  # reported since
    overdue = briefing.section("overdue")
    assert any(i.action.id == action.id for i in overdue.items)
    # every other overdue status is as at 2 February 2023, before the last meeting: stale at either threshold
    assert overdue.stale == overdue.total - (0 if days else 1)

    text = render(briefing)
    said = f"In progress, as at {_label(action.status_as_at)}"
    row = _overdue_row(text, action.text)
    threshold = days or STALE_DAYS
    assert (f"{overdue.stale} of the {overdue.total} have had no update since the last meeting "
            f"({briefing.previous.date:%-d %B %Y}) or for more than {threshold} days.") in text
    if days:
        assert f"| {said} (stale) |" in row
        assert f"{PLAN} {REF} ({said.lower()} (stale))" in text
    else:
        assert f"| {said} |" in row
        assert f"{PLAN} {REF} ({said.lower()})" in text


def test_a_briefing_without_a_previous_meeting_words_the_threshold_alone(seeded, reported):
    action, as_of = reported
    briefing = replace(_services(seeded, 30).briefings.build(None, as_of), previous=None)
    assert "have had no update for more than 30 days." in render(briefing)


# --- the Panel report ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("days", [30, None])
def test_the_panel_report_judges_and_words_stale_statuses_by_the_setting(seeded, reported, days):
    action, as_of = reported
    report = _services(seeded, days).reports.panel(PLAN, as_of)
    assert report.stale_days == (days or STALE_DAYS)
    row = next(r for r in report.rows if r.ref == REF)
    assert row.status_as_at == action.status_as_at
    assert row.stale is bool(days)
    line = stale_line(report)
    assert f"last updated more than {days or STALE_DAYS} days before {as_of:%-d %B %Y}" in line
    assert line in render_markdown(report)
    # the others, as at 2 February 2023, are stale at either threshold
    assert len(report.stale) == sum(1 for r in report.counted if r.status_as_at) - (0 if days else 1)


# --- the command line ------------------------------------------------------------------------------------------------

def test_the_command_line_applies_the_settings_file(seeded, seeded_path, reported, tmp_path, monkeypatch, capsys):
    action, as_of = reported
    settings = tmp_path / "settings.toml"
    settings.write_text("stale_days = 30\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(settings))
    said = f"In progress, as at {_label(action.status_as_at)}"

    capsys.readouterr()
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", as_of.isoformat()]) == 0
    text = capsys.readouterr().out
    assert "or for more than 30 days." in text
    assert f"| {said} (stale) |" in _overdue_row(text, action.text)

    out = tmp_path / "panel.md"
    assert main(["report", "panel", "--db", str(seeded_path), "--plan", PLAN, "--as-of", as_of.isoformat(),
                 "-o", str(out)]) == 0
    assert f"last updated more than 30 days before {as_of:%-d %B %Y}" in out.read_text(encoding="utf-8")

    settings.write_text("", encoding="utf-8")  # the default: 90 days
    capsys.readouterr()
    assert main(["export-briefing", "--db", str(seeded_path), "--as-of", as_of.isoformat()]) == 0
    text = capsys.readouterr().out
    assert "or for more than 90 days." in text
    assert f"| {said} |" in _overdue_row(text, action.text)
    assert main(["report", "panel", "--db", str(seeded_path), "--plan", PLAN, "--as-of", as_of.isoformat(),
                 "-o", str(out), "--force"]) == 0
    assert f"last updated more than 90 days before {as_of:%-d %B %Y}" in out.read_text(encoding="utf-8")
