-- Prefect 2.12+'s global concurrency limits (`/v2/concurrency_limits`) and 2.15+'s flow run inputs. Same conventions as
-- 0001: ids as text, times as fixed-width UTC text, booleans as 0/1.
-- A limit's slot counts are real numbers: a rate limit's slots decay continuously (slot_decay_per_second) from the time
-- of the last write (`updated`), so frequent calls never stop the decay; the API shows them rounded up.
CREATE TABLE global_concurrency_limits (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active INTEGER NOT NULL,
    concurrency_limit INTEGER NOT NULL,
    active_slots REAL NOT NULL,
    denied_slots REAL NOT NULL,
    slot_decay_per_second REAL NOT NULL,
    avg_slot_occupancy_seconds REAL NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- Key/value inputs of a flow run (pause_flow_run(wait_for_input=...), send_input/receive_input); deleted with the run.
CREATE TABLE flow_run_inputs (
    id TEXT PRIMARY KEY,
    flow_run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    sender TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_flow_run_inputs_run_key ON flow_run_inputs (flow_run_id, key);
CREATE INDEX ix_flow_run_inputs_run_created ON flow_run_inputs (flow_run_id, created);

-- Prefect 2.13+ workers send their heartbeat interval; a worker is offline after three intervals without one.
ALTER TABLE workers ADD COLUMN heartbeat_interval_seconds INTEGER;
