-- Automations (Prefect 3's /automations): the definition as its wire JSON, with the columns the API filters and sorts
-- on; the resources each relates to (the deployments it runs, its owner); each automation's trigger state (open
-- buckets, pending child firings), written by its grain on every change; and the history of its firings with the
-- result of every action.
CREATE TABLE automations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX ix_automations_name ON automations (name);
CREATE INDEX ix_automations_created ON automations (created);

CREATE TABLE automation_related_resources (
    automation_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    owned_by_resource INTEGER NOT NULL,
    PRIMARY KEY (automation_id, resource_id)
);
CREATE INDEX ix_automation_related_resources_resource ON automation_related_resources (resource_id);

CREATE TABLE automation_trigger_states (
    automation_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE automation_firings (
    id TEXT PRIMARY KEY,
    automation_id TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    fired TEXT NOT NULL,
    bucket_key TEXT NOT NULL,
    triggering_labels TEXT NOT NULL,
    triggering_event TEXT,
    event_ids TEXT NOT NULL,
    status TEXT NOT NULL,
    action_results TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX ix_automation_firings_automation ON automation_firings (automation_id, fired DESC);

-- How far the automation dispatcher has read the event store (by its seq), so no event is missed or applied twice
-- after a restart.
CREATE TABLE automation_cursors (
    name TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    updated TEXT NOT NULL
);
