-- Migration 5: drafts of the forms an officer has open, so that a crash, a closed terminal or a quit loses nothing.
-- A draft is the officer's own (keyed by who), is replaced as they type, and is removed when the form is saved or
-- its input discarded on purpose.
CREATE TABLE drafts (
    key       TEXT NOT NULL,   -- the form and its record, e.g. 'action-edit:12'
    who       TEXT NOT NULL,
    fields    TEXT NOT NULL,   -- JSON object: the form's field ids and their text
    saved_at  TEXT NOT NULL,
    PRIMARY KEY (key, who)
) STRICT;
