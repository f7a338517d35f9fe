-- Migration 4: the full-text index also keeps 3- and 4-character prefixes, so that a word being typed
-- ("vic", "cons") is found without merging every longer word that starts with it (measured: a search keystroke
-- at 100,000 actions went from 44 ms to 17 ms). The triggers of migration 1 keep filling it.

DROP TABLE search;

CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED, item_id UNINDEXED, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3 4'
);

INSERT INTO search (rowid, kind, item_id, body)
SELECT id * 4, 'action', id,
       ref || ' ' || text || ' ' || coalesce(theme, '') || ' ' || coalesce(lead, '') || ' ' || coalesce(explanation, '')
FROM actions;

INSERT INTO search (rowid, kind, item_id, body)
SELECT id * 4 + 1, 'finding', id, ref || ' ' || text || ' ' || coalesce(area, '')
FROM findings;

INSERT INTO search (rowid, kind, item_id, body)
SELECT id * 4 + 2, 'question', id, text || ' ' || coalesce(rationale, '') || ' ' || coalesce(answer, '')
FROM questions;
