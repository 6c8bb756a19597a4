-- Switchboard's embedded store, SQLite: grain state of our group-committing grain storage and the event journal.
-- Applied at every start, in one transaction; every statement is idempotent. Times are Unix microseconds (UTC).

-- Grain state, one row per (grain type, grain key, state name). The ETag is `version` as decimal text. A cleared
-- row stays as a tombstone (data NULL) that keeps counting versions, so an ETag never repeats for a row (no ABA).
-- A rowid table with its key in a unique index, not WITHOUT ROWID: there a key search compares whole records and a
-- large state (a center's configuration runs to hundreds of KB, in overflow pages) was read by every search past it.
CREATE TABLE IF NOT EXISTS grain_states (
    id          INTEGER PRIMARY KEY,
    grain_type  TEXT    NOT NULL,
    grain_key   TEXT    NOT NULL,
    state_name  TEXT    NOT NULL,
    data        BLOB    NULL,
    version     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (grain_type, grain_key, state_name)
);

-- The event journal, append-only. position is the global append order (AUTOINCREMENT: never reused); each stream is
-- numbered from 1 by its one writer, and (stream, sequence) is unique: the sequence is the journal's fencing.
CREATE TABLE IF NOT EXISTS journal_records (
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream      TEXT    NOT NULL,
    sequence    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    timestamp   INTEGER NOT NULL,
    payload     BLOB    NOT NULL,
    UNIQUE (stream, sequence)
);

CREATE INDEX IF NOT EXISTS journal_records_by_timestamp ON journal_records (timestamp);
CREATE INDEX IF NOT EXISTS journal_records_by_type ON journal_records (type, position);
