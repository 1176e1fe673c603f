-- The Orleans cluster kept in PostgreSQL (Microsoft.Orleans.Clustering.AdoNet, invariant "Npgsql"). Every silo on this
-- database writes its own row into the membership table, reads the others' rows to find its peers, and votes dead the
-- silos that stop answering probes. Orleans issues no SQL of its own: at start it reads the statements it needs, by key,
-- from OrleansQuery, and runs them with named parameters (@DeploymentId, @Address, @Port, @Generation, @Version, ...).
-- The table, column, key and parameter names below are that contract; the statements are ours.
--
-- The membership version row is the table's ETag: a silo writes a membership row only together with moving the version
-- from the one it read (@Version) to the next, so of two concurrent writers based on one read only one succeeds, and
-- Orleans reads again and retries. The statements that report success return one row with one integer column (1 or 0).
CREATE TABLE OrleansQuery (
    QueryKey VARCHAR(64) PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId VARCHAR(150) PRIMARY KEY,
    Timestamp TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
    Version INTEGER NOT NULL DEFAULT 0
);

-- One row per silo incarnation (address, port and generation, the start time in Orleans' epoch). Status is Orleans'
-- SiloStatus (3 = Active, 6 = Dead); SuspectTimes lists 'silo,time' votes separated by '|'.
CREATE TABLE OrleansMembershipTable (
    DeploymentId VARCHAR(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId) ON DELETE CASCADE,
    Address VARCHAR(45) NOT NULL,
    Port INTEGER NOT NULL,
    Generation INTEGER NOT NULL,
    SiloName VARCHAR(150) NOT NULL,
    HostName VARCHAR(150) NOT NULL,
    Status INTEGER NOT NULL,
    ProxyPort INTEGER NULL,
    SuspectTimes TEXT NULL,
    StartTime TIMESTAMPTZ(3) NOT NULL,
    IAmAliveTime TIMESTAMPTZ(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- The cluster's version row, made once by the first silo; 1 when this call made it.
('InsertMembershipVersionKey', $q$
WITH made AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM made
$q$),

-- A joining silo's row, written only if the version is still @Version and the row is new; 1 when written.
('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId AND v.Version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), made AS (
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
    SELECT b.DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped b
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM made
$q$),

-- A silo's status and suspicion votes, written only if the version is still @Version and the row exists; 1 when written.
('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE OrleansMembershipVersionTable v
    SET Version = v.Version + 1, Timestamp = now()
    WHERE v.DeploymentId = @DeploymentId AND v.Version = @Version
      AND EXISTS (
          SELECT 1 FROM OrleansMembershipTable m
          WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation)
    RETURNING v.DeploymentId
), changed AS (
    UPDATE OrleansMembershipTable m
    SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
    FROM bumped b
    WHERE m.DeploymentId = b.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer FROM changed
$q$),

-- The heartbeat a silo writes into its own row (diagnostic; does not move the version).
('UpdateIAmAlivetimeKey', $q$
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),

-- One silo's row with the table version; the version row alone (null member columns) when the silo has no row.
('MembershipReadRowKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId
$q$),

-- Every silo's row with the table version; the version row alone when there is no silo yet.
('MembershipReadAllKey', $q$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId
$q$),

-- The cluster forgotten: its version row, and its silos' rows with it (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $q$
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$),

-- Client gateways: the active silos that listen for clients (@Status is Active).
('GatewaysQueryKey', $q$
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),

-- Rows of silos that are not active and have not been heard from since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3
$q$);
