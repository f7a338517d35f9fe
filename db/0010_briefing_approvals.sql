-- Migration 10: an approved briefing (issue 14, "An approved briefing").
--
-- An approver marks a meeting's briefing approved: who, when, and a fingerprint of what the briefing contained
-- then (a sha256 of its content, full and public versions, as briefing/document.py makes it: every item in it,
-- its flags, comments, notes, order and the figures behind it; never a clock). The briefing built later with
-- another fingerprint is "changed since approval" until it is approved again. Append-only, as every history: the
-- rows are the history of who approved what and when, and the newest row of a meeting is its approval.
CREATE TABLE briefing_approvals (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    at           TEXT NOT NULL,   -- ISO, UTC
    who          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL CHECK (length(fingerprint) = 64),
    source       TEXT NOT NULL    -- app | cli
) STRICT;
CREATE INDEX briefing_approvals_meeting ON briefing_approvals (meeting_id, id);

CREATE TRIGGER briefing_approvals_no_update BEFORE UPDATE ON briefing_approvals
BEGIN SELECT RAISE(ABORT, 'briefing approvals are append-only'); END;
CREATE TRIGGER briefing_approvals_no_delete BEFORE DELETE ON briefing_approvals
BEGIN SELECT RAISE(ABORT, 'briefing approvals are append-only'); END;
