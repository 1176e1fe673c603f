-- The UI's run list filters by state and sorts by expected start, and searches and sorts by name: index both so a
-- million runs page quickly. Flow runs change state a handful of times each, so two more entries per write are cheap.
CREATE INDEX ix_flow_runs_state_expected ON flow_runs (state_type, expected_start_time);
CREATE INDEX ix_flow_runs_name ON flow_runs (name);
-- The composite index serves lookups by state alone too.
DROP INDEX ix_flow_runs_state_type;
