"""Performance measures as the faces ask for them: objectives, measures, their figures over time, summaries at an
as-of date, and the upsert an import of figures makes (issue 12; domain.md, "Performance measures").

Force: an office's measures are its own force's, as its briefing is. Every read takes force=None for every force;
the faces pass `own_force()` (the current plan's force). Writes need a force and default to the office's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accountability_tui.domain.errors import ImportFailed, NotFound, ValidationFailed
from accountability_tui.domain.models import (
    DEFAULT_FORCE,
    MeasureHistoryEntry,
    MeasureRow,
    MeasureSummary,
    MeasureValueRow,
    ObjectiveRow,
    measure_key,
)
from accountability_tui.store import Store
from accountability_tui.store.measures import UpsertResult, ValueChange

if TYPE_CHECKING:  # pydantic is loaded only when something is written (see domain.records)
    from accountability_tui.domain.records import MeasureIn, MeasureValueIn

__all__ = ["MeasuresImport", "MeasuresService", "ObjectiveGroup", "UpsertResult", "ValueChange"]


@dataclass
class MeasuresImport:
    """What an import of a figures file did (or, in a dry run, would do): the measures and figures it holds, the
    measures it made, the figures it changed, and the warnings about cells left out or read by an assumption."""

    file: str
    shape: str  # "tall" (one figure a row) | "wide" (one measure a row, one column per period)
    measures: int
    values: int
    new: int  # figures for a period the measure had none for
    changed: int  # figures that differed from those held
    unchanged: int
    new_measures: list[str]
    warnings: list[str]
    result: UpsertResult
    dry_run: bool = False
    backup: str | None = None  # the backup taken before the import wrote anything

    @property
    def changes(self) -> list[ValueChange]:
        return self.result.changes

    def to_dict(self) -> dict[str, Any]:
        """As `import-measures --json` prints it."""
        return {"measures": self.measures, "values": self.values, "new_measures": list(self.new_measures),
                "changed": self.changed, "warnings": list(self.warnings), "new": self.new,
                "unchanged": self.unchanged, "file": self.file, "shape": self.shape, "dry_run": self.dry_run,
                "backup": self.backup,
                "changes": [{"measure": c.measure, "period": c.period, "old": c.old, "new": c.new}
                            for c in self.result.changes]}


@dataclass(frozen=True)
class ObjectiveGroup:
    """An objective and its measures at an as-of date; objective None holds the measures of no objective."""

    objective: ObjectiveRow | None
    summaries: list[MeasureSummary]

    @property
    def title(self) -> str:
        return self.objective.label if self.objective is not None else "Other measures"


class MeasuresService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def own_force(self) -> str | None:
        """The office's own force: the current plan's (None when there is no plan)."""
        current = self._store.plans.current()
        return current.force if current is not None else None

    def _force(self, force: str | None) -> str:
        return force or self.own_force() or DEFAULT_FORCE

    # --- objectives and measures -------------------------------------------------------------------------------

    def objectives(self, force: str | None = None) -> list[ObjectiveRow]:
        """The strategic performance objectives of the force's plans (every force's when None): the current plan's
        first, in number order."""
        return self._store.measures.objectives(force=force)

    def objective(self, number: int, force: str | None = None) -> ObjectiveRow:
        """Objective `number` of the force's current plan (else of its first plan that has one). NotFound if none."""
        force = self._force(force)
        for objective in self._store.measures.objectives(force=force):
            if objective.number == number:
                return objective
        known = ", ".join(str(o.number) for o in self._store.measures.objectives(force=force)) or "none"
        raise NotFound(f"no performance objective {number} for {force} (objectives: {known})")

    def measures(self, *, force: str | None = None, objective_id: int | None = None,
                 objective_number: int | None = None, public: bool = False) -> list[MeasureRow]:
        """Measures by objective and position (of a force; of one objective, by id or by its number in the force's
        current plan). public leaves out the restricted ones."""
        if objective_number is not None:
            objective = self.objective(objective_number, force)
            objective_id, force = objective.id, objective.force
        return self._store.measures.list(force=force, objective_id=objective_id, public=public)

    def get(self, measure_id: int) -> MeasureRow:
        return self._store.measures.get(measure_id)

    def find(self, name: str, force: str | None = None) -> MeasureRow | None:
        """The force's measure of this name, case and spacing ignored."""
        return self._store.measures.find(name, self._force(force))

    def create(self, measure: MeasureIn | dict[str, Any], *, source: str = "app") -> MeasureRow:
        """Make a measure (a dict is validated: ValidationFailed names the field). A dict without a force is the
        office's own force's."""
        if isinstance(measure, dict) and "force" not in measure:
            measure = {**measure, "force": self._force(None)}
        return self._store.measures.get(self._store.measures.add(measure, source=source))

    def update(self, measure: MeasureRow, *, source: str = "app", note: str | None = None,
               **changes: Any) -> MeasureRow:
        """Change a measure as read (store.measures.EDITABLE fields); Conflict if someone saved it since."""
        return self._store.measures.update(measure.id, measure.version, source=source, note=note, **changes)

    def history(self, measure_id: int) -> list[MeasureHistoryEntry]:
        return self._store.measures.history(measure_id)

    def last_changes(self, measure_ids: Iterable[int]) -> dict[int, MeasureHistoryEntry]:
        """The latest recorded change of each measure (who, when, what), for the detail."""
        return self._store.measures.last_changes(measure_ids)

    # --- values ------------------------------------------------------------------------------------------------

    def values(self, measure_id: int, *, until: dt.date | None = None, public: bool = False
               ) -> list[MeasureValueRow]:
        """A measure's values in period order (by end date); until: those ending on or before it."""
        return self._store.measures.values(measure_id, until=until, public=public)

    def values_of(self, measure_ids: Iterable[int], *, until: dt.date | None = None, public: bool = False
                  ) -> dict[int, list[MeasureValueRow]]:
        """values() of many measures in one query (a chart or a trend line for each)."""
        return self._store.measures.values_of(measure_ids, until=until, public=public)

    def upsert_values(self, values: Sequence[MeasureValueIn | dict[str, Any]], *, source: str,
                      force: str | None = None, dry_run: bool = False) -> UpsertResult:
        """Add or update figures in one transaction, all or nothing (see store.measures.Measures.upsert_values):
        new, changed and unchanged counts, the measures made, the figures changed. dry_run writes nothing."""
        return self._store.measures.upsert_values(values, source=source, force=self._force(force), dry_run=dry_run)

    def import_file(self, path: str | Path, *, dry_run: bool = False, columns: dict[str, str] | None = None,
                    sheet: str | None = None, force: str | None = None) -> MeasuresImport:
        """Import a file of figures (CSV or XLSX, tall or wide: importers.measures) into the force's measures, all
        or nothing: a measure is found by its name (case and spacing ignored), a new name makes a new measure,
        a figure for a period the measure has is updated in place when it differs. columns: field -> header for a
        column whose header is not recognised (measure, period, value, target, source, unit). A backup is taken
        first when the import changes something in a database that holds plans. An unusable file raises
        ImportFailed (one line: file, row, column) and nothing is written; dry_run writes nothing either."""
        from accountability_tui.importers.measures import read_figures

        store = self._store
        force = self._force(force)
        units = {measure_key(m.name): m.unit for m in store.measures.list(force=force)}
        parsed = read_figures(path, units=units, sheet=sheet, columns=columns)
        backup: list[str] = []
        wants_backup = not dry_run and not store.conn.in_transaction and not store.is_empty()

        def before_write(_: UpsertResult) -> None:
            if wants_backup:
                backup.append(str(store.backup(f"before-import-{parsed.name}")))

        try:
            result = store.measures.upsert_values(parsed.values, source=f"import: {parsed.name}", force=force,
                                                  dry_run=dry_run, before_write=before_write)
        except ValidationFailed as exc:  # two figures for one period, written two ways: say where
            raise ImportFailed(f"{parsed.name}: {exc}") from exc
        if not dry_run and result.new >= 10_000 and not store.conn.in_transaction:
            store.analyze()  # many new rows: the query planner's statistics are out of date
        return MeasuresImport(file=parsed.name, shape=parsed.shape, measures=result.measures, values=result.values,
                              new=result.new, changed=result.changed, unchanged=result.unchanged,
                              new_measures=list(result.new_measures), warnings=parsed.warnings, result=result,
                              dry_run=dry_run, backup=backup[0] if backup else None)

    # --- at an as-of date --------------------------------------------------------------------------------------

    def summaries(self, as_of: dt.date, *, force: str | None = None, objective_id: int | None = None,
                  measure_ids: Iterable[int] | None = None, public: bool = False) -> list[MeasureSummary]:
        """Each measure's latest value at as_of, the same period a year earlier, and how it compares with that,
        the baseline and the target (MeasureSummary). Two queries for any number of measures."""
        return self._store.measures.summaries(as_of, force=force, objective_id=objective_id, ids=measure_ids,
                                              public=public)

    def by_objective(self, as_of: dt.date, *, force: str | None = None, public: bool = False
                     ) -> list[ObjectiveGroup]:
        """summaries() grouped under the force's objectives, in their order (an objective with no measures is
        kept, empty), then the measures of no objective, if any."""
        summaries = self.summaries(as_of, force=force, public=public)
        objectives = self._store.measures.objectives(force=force)
        by_id: dict[int | None, list[MeasureSummary]] = {}
        for s in summaries:
            by_id.setdefault(s.measure.objective_id, []).append(s)
        groups = [ObjectiveGroup(o, by_id.pop(o.id, [])) for o in objectives]
        rest = [s for key, group in by_id.items() for s in group]  # no objective, or another plan's
        if rest:
            groups.append(ObjectiveGroup(None, rest))
        return groups

    def changed_between(self, start: dt.date, end: dt.date, *, force: str | None = None, public: bool = False
                        ) -> list[tuple[MeasureRow, MeasureValueRow]]:
        """Figures given or changed from start (inclusive) to end (exclusive): "Since the last meeting"."""
        return self._store.measures.values_set_between(start, end, force=force, public=public)

    # --- questions ---------------------------------------------------------------------------------------------

    def link_question(self, question_id: int, measure_id: int | None, *, expected_version: int | None = None
                      ) -> bool:
        """Link a question to a measure (None: unlink); recorded in the question's history. False if already so."""
        return self._store.measures.link_question(question_id, measure_id, expected_version=expected_version)

    def question_ids(self, measure_id: int) -> list[int]:
        """The questions about a measure."""
        return self._store.measures.question_ids(measure_id)

    def measures_of_questions(self, question_ids: Iterable[int]) -> dict[int, int]:
        """question id -> the measure it is about."""
        return self._store.measures.measures_of_questions(question_ids)
