"""The briefing's Performance section: measures by objective with their figures, trend and chart; the figures
given since the last meeting; restricted sources left out of the public version."""

import datetime as dt
import io
import zipfile

from docx import Document
from markdown_it import MarkdownIt

from accountability_tui.domain.periods import parse_period
from accountability_tui.domain.records import MeasureValueIn
from accountability_tui.services import Services

# the next meeting is a month from today: the figures imported now fall between it and the last one on record
MEETING = dt.date.today() + dt.timedelta(days=30)
ALL_CRIME = "Crime recording rate: all reported crime"
VIOLENT = "Crime recording rate: violent offences"


def _figures(services: Services, name: str, values: dict[str, float], **extra) -> None:
    services.measures.upsert_values([MeasureValueIn.of(name, parse_period(p), v, **extra) for p, v in values.items()],
                                    source="test")


def _tables(markdown: str) -> list[list[list[str]]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    result, table, row = [], None, None
    for n, t in enumerate(tokens):
        if t.type == "table_open":
            table = []
        elif t.type == "tr_open":
            row = []
        elif t.type in ("td_open", "th_open"):
            row.append(tokens[n + 1].content if tokens[n + 1].type == "inline" else "")
        elif t.type == "tr_close":
            table.append(row)
        elif t.type == "table_close":
            result.append(table)
    return result


def _performance(markdown: str) -> str:
    return markdown.split("## 3. Performance")[1].split("\n## 4.")[0]


def test_a_fresh_database_shows_the_objectives_the_plans_baselines_and_pending_ones(seeded):
    services = Services(seeded)
    meeting = seeded.meetings.add({"date": MEETING})
    text = services.briefings.markdown(meeting, None)
    assert "## 2. Since the last meeting" in text and "## 3. Performance" in text
    section = _performance(text)
    assert [line for line in section.splitlines() if line.startswith("### ")] == [
        "### 1. Improve crime recording", "### 2. Reduce crime and anti-social behaviour",
        "### 3. Solve more crime", "### 4. Keep people safe"]
    rows = {r[0]: r for t in _tables(section) for r in t[1:]}
    assert rows[ALL_CRIME][1:4] == ["no figures yet", "—", "82.5% (2024 PEEL inspection)"]
    assert rows[VIOLENT][3] == "75.7% (2024 PEEL inspection)"
    assert rows["Crime recording rate: sexual offences"][3] == "89.8% (2024 PEEL inspection)"
    assert sum(r[3] == "baseline pending" for r in rows.values()) == 6  # never a made-up number
    assert "Target, in the plan's words:" in section


def test_figures_compare_with_a_year_earlier_the_baseline_and_give_a_trend_and_a_chart(seeded):
    services = Services(seeded)
    _figures(services, ALL_CRIME, {"Q1 2024/25": 84.0, "Q2 2024/25": 85.0, "Q3 2024/25": 86.5,
                                   "Q4 2024/25": 87.0, "Q1 2025/26": 88.2, "Q2 2025/26": 81.0})
    _figures(services, VIOLENT, {"Q2 2025/26": 77.0})
    meeting = seeded.meetings.add({"date": MEETING})
    text = services.briefings.markdown(meeting, None)
    rows = {r[0]: r for t in _tables(_performance(text)) for r in t[1:]}
    latest, earlier, baseline, target, compared, trend = rows[ALL_CRIME][1:]
    assert latest == "81.0% (Q2 2025/26)" and earlier == "85.0% (−4.0 pts)"
    assert compared == "worse than a year earlier; worse than baseline"  # higher is better: 81.0 < 82.5
    assert trend == "▄▅▆▇█▁"  # lowest to highest of its own figures
    assert rows[VIOLENT][5] == "better than baseline"  # no figure a year earlier to compare with
    assert f"Figures: {ALL_CRIME}" in text.split("## 3. Performance")[0]  # given since the last meeting
    assert "6 figures, Q1 2024/25 to Q2 2025/26; latest 81.0% (Q2 2025/26)" in text

    docx = services.briefings.docx(meeting, None)
    assert docx == services.briefings.docx(meeting, None)  # same data, same bytes
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        pictures = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(pictures) == 1  # a chart for the measure with at least four figures, none for one figure
    document = Document(io.BytesIO(docx))
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == [f"{ALL_CRIME}: Q1 2024/25 to Q2 2025/26, from 81.0% to 88.2%; baseline 82.5% (grey dashes)"]
    described = document.inline_shapes[0]._inline.docPr.get("descr")
    assert described == captions[0]  # the picture's alternative text says what it shows


def test_the_public_version_leaves_out_restricted_measures_and_figures(seeded):
    services = Services(seeded)
    _figures(services, ALL_CRIME, {"Q1 2025/26": 88.0})
    _figures(services, ALL_CRIME, {"Q2 2025/26": 99.9}, restricted=True)  # an unpublished figure
    secret = services.measures.find(VIOLENT)
    services.measures.update(secret, restricted=True)
    meeting = seeded.meetings.add({"date": MEETING})
    full = services.briefings.markdown(meeting, None)
    public = services.briefings.markdown(meeting, None, public=True)
    assert "99.9%" in full and VIOLENT in full
    assert "99.9%" not in public and VIOLENT not in public
    rows = {r[0]: r for t in _tables(_performance(public)) for r in t[1:]}
    assert rows[ALL_CRIME][1] == "88.0% (Q1 2025/26)"  # the latest public figure, not the restricted one
    docx = Document(io.BytesIO(services.briefings.docx(meeting, None, public=True)))
    words = "\n".join([p.text for p in docx.paragraphs] + [c.text for t in docx.tables for r in t.rows
                                                             for c in r.cells])
    assert "99.9" not in words and VIOLENT not in words and "88.0% (Q1 2025/26)" in words


def test_a_question_about_a_measure_says_so_in_the_lists_and_the_briefing(seeded):
    from accountability_tui.domain.models import QuestionStatus
    from accountability_tui.domain.records import QuestionIn

    services = Services(seeded)
    meeting = seeded.meetings.add({"date": MEETING})
    question = seeded.questions.add(QuestionIn(text="Why did violent crime recording fall?", meeting_id=meeting,
                                               status=QuestionStatus.READY))
    services.measures.link_question(question, services.measures.find(VIOLENT).id)
    assert services.questions.page(None).links[question] == f"measure {VIOLENT}"
    text = services.briefings.markdown(meeting, None)
    assert f"*About:* measure {VIOLENT}" in text
