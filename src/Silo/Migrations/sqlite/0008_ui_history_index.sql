-- The UI's run history charts (dashboard, flow and deployment pages) group the runs of a time window by bucket and
-- state, and take the duration and the start delay of each. This index holds every column they read, in expected-start
-- order, so a window is one range of the index and no table row is read. One entry more per flow-run write.
CREATE INDEX ix_flow_runs_history ON flow_runs (expected_start_time, state_type, start_time, end_time);
