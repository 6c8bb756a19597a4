-- Switchboard grain store, PostgreSQL. Applied on every start-up under an advisory lock; every
-- statement is idempotent. The write functions return an outcome instead of raising, so one refused
-- item never aborts the batch's transaction:
--   0 = written (detail: new ETag), 1 = stale epoch (detail: current epoch),
--   2 = ETag mismatch (detail: stored ETag or NULL), 3 = journal conflict (detail: last sequence).

-- State rows. A cleared row stays as a tombstone (data NULL) that keeps its version, so an
-- ETag read before the clear can never match a later row (no ABA).
CREATE TABLE IF NOT EXISTS grain_state (
    state_name  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    data        bytea       NULL,
    version     bigint      NOT NULL,
    partition   integer     NOT NULL,
    epoch       bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (state_name, grain_type, grain_key)
);

-- The append-only journal; position is the global append order.
CREATE TABLE IF NOT EXISTS journal (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stream      text        NOT NULL,
    sequence    bigint      NOT NULL,
    type        text        NOT NULL,
    timestamp   timestamptz NOT NULL,
    payload     bytea       NOT NULL,
    partition   integer     NOT NULL,
    epoch       bigint      NOT NULL,
    UNIQUE (stream, sequence)
);

CREATE INDEX IF NOT EXISTS journal_by_timestamp ON journal (timestamp);

-- Fencing: the newest epoch seen per partition. A write carrying an older epoch is refused.
CREATE TABLE IF NOT EXISTS partition_epochs (
    partition   integer     PRIMARY KEY,
    epoch       bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Checks a writer's epoch and raises the partition's when the writer's is newer; returns the
-- partition's epoch after that. Writers share-lock the partition row for their transaction, so
-- a successor raising the epoch waits until writes of the old epoch are committed or gone.
CREATE OR REPLACE FUNCTION switchboard_fence(p_partition integer, p_epoch bigint, p_now timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_epoch bigint;
BEGIN
    SELECT epoch INTO v_epoch FROM partition_epochs WHERE partition = p_partition FOR SHARE;
    IF NOT FOUND THEN
        INSERT INTO partition_epochs (partition, epoch, updated_at) VALUES (p_partition, p_epoch, p_now)
        ON CONFLICT (partition) DO NOTHING;
        SELECT epoch INTO v_epoch FROM partition_epochs WHERE partition = p_partition FOR SHARE;
    END IF;
    IF v_epoch < p_epoch THEN
        UPDATE partition_epochs SET epoch = p_epoch, updated_at = p_now WHERE partition = p_partition;
        v_epoch := p_epoch;
    END IF;
    RETURN v_epoch;
END $$;

-- Writes (p_clear = false) or clears (p_clear = true) a state row under the ETag and epoch checks.
CREATE OR REPLACE FUNCTION switchboard_write_state(
    p_state text, p_type text, p_key text, p_data bytea, p_expected text,
    p_partition integer, p_epoch bigint, p_now timestamptz, p_clear boolean)
RETURNS TABLE (outcome integer, detail text) LANGUAGE plpgsql AS $$
DECLARE
    v_epoch bigint;
    v_version bigint;
    v_live boolean;
BEGIN
    v_epoch := switchboard_fence(p_partition, p_epoch, p_now);
    IF v_epoch > p_epoch THEN
        RETURN QUERY SELECT 1, v_epoch::text;
        RETURN;
    END IF;
    SELECT s.version, s.data IS NOT NULL INTO v_version, v_live
    FROM grain_state s
    WHERE s.state_name = p_state AND s.grain_type = p_type AND s.grain_key = p_key
    FOR UPDATE;
    IF NOT FOUND THEN
        IF p_expected IS NOT NULL THEN
            RETURN QUERY SELECT 2, NULL::text;
            RETURN;
        END IF;
        IF p_clear THEN
            RETURN QUERY SELECT 0, NULL::text;
            RETURN;
        END IF;
        INSERT INTO grain_state (state_name, grain_type, grain_key, data, version, partition, epoch, updated_at)
        VALUES (p_state, p_type, p_key, p_data, 1, p_partition, p_epoch, p_now)
        ON CONFLICT (state_name, grain_type, grain_key) DO NOTHING;
        IF NOT FOUND THEN
            -- Another writer created the row since this one looked: its ETag no longer holds.
            SELECT s.version INTO v_version FROM grain_state s
            WHERE s.state_name = p_state AND s.grain_type = p_type AND s.grain_key = p_key;
            RETURN QUERY SELECT 2, v_version::text;
            RETURN;
        END IF;
        RETURN QUERY SELECT 0, '1'::text;
        RETURN;
    END IF;
    IF (v_live AND p_expected IS DISTINCT FROM v_version::text) OR (NOT v_live AND p_expected IS NOT NULL) THEN
        RETURN QUERY SELECT 2, CASE WHEN v_live THEN v_version::text END;
        RETURN;
    END IF;
    IF p_clear AND NOT v_live THEN
        RETURN QUERY SELECT 0, NULL::text;
        RETURN;
    END IF;
    UPDATE grain_state s
    SET data = CASE WHEN p_clear THEN NULL ELSE p_data END, version = v_version + 1,
        partition = p_partition, epoch = p_epoch, updated_at = p_now
    WHERE s.state_name = p_state AND s.grain_type = p_type AND s.grain_key = p_key;
    RETURN QUERY SELECT 0, CASE WHEN p_clear THEN NULL ELSE (v_version + 1)::text END;
END $$;

-- Appends entries to a stream if they start right after its last sequence (an empty stream's is 0).
CREATE OR REPLACE FUNCTION switchboard_append_journal(
    p_stream text, p_first bigint, p_types text[], p_timestamps timestamptz[], p_payloads bytea[],
    p_partition integer, p_epoch bigint, p_now timestamptz)
RETURNS TABLE (outcome integer, detail text) LANGUAGE plpgsql AS $$
DECLARE
    v_epoch bigint;
    v_last bigint;
BEGIN
    v_epoch := switchboard_fence(p_partition, p_epoch, p_now);
    IF v_epoch > p_epoch THEN
        RETURN QUERY SELECT 1, v_epoch::text;
        RETURN;
    END IF;
    -- Serializes appenders of one stream, so two writers racing for the same sequence get a
    -- conflict outcome instead of a unique violation that would abort the whole batch.
    PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));
    SELECT COALESCE(MAX(j.sequence), 0) INTO v_last FROM journal j WHERE j.stream = p_stream;
    IF v_last <> p_first - 1 THEN
        RETURN QUERY SELECT 3, v_last::text;
        RETURN;
    END IF;
    INSERT INTO journal (stream, sequence, type, timestamp, payload, partition, epoch)
    SELECT p_stream, p_first + i - 1, p_types[i], p_timestamps[i], p_payloads[i], p_partition, p_epoch
    FROM generate_subscripts(p_types, 1) AS i
    ORDER BY i;
    RETURN QUERY SELECT 0, NULL::text;
END $$;
