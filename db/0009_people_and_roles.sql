-- Migration 9: the people who may use the database, and what each may do (issue 14, "Roles").
--
-- A person is a name (as the office's sign-on or the OS login gives it; unique whatever its case) with one role:
-- reader (looks, searches, exports the public version), editor (everything an officer does), approver (an editor
-- who may also approve a briefing) or admin (manages people). While the table is empty everyone may do
-- everything, as before. The services enforce the roles (services/access.py); the store only asks them before
-- each write transaction.
CREATE TABLE people (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
    role      TEXT NOT NULL CHECK (role IN ('reader', 'editor', 'approver', 'admin')),
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1
) STRICT;

-- Every change to the list, append-only as every other history: who was added, given another role or removed,
-- by whom and when. Keyed by the name, so that a person removed keeps their history.
CREATE TABLE people_history (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    at         TEXT NOT NULL,
    who        TEXT NOT NULL,
    field      TEXT NOT NULL,   -- added | role | removed
    old_value  TEXT,
    new_value  TEXT,
    source     TEXT NOT NULL    -- app | cli
) STRICT;
CREATE INDEX people_history_name ON people_history (name COLLATE NOCASE, id);

CREATE TRIGGER people_history_no_update BEFORE UPDATE ON people_history
BEGIN SELECT RAISE(ABORT, 'people history is append-only'); END;
CREATE TRIGGER people_history_no_delete BEFORE DELETE ON people_history
BEGIN SELECT RAISE(ABORT, 'people history is append-only'); END;
