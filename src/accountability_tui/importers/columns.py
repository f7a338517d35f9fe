"""Which column holds what: header synonyms, and the officer's --column overrides."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "ref no", "id", "no", "number", "#", "plan priority", "action no",
            "action number", "action ref"),
    "text": ("action", "actions", "commitment", "commitments", "project", "action description"),
    "status": ("status", "status this reporting period", "progress", "current status", "delivery status"),
    "update": ("explanation", "update", "progress update", "comments", "comment", "latest update", "narrative"),
    "timeframe": ("timeframe", "timescale", "timescales", "deadline", "due", "due date", "target date",
                  "forecast end date", "timeframe for delivery", "completion date", "target"),
    "lead": ("lead", "lead agency", "lead officer", "owner", "responsible", "lead organisation"),
    "page": ("page", "plan page", "cscj plan page", "page ref"),
    "rag": ("rag", "r/a/g", "rag status", "rag rating"),
    "theme": ("theme", "section", "strand", "area", "workstream"),
    "priority": ("priority", "priority area", "plan priority number"),
    "mechanism": ("mechanism", "delivery mechanism", "how delivered"),
}
REQUIRED = ("text",)


def normalise(header: str) -> str:
    value = header.replace("\ufeff", "").strip().lower()
    value = re.sub(r"[*:.]+$", "", value).strip()
    return re.sub(r"\s+", " ", value)


def _parts(header: str) -> list[str]:
    """'Explanation / Link to meeting papers' -> ['explanation', 'link to meeting papers']."""
    value = normalise(header)
    value = re.sub(r"\(.*?\)", "", value)
    return [p.strip() for p in re.split(r"\s*/\s*", value) if p.strip()]


def match_field(header: str, fields: dict[str, tuple[str, ...]] = FIELDS) -> str | None:
    """The field a header names, by exact synonym first, then by one of its '/'-separated parts. fields: the
    fields of the table being read and their header synonyms (default: a delivery plan's)."""
    value = normalise(header)
    for name, synonyms in fields.items():
        if value in synonyms:
            return name
    for part in _parts(header):
        for name, synonyms in fields.items():
            if part in synonyms:
                return name
    return None


@dataclass
class Mapping:
    """Field -> column index, and what was noticed while mapping."""

    columns: dict[str, int]
    headers: list[str]
    notes: list[str] = field(default_factory=list)

    def header_of(self, name: str) -> str:
        return self.headers[self.columns[name]]


def parse_overrides(pairs: list[str] | None, fields: dict[str, tuple[str, ...]] = FIELDS,
                    example: str = "status='RAG status'") -> dict[str, str]:
    from accountability_tui.domain.errors import UsageError

    overrides: dict[str, str] = {}
    for pair in pairs or []:
        if "=" not in pair:
            raise UsageError(f"--column {pair!r}: write it as field=Header, e.g. --column {example}")
        name, header = (s.strip() for s in pair.split("=", 1))
        name = name.lower()
        if name not in fields:
            raise UsageError(f"--column {pair!r}: unknown field {name!r}; fields are {', '.join(fields)}")
        if not header:
            raise UsageError(f"--column {pair!r}: give the header after '='")
        overrides[name] = header
    return overrides


def header_score(cells: list[str], overrides: dict[str, str]) -> int:
    """How much a row looks like this table's header: the number of distinct fields it names; 0 if no text column."""
    found = set()
    wanted = {normalise(h): name for name, h in overrides.items()}
    for cell in cells:
        if not cell.strip() or len(cell) > 200:
            continue
        name = wanted.get(normalise(cell)) or match_field(cell)
        if name:
            found.add(name)
    return len(found) if "text" in found else 0


def map_columns(headers: list[str], overrides: dict[str, str], fields: dict[str, tuple[str, ...]] = FIELDS,
                required: tuple[str, ...] = REQUIRED) -> tuple[Mapping, list[str]]:
    """Map fields to columns. Returns the mapping and the names of required fields that are missing."""
    columns: dict[str, int] = {}
    notes: list[str] = []
    normalised = [normalise(h) for h in headers]
    for name, header in overrides.items():
        target = normalise(header)
        if target not in normalised:
            from accountability_tui.domain.errors import UsageError

            shown = ", ".join(repr(h) for h in headers if h.strip())
            raise UsageError(f"--column {name}={header!r}: the file has no such column; its columns are: {shown}")
        columns[name] = normalised.index(target)
    taken = set(columns.values())
    for index, header in enumerate(headers):
        if index in taken or not header.strip():
            continue
        matched = match_field(header, fields)
        if matched is None or matched in overrides:
            continue
        if matched in columns:
            notes.append(f"column {header!r} also looks like the {matched} column; the first one is used")
            continue
        columns[matched] = index
    missing = [name for name in required if name not in columns]
    return Mapping(columns=columns, headers=headers, notes=notes), missing
