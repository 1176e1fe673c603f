-- The UI's run history charts (dashboard, flow and deployment pages) group the runs of a time window by bucket and
-- state, and take the duration and the start delay of each. The included columns let a window be read by an
-- index-only scan (no heap rows once the visibility map is set). One entry more per flow-run write.
CREATE INDEX ix_flow_runs_history ON flow_runs (expected_start_time) INCLUDE (state_type, start_time, end_time);
