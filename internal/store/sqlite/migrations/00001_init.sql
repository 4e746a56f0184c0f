-- +goose Up
-- 0001: every table of the state store. Times are UTC nanoseconds since the Unix epoch
-- (NULL when unset); kinds, states and ids are TEXT compared byte by byte.

CREATE TABLE records (
    kind       TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    channel    TEXT    NOT NULL,
    origin     TEXT    NOT NULL,
    fields     TEXT    NOT NULL, -- JSON object of field name to value
    hash       TEXT    NOT NULL, -- source.Record.Hash
    updated_at INTEGER NOT NULL, -- when the content last changed
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    note        TEXT    NOT NULL
);

CREATE TABLE id_map (
    kind        TEXT    NOT NULL,
    source_id   TEXT    NOT NULL,
    entity      TEXT    NOT NULL,
    dest_id     INTEGER NOT NULL,
    state       TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    reason      TEXT    NOT NULL,
    run_id      INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, source_id)
) WITHOUT ROWID;

-- Append-only; AUTOINCREMENT so a sequence number is never reused, even after deletions.
CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     INTEGER NOT NULL,
    op         TEXT    NOT NULL,
    entity     TEXT    NOT NULL,
    dest_id    TEXT    NOT NULL,
    source_id  TEXT    NOT NULL,
    undo       BLOB,
    undone     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE quarantine (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT    NOT NULL,
    file       TEXT    NOT NULL,
    line       INTEGER NOT NULL,
    col        TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    raw        TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE decisions (
    kind       TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    value      BLOB,
    open       INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;

-- seq keeps the receive order; id (the Svix message id) makes a delivery count once.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    payload     BLOB,
    received_at INTEGER NOT NULL
);

CREATE TABLE ledger (
    day      TEXT    NOT NULL,
    endpoint TEXT    NOT NULL,
    calls    INTEGER NOT NULL,
    tokens   INTEGER NOT NULL,
    PRIMARY KEY (day, endpoint)
) WITHOUT ROWID;

CREATE TABLE cursors (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- +goose Down
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
