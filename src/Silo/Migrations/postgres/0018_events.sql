-- Events (Prefect 3's shape). `seq` is an identity: it grows with each insert, but a transaction that took a lower seq
-- may commit after one that took a higher one, so a reader that tails the table by seq waits a little for a gap to fill
-- before it moves past it (see EventFeed). `event_resources` holds one row per resource of an event (the event's own,
-- role '', and each related one) so filters on a resource id, a role or a label use an index instead of reading JSON.
CREATE TABLE events (
    id UUID PRIMARY KEY,
    seq BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    occurred TIMESTAMPTZ NOT NULL,
    received TIMESTAMPTZ NOT NULL,
    event TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    resource JSONB NOT NULL,
    related JSONB NOT NULL DEFAULT '[]',
    payload JSONB,
    follows UUID
);
CREATE INDEX ix_events_occurred ON events (occurred, seq);
CREATE INDEX ix_events_event ON events (event text_pattern_ops, occurred);
CREATE INDEX ix_events_resource ON events (resource_id text_pattern_ops, occurred);

CREATE TABLE event_resources (
    event_id UUID NOT NULL,
    resource_id TEXT NOT NULL,
    role TEXT NOT NULL,
    occurred TIMESTAMPTZ NOT NULL,
    labels JSONB NOT NULL,
    PRIMARY KEY (event_id, resource_id, role)
);
CREATE INDEX ix_event_resources_resource ON event_resources (resource_id text_pattern_ops, role, occurred);
