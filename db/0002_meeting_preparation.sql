-- Migration 2: meeting preparation — the overdue review, briefing order and flags.

-- The order of a briefing's sections (JSON list of section keys; empty: the standard order).
ALTER TABLE meetings ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';

-- An overdue action the officer put in the briefing for discussion (shown in full, not only in the table).
ALTER TABLE briefing_items ADD COLUMN discuss INTEGER NOT NULL DEFAULT 0 CHECK (discuss IN (0, 1));

CREATE UNIQUE INDEX briefing_items_one_action ON briefing_items (meeting_id, section, action_id)
    WHERE action_id IS NOT NULL;
CREATE UNIQUE INDEX briefing_items_one_finding ON briefing_items (meeting_id, section, finding_id)
    WHERE finding_id IS NOT NULL;
CREATE UNIQUE INDEX briefing_items_one_question ON briefing_items (meeting_id, section, question_id)
    WHERE question_id IS NOT NULL;

-- Which overdue actions have been reviewed for which meeting, so that a review can be left and resumed.
CREATE TABLE meeting_reviews (
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    action_id    INTEGER NOT NULL REFERENCES actions(id),
    reviewed_at  TEXT NOT NULL,
    who          TEXT NOT NULL,
    PRIMARY KEY (meeting_id, action_id)
) STRICT;
