-- Orleans' AdoNet grain storage (Microsoft.Orleans.Persistence.AdoNet, invariant System.Data.SQLite, which loads
-- Microsoft.Data.Sqlite) on Switchboard's SQLite file: the provider reads its statements from OrleansQuery by key
-- (WriteToStorageKey, ReadFromStorageKey, ClearStorageKey) and binds the parameters its contract names (@ServiceId,
-- @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion, @PayloadBinary; the hashes
-- are not used here). Applied at every start in one transaction with sqlite-schema.sql; idempotent.
--
-- Switchboard hands the provider a grain id whose string key is the whole grain id ("agent/a7") and whose state
-- name is the state's (AdoNetKeyedGrainStorage), so grain_key names the grain's type too and a key of hex digits is
-- never read as an integer key. DeleteStorageKey is left out on purpose: a cleared row stays a tombstone, as in
-- grain_states, so ETags never repeat.

CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey    TEXT NOT NULL PRIMARY KEY,
    QueryText   TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_grain_state (
    id          INTEGER PRIMARY KEY,
    service_id  TEXT    NOT NULL,
    state_name  TEXT    NOT NULL,
    grain_id_n0 INTEGER NOT NULL,
    grain_id_n1 INTEGER NOT NULL,
    grain_key   TEXT    NOT NULL,
    payload     BLOB    NULL,
    version     INTEGER NOT NULL,
    modified_at INTEGER NOT NULL,
    UNIQUE (service_id, state_name, grain_id_n0, grain_id_n1, grain_key)
);

-- Columns read by name: PayloadBinary (NULL for a tombstone), Version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT payload AS PayloadBinary, version AS Version
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, '''');
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- No version expected: only a row that does not exist yet is written (version 1). A version expected: only the row at
-- that version (live or tombstone) is written, at the next version. Returns NewGrainStateVersion, or no row when the
-- ETag did not match, which the provider turns into InconsistentStateException.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
INSERT INTO orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_key, payload, version, modified_at)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''''), @PayloadBinary, 1,
       CAST(unixepoch(''subsec'') * 1000000 AS INTEGER)
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM orleans_grain_state
              WHERE service_id = @ServiceId AND state_name = @GrainTypeString AND grain_id_n0 = @GrainIdN0
                AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, ''''))
ON CONFLICT (service_id, state_name, grain_id_n0, grain_id_n1, grain_key) DO UPDATE
   SET payload = excluded.payload, version = orleans_grain_state.version + 1, modified_at = excluded.modified_at
   WHERE orleans_grain_state.version = @GrainStateVersion
RETURNING version AS NewGrainStateVersion;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Keeps the row as a tombstone at the next version and returns that version (the grain's new ETag); no row back when
-- the ETag did not match.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = CAST(unixepoch(''subsec'') * 1000000 AS INTEGER)
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, '''')
  AND @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
RETURNING version;
') ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
