-- Work pools, their queues and workers, deployments, claims of scheduled runs by workers, and leases of the
-- singleton background processes. Rows keep the whole record as JSON in `data`; other columns filter and sort.
CREATE TABLE work_pools (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    is_paused BOOLEAN NOT NULL,
    concurrency_limit INTEGER,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE work_queues (
    id UUID PRIMARY KEY,
    work_pool_id UUID NOT NULL,
    name TEXT NOT NULL,
    priority INTEGER NOT NULL,
    is_paused BOOLEAN NOT NULL,
    concurrency_limit INTEGER,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_work_queues_name ON work_queues (work_pool_id, name);

CREATE TABLE workers (
    work_pool_id UUID NOT NULL,
    name TEXT NOT NULL,
    id UUID NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    last_heartbeat_time TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (work_pool_id, name)
);

CREATE TABLE deployments (
    id UUID PRIMARY KEY,
    flow_id UUID NOT NULL,
    name TEXT NOT NULL,
    work_queue_name TEXT,
    work_queue_id UUID,
    work_pool_name TEXT,
    is_schedule_active BOOLEAN NOT NULL,
    has_schedule BOOLEAN NOT NULL,
    tags TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_deployments_name ON deployments (flow_id, name);

-- A worker's hold on a scheduled run it was handed: no other poll hands it out until the claim expires.
CREATE TABLE flow_run_claims (
    flow_run_id UUID PRIMARY KEY,
    claimed_by TEXT,
    claimed_until TIMESTAMPTZ NOT NULL
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
