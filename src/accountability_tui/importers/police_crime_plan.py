"""Reading a Police & Crime Plan document (plain text converted from the published PDF/Word).

Takes what the plan itself says: its priorities and their strategic goals; every "Delivering the Plan" commitment
under its theme, with the mechanism its verb tells; the strategic performance objectives with their starting
points; the Strategic Policing Requirement threats. Built for Hertfordshire's 2025-29 plan, whose layout is:

    Priority 1                      <- list of priorities: number, then title
    Make Hertfordshire safer
    PRIORITY 1 – MAKE ...           <- each priority's chapter
    My strategic goals
    1. Prevent crime ...
    Delivering the Plan
    Crime prevention                <- a theme
    - Ask the Chief Constable ...   <- a commitment
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from accountability_tui.domain.cleaning import clean_cell
from accountability_tui.domain.errors import ImportFailed
from accountability_tui.domain.mechanisms import classify
from accountability_tui.domain.models import Status
from accountability_tui.domain.records import ActionIn, Priority


@dataclass
class PlanDocument:
    priorities: list[Priority]
    commitments: list[ActionIn]
    objectives: list[dict] = field(default_factory=list)
    spr_threats: list[str] = field(default_factory=list)

    @property
    def themes(self) -> list[str]:
        seen: list[str] = []
        for c in self.commitments:
            if c.theme and c.theme not in seen:
                seen.append(c.theme)
        return seen


_PRIORITY_CHAPTER = re.compile(r"^PRIORITY (\d+)\s*[–-]\s*(.+)$")
_HEADING = re.compile(r"^[A-Z0-9 &,'’()–-]{12,}$")  # an all-capitals chapter heading
_NOISE = {"DRAFT"}


def _lines(text: str) -> list[str]:
    return [clean_cell(line)[0] for line in text.splitlines()]


def read_plan_document(path: str | Path) -> PlanDocument:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path.name}: cannot be read as a UTF-8 text document ({exc})") from exc
    lines = [line for line in _lines(text) if line not in _NOISE]
    titles: dict[int, str] = {}
    for i, line in enumerate(lines):
        m = re.fullmatch(r"Priority (\d+)", line)
        if m:
            following = next((x for x in lines[i + 1:] if x), "")
            titles.setdefault(int(m.group(1)), following)
    priorities: list[Priority] = []
    commitments: list[ActionIn] = []
    current: int | None = None
    goals: list[str] = []
    mode = None
    theme: str | None = None
    count = 0

    def close_priority() -> None:
        if current is not None:
            priorities.append(Priority(number=current, title=titles.get(current) or f"Priority {current}",
                                       goals=list(goals)))

    for line in lines:
        if not line:
            continue
        chapter = _PRIORITY_CHAPTER.match(line)
        if chapter:
            close_priority()
            current, goals, mode, theme, count = int(chapter.group(1)), [], None, None, 0
            continue
        if current is None:
            continue
        if _HEADING.match(line) and not line.startswith("- "):
            close_priority()
            current = None
            continue
        if line == "My strategic goals":
            mode = "goals"
            continue
        if line.startswith("Why is this a priority"):
            mode = None
            continue
        if line == "Delivering the Plan":
            mode = "plan"
            continue
        if mode == "goals":
            m = re.match(r"^\d+\.\s*(.+)$", line)
            if m:
                goals.append(m.group(1))
            continue
        if mode == "plan":
            if line.startswith("To deliver the Plan"):
                continue
            if line.startswith("- "):
                count += 1
                body = line[2:].strip()
                commitments.append(ActionIn(ref=f"{current}.{count}", text=body, priority=current, theme=theme,
                                            mechanism=classify(body), status=Status.UNKNOWN, position=len(commitments) + 1))
            else:
                theme = line
    close_priority()
    if not priorities or not commitments:
        raise ImportFailed(f"{path.name}: no priorities with 'Delivering the Plan' commitments were found; "
                           "is this a Police & Crime Plan document?")
    return PlanDocument(priorities=priorities, commitments=commitments, objectives=_objectives(lines),
                        spr_threats=_spr_threats(lines))


def _section(lines: list[str], heading: str) -> list[str]:
    try:
        start = lines.index(heading)
    except ValueError:
        return []
    out = []
    for line in lines[start + 1:]:
        if line and _HEADING.match(line) and not line.startswith("- "):
            break
        if line:
            out.append(line)
    return out


def _objectives(lines: list[str]) -> list[dict]:
    objectives: list[dict] = []
    for line in _section(lines, "STRATEGIC PERFORMANCE OBJECTIVES FOR HERTFORDSHIRE CONSTABULARY"):
        m = re.match(r"^([A-Z][^–]{3,60}?)\s+–\s+(.+)$", line)
        if m:
            objectives.append({"title": m.group(1), "aim": m.group(2)})
        elif objectives and line.startswith("The starting point"):
            objectives[-1]["baseline"] = line
        elif objectives and line.startswith("Success looks like"):
            objectives[-1]["success"] = line
    return objectives


def _spr_threats(lines: list[str]) -> list[str]:
    section = _section(lines, "STRATEGIC POLICING REQUIREMENT")
    threats, listing = [], False
    for line in section:
        if line.endswith("which are:"):
            listing = True
            continue
        if listing:
            if line.startswith("- "):
                threats.append(line[2:].strip())
            elif threats:
                break
    return threats
