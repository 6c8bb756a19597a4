-- Orleans' AdoNet providers on PostgreSQL (invariant Npgsql): grain storage (Microsoft.Orleans.Persistence.AdoNet),
-- clustering (Microsoft.Orleans.Clustering.AdoNet) and reminders (Microsoft.Orleans.Reminders.AdoNet). Switchboard's own
-- tables and statements, written against the providers' query contract: each provider reads its statements from
-- OrleansQuery by key, binds the parameters the contract names (@DeploymentId, @GrainStateVersion, ...) and reads result
-- columns by name (quoted here as the providers spell them). Applied at every start by PostgresSchema, in one
-- transaction under an advisory lock, so silos starting together neither race nor fail; every statement is idempotent.
-- A statement that would leave half its work done (a version bumped without its row) raises instead, which rolls it
-- back whole; the providers treat an error as a failed attempt and try again.

CREATE TABLE IF NOT EXISTS OrleansQuery (
    QueryKey    varchar(64) NOT NULL PRIMARY KEY,
    QueryText   text        NOT NULL
);

-- Grain state. Switchboard hands the provider a grain id whose string key is the whole grain id ("agent/a7",
-- AdoNetKeyedGrainStorage), so grain_key names the grain's type too; the hashes the provider sends are not needed.
-- A cleared row stays a tombstone (payload NULL) whose version goes on counting: ETags never repeat (no
-- DeleteStorageKey on purpose).
CREATE TABLE IF NOT EXISTS orleans_grain_state (
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    grain_id_n0 bigint      NOT NULL,
    grain_id_n1 bigint      NOT NULL,
    grain_key   text        NOT NULL,
    payload     bytea       NULL,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL,
    PRIMARY KEY (service_id, state_name, grain_id_n0, grain_id_n1, grain_key)
);

-- Membership: one version row per cluster (deployment), bumped by every change, and a row per silo incarnation.
CREATE TABLE IF NOT EXISTS orleans_membership_version (
    deployment_id text        NOT NULL PRIMARY KEY,
    version       integer     NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Reminders; grain_hash places a reminder on the ring of silos (signed 32-bit, as the provider sends it).
CREATE TABLE IF NOT EXISTS orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminders_by_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Grain storage. ReadFromStorageKey: PayloadBinary (NULL for a tombstone) and Version.
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_grain_state
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, '')
$q$),

-- No version expected: only a row that does not exist yet is written (version 1). A version expected: only the row at
-- that version. Returns NewGrainStateVersion, or no row when the ETag did not match (InconsistentStateException).
('WriteToStorageKey', $q$
INSERT INTO orleans_grain_state AS s (service_id, state_name, grain_id_n0, grain_id_n1, grain_key, payload, version, modified_at)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''), @PayloadBinary, 1, now()
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM orleans_grain_state
              WHERE service_id = @ServiceId AND state_name = @GrainTypeString AND grain_id_n0 = @GrainIdN0
                AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, ''))
ON CONFLICT (service_id, state_name, grain_id_n0, grain_id_n1, grain_key) DO UPDATE
   SET payload = excluded.payload, version = s.version + 1, modified_at = excluded.modified_at
   WHERE s.version = @GrainStateVersion
RETURNING s.version AS "NewGrainStateVersion"
$q$),

-- A tombstone at the next version, returned as the grain's new ETag; no row back when the ETag did not match.
('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payload = NULL, version = version + 1, modified_at = now()
WHERE service_id = @ServiceId AND state_name = @GrainTypeString
  AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1 AND grain_key = COALESCE(@GrainIdExtensionString, '')
  AND @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion
RETURNING version
$q$),

-- Membership. The version row first: 1 when this call created it, 0 when it was there.
('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id, version, updated_at) VALUES (@DeploymentId, 0, now())
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1)
SELECT count(*) FROM created
$q$),

-- A silo's row, only while the table is at @Version, which it bumps: 1 on success, 0 when another silo changed the
-- table first. A row that exists already raises (primary key), which undoes the bump.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
    RETURNING deployment_id),
inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime FROM bumped
    RETURNING 1)
SELECT count(*) FROM inserted
$q$),

-- Status, suspicions and liveness of a silo's row, only while the table is at @Version, which it bumps. A bump
-- without the row raises (the text cast fails; it names the count so it is not folded at planning) so neither stays.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version SET version = version + 1, updated_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
    RETURNING deployment_id),
updated AS (
    UPDATE orleans_membership m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped
    WHERE m.deployment_id = bumped.deployment_id AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1)
SELECT CASE WHEN (SELECT count(*) FROM bumped) = (SELECT count(*) FROM updated) THEN (SELECT count(*) FROM updated)
            ELSE CAST('membership row not found, the version bump is rolled back: ' || (SELECT count(*) FROM updated) AS integer) END
$q$),

-- Liveness only; the version is not bumped and the outcome is not read.
('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- The version row even when no silo row matches (the silo columns are then NULL: StartTime NULL means "no entry").
('MembershipReadRowKey', $q$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation", m.silo_name AS "SiloName",
       m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
     AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT m.address AS "Address", m.port AS "Port", m.generation AS "Generation", m.silo_name AS "SiloName",
       m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes",
       m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime", v.version AS "Version"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('DeleteMembershipTableEntriesKey', $q$
WITH silos AS (DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId)
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Silos that stopped answering before @IAmAliveTime and are not Active (3).
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$),

-- The gateways clients may use: silos in @Status (Active) with a gateway port.
('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

-- Reminders. Upsert returns the new Version (0 for a new reminder).
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders AS r (service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
   SET start_time = excluded.start_time, period = excluded.period, grain_hash = excluded.grain_hash, version = r.version + 1
RETURNING r.version AS "Version"
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- A ring range (@BeginHash, @EndHash] that does not wrap in signed order ...
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

-- ... and one that does.
('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime", period AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

-- 1 when the reminder at @Version was deleted, 0 when it changed or went since it was read.
('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName AND version = @Version
    RETURNING 1)
SELECT count(*) FROM deleted
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
