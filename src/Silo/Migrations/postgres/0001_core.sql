-- Core grains: flows, flow runs, task runs, their state histories, the task cache and tag concurrency limits.
-- Each grain row keeps its whole record as JSON text in `data`; the other columns exist to filter, sort and
-- enforce uniqueness. Tags are text[] with a GIN index.
CREATE TABLE flows (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tags TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE flow_runs (
    id UUID PRIMARY KEY,
    flow_id UUID NOT NULL,
    name TEXT NOT NULL,
    state_type TEXT,
    state_name TEXT,
    state_timestamp TIMESTAMPTZ,
    expected_start_time TIMESTAMPTZ,
    next_scheduled_start_time TIMESTAMPTZ,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    deployment_id UUID,
    work_queue_name TEXT,
    work_queue_id UUID,
    work_pool_id UUID,
    parent_task_run_id UUID,
    idempotency_key TEXT,
    flow_version TEXT,
    tags TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
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
    id UUID PRIMARY KEY,
    flow_run_id UUID NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    timestamp TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ix_flow_run_states_run ON flow_run_states (flow_run_id, timestamp);

CREATE TABLE task_runs (
    id UUID PRIMARY KEY,
    flow_run_id UUID NOT NULL,
    task_key TEXT NOT NULL,
    dynamic_key TEXT NOT NULL,
    name TEXT NOT NULL,
    state_type TEXT,
    state_name TEXT,
    state_timestamp TIMESTAMPTZ,
    expected_start_time TIMESTAMPTZ,
    next_scheduled_start_time TIMESTAMPTZ,
    start_time TIMESTAMPTZ,
    end_time TIMESTAMPTZ,
    cache_key TEXT,
    tags TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL,
    data TEXT NOT NULL
);
-- Task runs are rewritten on every transition, and each index costs an entry per write, so they keep only the
-- unique key (which also serves lookups by flow run) and the state type.
CREATE UNIQUE INDEX ix_task_runs_key ON task_runs (flow_run_id, task_key, dynamic_key);
CREATE INDEX ix_task_runs_state_type ON task_runs (state_type);

CREATE TABLE task_run_states (
    id UUID PRIMARY KEY,
    task_run_id UUID NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    timestamp TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX ix_task_run_states_run ON task_run_states (task_run_id, timestamp);

CREATE TABLE task_run_state_cache (
    cache_key TEXT NOT NULL,
    cache_expiration TIMESTAMPTZ,
    task_run_state_id UUID NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    state TEXT NOT NULL
);
CREATE INDEX ix_task_run_state_cache_key ON task_run_state_cache (cache_key, created);

CREATE TABLE concurrency_limits (
    id UUID PRIMARY KEY,
    tag TEXT NOT NULL UNIQUE,
    concurrency_limit INTEGER NOT NULL,
    active_slots TEXT NOT NULL DEFAULT '[]',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_flow_runs_tags ON flow_runs USING GIN (tags);
