-- Flow-run heartbeats (an OrleansFlow extension): one small row per run, upserted by POST /flow_runs/{id}/heartbeat,
-- kept apart from flow_runs so that a heartbeat never touches the run row, its version or its indexes. The reaper
-- marks RUNNING runs whose latest heartbeat (or RUNNING state, when later) is older than the timeout CRASHED.
CREATE TABLE flow_run_heartbeats (
    flow_run_id UUID PRIMARY KEY,
    last_heartbeat TIMESTAMPTZ NOT NULL
);
