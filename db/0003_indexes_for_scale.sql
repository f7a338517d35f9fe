-- Migration 3: indexes that keep lists and counts fast at national scale (100,000 actions).

-- A plan's actions in their order (the default order of every list).
CREATE INDEX actions_plan_position ON actions (plan_id, position, id);
-- Per-plan counts by status and due date (the dashboard), read from the index alone.
CREATE INDEX actions_plan_status_due ON actions (plan_id, status, due);
CREATE INDEX findings_status_kind ON findings (status, kind);
CREATE INDEX questions_status ON questions (status);

-- Lists sorted by due date or days overdue, no deadline last (the expression matches Actions.list's ORDER BY).
CREATE INDEX actions_due_order ON actions (due IS NULL, due);
