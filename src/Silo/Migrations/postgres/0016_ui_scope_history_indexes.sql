-- The run history charts of one flow's page and of one deployment's page read the runs of that flow (deployment) in a
-- time window: their state, start and end time, bucket by bucket in expected-start order. The single-column indexes of
-- migration 0001 found the scope's runs but not the window, and every run's row had to be read. These replace them
-- (a scope-only lookup uses their first column as before), so a window of one scope is a range of an index-only scan.
-- The flow's index holds the run id too: the flow page's most failing tasks start from the ids of the flow's runs in
-- the window.
-- Cost on the hot path: none in index writes. A flow-run transition changes the state, start or end time, which
-- migrations 0006 and 0008 already index, so it is never a HOT update and PostgreSQL adds an entry to every index of the
-- table, these two included, before and after this migration; the entries are wider (the key plus three timestamps and
-- the state type, about 40 bytes more each).
CREATE INDEX ix_flow_runs_flow_history ON flow_runs (flow_id, expected_start_time) INCLUDE (state_type, start_time, end_time, id);
DROP INDEX ix_flow_runs_flow;
CREATE INDEX ix_flow_runs_deployment_history ON flow_runs (deployment_id, expected_start_time) INCLUDE (state_type, start_time, end_time)
    WHERE deployment_id IS NOT NULL;
DROP INDEX ix_flow_runs_deployment;
