-- Orleans reminders on SQLite: the table behind SqliteReminderTable, OrleansFlow's own IReminderTable (PostgreSQL uses
-- Microsoft.Orleans.Reminders.AdoNet over migration 0011 instead). One row per grain and reminder name, under the
-- Orleans service id. grain_hash is the grain id's uniform hash (0 to 2^32-1): a silo reads the reminders whose hash
-- falls in its share of the ring. version is the row's ETag: every upsert moves it on, and a delete names the version
-- it read. start_time is UTC text (as every time in this database), period_ms the period in milliseconds.
--
-- Deployments' schedules are now Orleans reminders of the deployment grains: the scheduler's own reminder rows go.
DROP TABLE IF EXISTS deployment_reminders;

CREATE TABLE orleans_reminders (
    service_id TEXT NOT NULL,
    grain_id TEXT NOT NULL,
    reminder_name TEXT NOT NULL,
    start_time TEXT NOT NULL,
    period_ms INTEGER NOT NULL,
    grain_hash INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);
CREATE INDEX ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);
