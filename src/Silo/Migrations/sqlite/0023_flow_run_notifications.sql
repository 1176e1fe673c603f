-- Flow run notification policies (Prefect 2's /flow_run_notification_policies), and the queue of messages they owe:
-- the event dispatcher adds a row per (policy, state) that matched a flow run's state-change event, and the flow run
-- notification grain sends the rows in order and marks them sent. Sent rows are kept a while so an event delivered
-- twice (a dispatcher restart) does not send twice.
CREATE TABLE flow_run_notification_policies (
    id TEXT PRIMARY KEY,
    is_active INTEGER NOT NULL,
    state_names TEXT NOT NULL DEFAULT '[]',
    tags TEXT NOT NULL DEFAULT '[]',
    block_document_id TEXT NOT NULL,
    message_template TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE flow_run_notification_queue (
    id TEXT PRIMARY KEY,
    policy_id TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    state_id TEXT NOT NULL,
    queued TEXT NOT NULL,
    sent TEXT,
    result TEXT
);
CREATE UNIQUE INDEX ix_flow_run_notification_queue_key ON flow_run_notification_queue (policy_id, state_id);
CREATE INDEX ix_flow_run_notification_queue_pending ON flow_run_notification_queue (queued) WHERE sent IS NULL;
CREATE INDEX ix_flow_run_notification_queue_sent ON flow_run_notification_queue (sent) WHERE sent IS NOT NULL;
