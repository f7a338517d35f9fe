-- Migration 6: what a briefing handed to the Commissioner needs.

-- The date an action's status was last reported (an import: the report's date or the day of the import; an
-- officer's update: that day). A status older than 90 days, or than the previous meeting, is stale.
ALTER TABLE actions ADD COLUMN status_as_at TEXT;
UPDATE actions SET status_as_at = substr(updated_at, 1, 10) WHERE status <> 'unknown';
-- The Annual Delivery Plan's statuses, not changed since they were imported, are as at its report to the Panel.
UPDATE actions SET status_as_at = '2023-02-02'
    WHERE version = 1 AND status <> 'unknown' AND plan_id IN (SELECT id FROM plans WHERE code = 'CSCJ-2022-27');

-- An officer's note or comment goes into the public version of a briefing only when marked public.
ALTER TABLE briefing_items ADD COLUMN public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1));

-- Section 55 of the Police Act 1996: when the PCC published the response to an HMICFRS report, and where.
ALTER TABLE inspections ADD COLUMN s55_published_on TEXT;
ALTER TABLE inspections ADD COLUMN s55_link TEXT;
