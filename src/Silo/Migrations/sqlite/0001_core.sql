-- Core grains: flows, flow runs, task runs, their state histories, the task cache and tag concurrency limits.
-- Each grain row keeps its whole record as JSON in `data`; the other columns exist to filter, sort and enforce
-- uniqueness. Ids are text, times are fixed-width UTC text (so text order is time order), tags a JSON array.
CREATE TABLE flows (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE flow_runs (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    name TEXT NOT NULL,
    state_type TEXT,
    state_name TEXT,
    state_timestamp TEXT,
    expected_start_time TEXT,
    next_scheduled_start_time TEXT,
    start_time TEXT,
    end_time TEXT,
    deployment_id TEXT,
    work_queue_name TEXT,
    work_queue_id TEXT,
    work_pool_id TEXT,
    parent_task_run_id TEXT,
    idempotency_key TEXT,
    flow_version TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_flow_runs_idempotency ON flow_runs (flow_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_flow_runs_flow ON flow_runs (flow_id);
CREATE INDEX ix_flow_runs_state_type ON flow_runs (state_type);
CREATE INDEX ix_flow_runs_expected_start ON flow_runs (expected_start_time);
CREATE INDEX ix_flow_runs_next_scheduled ON flow_runs (next_scheduled_start_time) WHERE next_scheduled_start_time IS NOT NULL;
CREATE INDEX ix_flow_runs_start_time ON flow_runs (start_time);
CREATE INDEX ix_flow_runs_deployment ON flow_runs (deployment_id) WHERE deployment_id IS NOT NULL;
CREATE INDEX ix_flow_runs_parent ON flow_runs (parent_task_run_id) WHERE parent_task_run_id IS NOT NULL;
CREATE INDEX ix_flow_runs_work_queue ON flow_runs (work_queue_id) WHERE work_queue_id IS NOT NULL;

CREATE TABLE flow_run_states (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ix_flow_run_states_run ON flow_run_states (flow_run_id, timestamp);

CREATE TABLE task_runs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    task_key TEXT NOT NULL,
    dynamic_key TEXT NOT NULL,
    name TEXT NOT NULL,
    state_type TEXT,
    state_name TEXT,
    state_timestamp TEXT,
    expected_start_time TEXT,
    next_scheduled_start_time TEXT,
    start_time TEXT,
    end_time TEXT,
    cache_key TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
-- Task runs are rewritten on every transition, and each index costs an entry per write, so they keep only the
-- unique key (which also serves lookups by flow run) and the state type.
CREATE UNIQUE INDEX ix_task_runs_key ON task_runs (flow_run_id, task_key, dynamic_key);
CREATE INDEX ix_task_runs_state_type ON task_runs (state_type);

CREATE TABLE task_run_states (
    id TEXT PRIMARY KEY,
    task_run_id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ix_task_run_states_run ON task_run_states (task_run_id, timestamp);

CREATE TABLE task_run_state_cache (
    cache_key TEXT NOT NULL,
    cache_expiration TEXT,
    task_run_state_id TEXT NOT NULL,
    created TEXT NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX ix_task_run_state_cache_key ON task_run_state_cache (cache_key, created);

CREATE TABLE concurrency_limits (
    id TEXT PRIMARY KEY,
    tag TEXT NOT NULL UNIQUE,
    concurrency_limit INTEGER NOT NULL,
    active_slots TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
