-- Orleans reminders kept in PostgreSQL (Microsoft.Orleans.Reminders.AdoNet, invariant "Npgsql"): one row per grain and
-- reminder name. Each silo's reminder service reads the rows whose GrainHash falls in its share of the hash ring (a
-- range that may wrap around), so when a silo dies its reminders are picked up by the silos that take over its range.
-- As for the cluster (migration 0010), Orleans reads these statements by key from OrleansQuery; the names of the table,
-- columns, keys and parameters are its contract, the statements are ours.
--
-- Version is the row's ETag: every upsert moves it on, and a delete names the version it read.
CREATE TABLE OrleansRemindersTable (
    ServiceId VARCHAR(150) NOT NULL,
    GrainId TEXT NOT NULL,
    ReminderName VARCHAR(150) NOT NULL,
    StartTime TIMESTAMPTZ(3) NOT NULL,
    Period BIGINT NOT NULL,
    GrainHash INTEGER NOT NULL,
    Version INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);
CREATE INDEX ix_orleans_reminders_hash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Registers a reminder, or changes its start and period; returns the row's new Version.
('UpsertReminderRowKey', $q$
INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash, Version = r.Version + 1
RETURNING r.Version
$q$),

-- A grain's reminders.
('ReadReminderRowsKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),

-- One reminder of a grain (no row when it has none by that name).
('ReadReminderRowKey', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),

-- The reminders in the hash range (@BeginHash, @EndHash] when it does not wrap around...
('ReadRangeRows1Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),

-- ...and when it does: above @BeginHash or up to @EndHash.
('ReadRangeRows2Key', $q$
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),

-- Unregisters a reminder if it is still at @Version; 1 when deleted.
('DeleteReminderRowKey', $q$
WITH gone AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer FROM gone
$q$),

-- Every reminder of the service.
('DeleteReminderRowsKey', $q$
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
$q$);
