-- The previous build's SQLite schema (Switchboard.Actors, e10e656), to make data folders of the previous build in tests.
-- Times are Unix microseconds (UTC). ETags are the row's version counter rendered as text.

-- State rows. A cleared row stays as a tombstone (data NULL) that keeps its version, so an
-- ETag read before the clear can never match a later row (no ABA).
-- A rowid table with its key in a separate unique index, not WITHOUT ROWID: there a row is an index
-- record, and a key search compares whole records, so one large state (a center's configuration runs
-- to hundreds of KB, in overflow pages) was read in full by every search passing its neighbours.
CREATE TABLE IF NOT EXISTS grain_state (
    id          INTEGER PRIMARY KEY,
    state_name  TEXT    NOT NULL,
    grain_type  TEXT    NOT NULL,
    grain_key   TEXT    NOT NULL,
    data        BLOB    NULL,
    version     INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (state_name, grain_type, grain_key)
);

-- The append-only journal. position is the global append order (AUTOINCREMENT: never reused).
CREATE TABLE IF NOT EXISTS journal (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream      TEXT    NOT NULL,
    sequence    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    timestamp   INTEGER NOT NULL,
    payload     BLOB    NOT NULL,
    partition   INTEGER NOT NULL,
    epoch       INTEGER NOT NULL,
    UNIQUE (stream, sequence)
);

CREATE INDEX IF NOT EXISTS journal_by_timestamp ON journal (timestamp);

-- Fencing: the newest epoch seen per partition. A write carrying an older epoch is refused.
CREATE TABLE IF NOT EXISTS partition_epochs (
    partition   INTEGER PRIMARY KEY,
    epoch       INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
