-- Events (Prefect 3's shape). `seq` is the rowid: SQLite has one writer, so rows commit in seq order and a reader that
-- tails the table by seq never misses one. `event_resources` holds one row per resource of an event (the event's own,
-- role '', and each related one) so filters on a resource id, a role or a label use an index instead of reading JSON.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    occurred TEXT NOT NULL,
    received TEXT NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    related TEXT NOT NULL DEFAULT '[]',
    payload TEXT,
    follows TEXT
);
CREATE INDEX ix_events_occurred ON events (occurred, seq);
CREATE INDEX ix_events_event ON events (event, occurred);
CREATE INDEX ix_events_resource ON events (resource_id, occurred);

CREATE TABLE event_resources (
    event_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    role TEXT NOT NULL,
    occurred TEXT NOT NULL,
    labels TEXT NOT NULL,
    PRIMARY KEY (event_id, resource_id, role)
) WITHOUT ROWID;
CREATE INDEX ix_event_resources_resource ON event_resources (resource_id, role, occurred);
