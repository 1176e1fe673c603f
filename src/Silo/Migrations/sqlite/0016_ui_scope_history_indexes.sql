-- The run history charts of one flow's page and of one deployment's page read the runs of that flow (deployment) in a
-- time window: their state, start and end time, bucket by bucket in expected-start order. The single-column indexes of
-- migration 0001 found the scope's runs but not the window, and every run's row had to be read. These replace them
-- (a scope-only lookup uses their first column as before) and hold every column the charts read, so a window of one
-- scope is one range of the index and no table row is read. The flow's index holds the run id too: the flow page's
-- most failing tasks start from the ids of the flow's runs in the window.
-- Cost on the hot path: the number of indexes stays the same, but SQLite rewrites an index entry only when a column of
-- that index changes, and these now hold the state, start and end time: a flow-run transition now also rewrites the
-- run's entry in them (two entries for a deployment's run, one for a run without a deployment), beside the state,
-- start-time, end-time and history indexes it already rewrote (migrations 0004, 0006, 0008).
CREATE INDEX ix_flow_runs_flow_history ON flow_runs (flow_id, expected_start_time, state_type, start_time, end_time, id);
DROP INDEX ix_flow_runs_flow;
CREATE INDEX ix_flow_runs_deployment_history ON flow_runs (deployment_id, expected_start_time, state_type, start_time, end_time)
    WHERE deployment_id IS NOT NULL;
DROP INDEX ix_flow_runs_deployment;
