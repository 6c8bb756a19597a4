-- Switchboard's event journal on PostgreSQL, in the cluster's database beside Orleans' tables. Applied at every start
-- by PostgresSchema with postgres-orleans.sql, in one transaction under an advisory lock; idempotent.
-- position is the global append order. Every appending transaction holds one journal-wide advisory lock until it
-- commits (PostgresJournalBatchExecutor), so positions are handed out in commit order across silos and a reader
-- following AfterPosition never skips a row that committed late. Each stream is numbered from 1 by its one writer;
-- (stream, sequence) is unique: the sequence is the journal's fencing.
CREATE TABLE IF NOT EXISTS journal_records (
    position    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream      text        NOT NULL,
    sequence    bigint      NOT NULL,
    type        text        NOT NULL,
    timestamp   timestamptz NOT NULL,
    payload     bytea       NOT NULL,
    UNIQUE (stream, sequence)
);

CREATE INDEX IF NOT EXISTS journal_records_by_timestamp ON journal_records (timestamp);
CREATE INDEX IF NOT EXISTS journal_records_by_type ON journal_records (type, position);
