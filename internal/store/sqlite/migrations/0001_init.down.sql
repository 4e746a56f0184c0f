-- 0001 down: drop every table of the state store.
DROP TABLE cursors;
DROP TABLE ledger;
DROP TABLE events;
DROP TABLE decisions;
DROP TABLE quarantine;
DROP TABLE journal;
DROP TABLE id_map;
DROP TABLE runs;
DROP TABLE records;
