-- accountability-tui schema, migration 1.
-- Applied by the store on open, inside one BEGIN IMMEDIATE transaction together with its record in
-- _sqlite_migrations. Every table is STRICT; dates are ISO text (YYYY-MM-DD), times ISO text in UTC.

CREATE TABLE plans (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    force       TEXT NOT NULL DEFAULT 'Hertfordshire',
    pcc         TEXT,
    period      TEXT,
    source      TEXT,
    is_current  INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE priorities (
    id       INTEGER PRIMARY KEY,
    plan_id  INTEGER NOT NULL REFERENCES plans(id),
    number   INTEGER NOT NULL,
    title    TEXT NOT NULL,
    UNIQUE (plan_id, number)
) STRICT;

CREATE TABLE strategic_goals (
    id           INTEGER PRIMARY KEY,
    priority_id  INTEGER NOT NULL REFERENCES priorities(id),
    number       INTEGER NOT NULL,
    text         TEXT NOT NULL,
    UNIQUE (priority_id, number)
) STRICT;

CREATE TABLE actions (
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
                  CHECK (status IN ('not_started', 'in_progress', 'complete', 'unknown')),
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
    UNIQUE (plan_id, ref)
) STRICT;
CREATE INDEX actions_due ON actions (due) WHERE status <> 'complete';
CREATE INDEX actions_priority ON actions (priority_id);

-- Append-only: one row per changed field per save, all rows of one save sharing the action's new version.
CREATE TABLE action_history (
    id         INTEGER PRIMARY KEY,
    action_id  INTEGER NOT NULL REFERENCES actions(id),
    version    INTEGER NOT NULL,
    at         TEXT NOT NULL,
    who        TEXT NOT NULL,
    field      TEXT NOT NULL,   -- created | status | rag | due | note | text | explanation | timeframe | ...
    old_value  TEXT,
    new_value  TEXT,
    note       TEXT,            -- the officer's note, or the reason for a new due date
    source     TEXT NOT NULL    -- app | cli | import: <file>
) STRICT;
CREATE INDEX action_history_action ON action_history (action_id, id);

CREATE TABLE imports (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    file_name    TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    at           TEXT NOT NULL,
    who          TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    warnings     INTEGER NOT NULL
) STRICT;
CREATE INDEX imports_sha ON imports (sha256);

CREATE TABLE inspections (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    force       TEXT NOT NULL DEFAULT 'Hertfordshire',
    inspected   TEXT,
    published   TEXT,
    source      TEXT,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))
) STRICT;

CREATE TABLE inspection_grades (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
    position       INTEGER NOT NULL,
    area           TEXT NOT NULL,
    grade          TEXT NOT NULL CHECK (grade IN ('outstanding', 'good', 'adequate', 'requires_improvement',
                                                  'inadequate', 'not_graded')),
    UNIQUE (inspection_id, area)
) STRICT;

CREATE TABLE findings (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
    ref            TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('cause_of_concern', 'recommendation', 'area_for_improvement')),
    area           TEXT,
    text           TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'open'
                   CHECK (status IN ('open', 'in_progress', 'evidence_submitted', 'closed')),
    closed_on      TEXT,
    closed_how     TEXT,
    source         TEXT,
    demo           INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (inspection_id, ref)
) STRICT;

CREATE TABLE finding_history (
    id          INTEGER PRIMARY KEY,
    finding_id  INTEGER NOT NULL REFERENCES findings(id),
    version     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    who         TEXT NOT NULL,
    field       TEXT NOT NULL,
    old_value   TEXT,
    new_value   TEXT,
    note        TEXT,
    source      TEXT NOT NULL
) STRICT;

CREATE TABLE finding_actions (
    finding_id  INTEGER NOT NULL REFERENCES findings(id),
    action_id   INTEGER NOT NULL REFERENCES actions(id),
    linked_at   TEXT NOT NULL,
    linked_by   TEXT NOT NULL,
    PRIMARY KEY (finding_id, action_id)
) STRICT;
CREATE INDEX finding_actions_action ON finding_actions (action_id);

CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    date        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    title       TEXT,
    themes      TEXT NOT NULL DEFAULT '[]',   -- JSON list of strings
    place       TEXT,
    status      TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    notes       TEXT,
    source      TEXT,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX meetings_date ON meetings (date);

CREATE TABLE questions (
    id            INTEGER PRIMARY KEY,
    text          TEXT NOT NULL,
    rationale     TEXT,
    priority_id   INTEGER REFERENCES priorities(id),
    action_id     INTEGER REFERENCES actions(id),
    finding_id    INTEGER REFERENCES findings(id),
    meeting_id    INTEGER REFERENCES meetings(id),
    follow_up_of  INTEGER REFERENCES questions(id),
    status        TEXT NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'ready', 'asked', 'answered', 'follow_up')),
    answer        TEXT,
    answered_on   TEXT,
    asking_order  INTEGER,
    demo          INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX questions_action ON questions (action_id);
CREATE INDEX questions_finding ON questions (finding_id);
CREATE INDEX questions_meeting ON questions (meeting_id);

CREATE TABLE question_history (
    id           INTEGER PRIMARY KEY,
    question_id  INTEGER NOT NULL REFERENCES questions(id),
    version      INTEGER NOT NULL,
    at           TEXT NOT NULL,
    who          TEXT NOT NULL,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    note         TEXT,
    source       TEXT NOT NULL
) STRICT;

-- What goes into a meeting's briefing: one row per item, in its section, in order.
CREATE TABLE briefing_items (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    section      TEXT NOT NULL,
    position     INTEGER NOT NULL,
    action_id    INTEGER REFERENCES actions(id),
    finding_id   INTEGER REFERENCES findings(id),
    question_id  INTEGER REFERENCES questions(id),
    text         TEXT,
    included     INTEGER NOT NULL DEFAULT 1 CHECK (included IN (0, 1)),
    restricted   INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    comment      TEXT,
    CHECK ((action_id IS NOT NULL) + (finding_id IS NOT NULL) + (question_id IS NOT NULL) + (text IS NOT NULL) = 1)
) STRICT;
CREATE INDEX briefing_items_meeting ON briefing_items (meeting_id, section, position);

-- Facts of a plan that are neither priorities nor actions.
CREATE TABLE performance_objectives (
    id           INTEGER PRIMARY KEY,
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    aim          TEXT,
    baseline     TEXT,
    success      TEXT,
    UNIQUE (plan_id, position)
) STRICT;

CREATE TABLE spr_threats (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES plans(id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    UNIQUE (plan_id, name)
) STRICT;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

-- History is never rewritten.
CREATE TRIGGER action_history_no_update BEFORE UPDATE ON action_history
BEGIN SELECT RAISE(ABORT, 'action history is append-only'); END;
CREATE TRIGGER action_history_no_delete BEFORE DELETE ON action_history
BEGIN SELECT RAISE(ABORT, 'action history is append-only'); END;
CREATE TRIGGER finding_history_no_update BEFORE UPDATE ON finding_history
BEGIN SELECT RAISE(ABORT, 'finding history is append-only'); END;
CREATE TRIGGER finding_history_no_delete BEFORE DELETE ON finding_history
BEGIN SELECT RAISE(ABORT, 'finding history is append-only'); END;
CREATE TRIGGER question_history_no_update BEFORE UPDATE ON question_history
BEGIN SELECT RAISE(ABORT, 'question history is append-only'); END;
CREATE TRIGGER question_history_no_delete BEFORE DELETE ON question_history
BEGIN SELECT RAISE(ABORT, 'question history is append-only'); END;

-- Full-text search over actions, findings and questions. The rowid encodes the kind (0 action, 1 finding,
-- 2 question) so that each record's entry is found and replaced by rowid, never by a scan.
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED, item_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

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

CREATE TRIGGER findings_search_ai AFTER INSERT ON findings BEGIN
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4 + 1, 'finding', new.id,
            new.ref || ' ' || new.text || ' ' || coalesce(new.area, ''));
END;
CREATE TRIGGER findings_search_au AFTER UPDATE OF ref, text, area ON findings BEGIN
    DELETE FROM search WHERE rowid = old.id * 4 + 1;
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4 + 1, 'finding', new.id,
            new.ref || ' ' || new.text || ' ' || coalesce(new.area, ''));
END;
CREATE TRIGGER findings_search_ad AFTER DELETE ON findings BEGIN
    DELETE FROM search WHERE rowid = old.id * 4 + 1;
END;

CREATE TRIGGER questions_search_ai AFTER INSERT ON questions BEGIN
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4 + 2, 'question', new.id,
            new.text || ' ' || coalesce(new.rationale, '') || ' ' || coalesce(new.answer, ''));
END;
CREATE TRIGGER questions_search_au AFTER UPDATE OF text, rationale, answer ON questions BEGIN
    DELETE FROM search WHERE rowid = old.id * 4 + 2;
    INSERT INTO search (rowid, kind, item_id, body)
    VALUES (new.id * 4 + 2, 'question', new.id,
            new.text || ' ' || coalesce(new.rationale, '') || ' ' || coalesce(new.answer, ''));
END;
CREATE TRIGGER questions_search_ad AFTER DELETE ON questions BEGIN
    DELETE FROM search WHERE rowid = old.id * 4 + 2;
END;
