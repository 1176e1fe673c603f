-- Creates the run and its first state in one round trip; the state is written only if the run was (a run with the
-- same idempotency or task key may already exist, and then nothing is written).
INSERT INTO task_runs (id, flow_run_id, task_key, dynamic_key, name, state_type, state_name, state_timestamp,
    expected_start_time, next_scheduled_start_time, start_time, end_time, cache_key, tags, created, updated, version, data)
VALUES (@id, @flow_run_id, @task_key, @dynamic_key, @name, @state_type, @state_name, @state_timestamp,
    @expected_start_time, @next_scheduled_start_time, @start_time, @end_time, @cache_key, @tags, @created, @updated, 1, @data)
ON CONFLICT (flow_run_id, task_key, dynamic_key) DO NOTHING;
INSERT INTO task_run_states (id, task_run_id, type, name, timestamp, data)
SELECT @state_id, @id, @state_type, @state_name, @state_timestamp, @state_data WHERE EXISTS (SELECT 1 FROM task_runs WHERE id = @id);
