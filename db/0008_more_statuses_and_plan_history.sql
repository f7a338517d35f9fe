-- Migration 8: two more statuses of an action, and plans edited in the app (issue 13).
--
-- "On hold" / "Paused" is on_hold: not complete, so it can be overdue. "Withdrawn" / "Cancelled" / "No longer
-- required" is withdrawn: kept with its history, never overdue, left out of every count.
--
-- The actions table's CHECK on status cannot be altered in place, so the table is rebuilt as SQLite documents it
-- (https://www.sqlite.org/lang_altertable.html#otheralter, the 12 steps): a new table, every row copied with its
-- id, the old one dropped, the new one renamed, then its indexes and triggers made again exactly as migrations 1
-- and 3 made them. The runner (store/connection.py, migrate) turns foreign keys off around a migration and runs
-- PRAGMA foreign_key_check before it commits, so the tables that refer to actions (action_history,
-- finding_actions, questions, briefing_items, meeting_reviews) keep their rows and their references. The
-- full-text index (search) keeps its rows: they are keyed by the action's id, which the copy keeps, and dropping a
-- table fires no trigger. There is no view over actions.

CREATE TABLE actions_new (
    id            INTEGER PRIMARY KEY,
    plan_id       INTEGER NOT NULL REFERENCES plans(id),
    ref           TEXT NOT NULL,
    priority_id   INTEGER REFERENCES priorities(id),
    theme         TEXT,
    text          TEXT NOT NULL,
    lead          TEXT,
    mechanism     TEXT CHECK (mechanism IN ('ask_chief_constable', 'hold_to_account', 'opcc_delivers',
                                            'partners', 'lobbying')),
    status        TEXT NOT NULL DEFAULT 'unknown'
                  CHECK (status IN ('not_started', 'in_progress', 'complete', 'unknown', 'on_hold', 'withdrawn')),
    status_text   TEXT,
    rag           TEXT CHECK (rag IN ('green', 'amber', 'red')),
    timeframe     TEXT,
    baseline_due  TEXT,
    due           TEXT,
    plan_page     TEXT,
    explanation   TEXT,
    position      INTEGER,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    status_as_at  TEXT,
    UNIQUE (plan_id, ref)
) STRICT;

INSERT INTO actions_new (id, plan_id, ref, priority_id, theme, text, lead, mechanism, status, status_text, rag,
                         timeframe, baseline_due, due, plan_page, explanation, position, version, created_at,
                         updated_at, status_as_at)
SELECT id, plan_id, ref, priority_id, theme, text, lead, mechanism, status, status_text, rag,
       timeframe, baseline_due, due, plan_page, explanation, position, version, created_at,
       updated_at, status_as_at
FROM actions;

DROP TABLE actions;

ALTER TABLE actions_new RENAME TO actions;

-- Migration 1's indexes (the overdue rule keeps its term "status <> 'complete'", so the partial index serves it).
CREATE INDEX actions_due ON actions (due) WHERE status <> 'complete';
CREATE INDEX actions_priority ON actions (priority_id);
-- Migration 3's.
CREATE INDEX actions_plan_position ON actions (plan_id, position, id);
CREATE INDEX actions_plan_status_due ON actions (plan_id, status, due);
CREATE INDEX actions_due_order ON actions (due IS NULL, due);

-- Migration 1's full-text triggers, as they were.
CREATE TRIGGER actions_search_ai AFTER INSERT ON actions BEGIN
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4, 'action', new.id,
            new.ref || ' ' || new.text || ' ' || coalesce(new.theme, '') || ' ' || coalesce(new.lead, '') || ' '
            || coalesce(new.explanation, ''));
END;
CREATE TRIGGER actions_search_au AFTER UPDATE OF ref, text, theme, lead, explanation ON actions BEGIN
    DELETE FROM search WHERE rowid = old.id * 4;
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4, 'action', new.id,
            new.ref || ' ' || new.text || ' ' || coalesce(new.theme, '') || ' ' || coalesce(new.lead, '') || ' '
            || coalesce(new.explanation, ''));
END;
CREATE TRIGGER actions_search_ad AFTER DELETE ON actions BEGIN
    DELETE FROM search WHERE rowid = old.id * 4;
END;

-- A plan's code, title and being the current one are edited in the app and on the command line: a version for the
-- same conflict checks as every other edit, and an append-only history (one row per changed field per save).
ALTER TABLE plans ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE plan_history (
    id         INTEGER PRIMARY KEY,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    version    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    who        TEXT NOT NULL,
    field      TEXT NOT NULL,   -- code | title | is_current | theme
    old_value  TEXT,
    new_value  TEXT,
    note       TEXT,
    source     TEXT NOT NULL    -- app | cli
) STRICT;
CREATE INDEX plan_history_plan ON plan_history (plan_id, id);

CREATE TRIGGER plan_history_no_update BEFORE UPDATE ON plan_history
BEGIN SELECT RAISE(ABORT, 'plan history is append-only'); END;
CREATE TRIGGER plan_history_no_delete BEFORE DELETE ON plan_history
BEGIN SELECT RAISE(ABORT, 'plan history is append-only'); END;
