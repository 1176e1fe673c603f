-- Work pools, their queues and workers, deployments, claims of scheduled runs by workers, and leases of the
-- singleton background processes. Rows keep the whole record as JSON in `data`; other columns filter and sort.
CREATE TABLE work_pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    is_paused INTEGER NOT NULL,
    concurrency_limit INTEGER,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    data TEXT NOT NULL
);

CREATE TABLE work_queues (
    id TEXT PRIMARY KEY,
    work_pool_id TEXT NOT NULL,
    name TEXT NOT NULL,
    priority INTEGER NOT NULL,
    is_paused INTEGER NOT NULL,
    concurrency_limit INTEGER,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_work_queues_name ON work_queues (work_pool_id, name);

CREATE TABLE workers (
    work_pool_id TEXT NOT NULL,
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    created TEXT NOT NULL,
    last_heartbeat_time TEXT NOT NULL,
    PRIMARY KEY (work_pool_id, name)
);

CREATE TABLE deployments (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    name TEXT NOT NULL,
    work_queue_name TEXT,
    work_queue_id TEXT,
    work_pool_name TEXT,
    is_schedule_active INTEGER NOT NULL,
    has_schedule INTEGER NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_deployments_name ON deployments (flow_id, name);

-- A worker's hold on a scheduled run it was handed: no other poll hands it out until the claim expires.
CREATE TABLE flow_run_claims (
    flow_run_id TEXT PRIMARY KEY,
    claimed_by TEXT,
    claimed_until TEXT NOT NULL
);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
