-- Migration 7: performance measures — the figures the Chief Constable is held to, their values over time, and
-- their history (issue 12; domain.md, "Performance measures").
--
-- Objectives are the plan's strategic performance objectives (migration 1's performance_objectives, read from the
-- plan document: number = position). A measure belongs to a force (as plans and inspections do) and may serve one
-- objective and one priority. Its values are one per period: a period is identified by its span (start, end), so
-- "Q1 2024/25", "2024/25 Q1" and "Apr-Jun 2024" are the same period and a re-import updates it in place; the text
-- is kept as first written. Values sort and chart by end date.

-- An objective may serve one priority of its plan (the plan's objectives are cross-cutting; most name one).
ALTER TABLE performance_objectives ADD COLUMN priority_id INTEGER REFERENCES priorities(id);

CREATE TABLE measures (
    id               INTEGER PRIMARY KEY,
    force            TEXT NOT NULL DEFAULT 'Hertfordshire',
    name             TEXT NOT NULL,
    name_key         TEXT NOT NULL,   -- the name with case and spacing ignored (domain.models.measure_key)
    unit             TEXT,            -- domain.models.Unit; NULL: not known yet (a measure an import created)
    direction        TEXT CHECK (direction IN ('higher', 'lower')),   -- which is better; NULL: not known yet
    objective_id     INTEGER REFERENCES performance_objectives(id),
    priority_id      INTEGER REFERENCES priorities(id),
    baseline_value   REAL,            -- NULL: no figure (pending when baseline_note says why)
    baseline_period  TEXT,            -- as written ("2024 PEEL inspection", "year to September 2023")
    baseline_source  TEXT,
    baseline_note    TEXT,            -- the source's words when there is no figure yet
    target_value     REAL,
    target_note      TEXT,            -- a target in words ("top quartile nationally")
    source_note      TEXT,
    restricted       INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),  -- left out of a public briefing
    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    position         INTEGER,         -- order among its objective's measures; NULL: after them, by id
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (force, name_key)          -- also finds a force's measures, and one by name
) STRICT;
CREATE INDEX measures_objective ON measures (objective_id, position, id);

CREATE TABLE measure_values (
    id            INTEGER PRIMARY KEY,
    measure_id    INTEGER NOT NULL REFERENCES measures(id),
    period        TEXT NOT NULL,      -- as first written
    kind          TEXT NOT NULL CHECK (kind IN ('financial_year', 'financial_quarter', 'month', 'rolling_year',
                                                 'calendar_year', 'span')),
    period_start  TEXT NOT NULL,      -- ISO dates, both inclusive
    period_end    TEXT NOT NULL,
    value         REAL NOT NULL,      -- a blank or "n/a" cell is no value: nothing is stored for it
    target        REAL,               -- the period's own target, where the source gives one
    source        TEXT,
    restricted    INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    imported_by   TEXT NOT NULL,      -- who gave the figure as it stands, and when
    imported_at   TEXT NOT NULL,
    CHECK (period_start <= period_end),
    -- one value per measure and period; in period order; the latest ending on or before a date is one seek
    UNIQUE (measure_id, period_end, period_start)
) STRICT;
-- Figures given or changed between two meetings ("Since the last meeting").
CREATE INDEX measure_values_imported ON measure_values (imported_at);

-- Append-only, as action_history: one row per changed field per save, all rows of one save sharing the measure's
-- new version. A value's change names its period (as written, and its span). New values are one row per measure
-- per save (field 'values_added': how many, and the periods they span), not one per value.
CREATE TABLE measure_history (
    id            INTEGER PRIMARY KEY,
    measure_id    INTEGER NOT NULL REFERENCES measures(id),
    version       INTEGER NOT NULL,
    at            TEXT NOT NULL,
    who           TEXT NOT NULL,
    field         TEXT NOT NULL,      -- created | name | unit | direction | ... | value | target | values_added
    period        TEXT,               -- for a value's change: its period as written
    period_start  TEXT,
    period_end    TEXT,
    old_value     TEXT,
    new_value     TEXT,
    note          TEXT,
    source        TEXT NOT NULL       -- app | cli | seed | import: <file>
) STRICT;
CREATE INDEX measure_history_measure ON measure_history (measure_id, id);
CREATE INDEX measure_history_at ON measure_history (at);

CREATE TRIGGER measure_history_no_update BEFORE UPDATE ON measure_history
BEGIN SELECT RAISE(ABORT, 'measure history is append-only'); END;
CREATE TRIGGER measure_history_no_delete BEFORE DELETE ON measure_history
BEGIN SELECT RAISE(ABORT, 'measure history is append-only'); END;

-- A question can be about a measure, as it can be about a priority, an action or a finding.
ALTER TABLE questions ADD COLUMN measure_id INTEGER REFERENCES measures(id);
CREATE INDEX questions_measure ON questions (measure_id);
