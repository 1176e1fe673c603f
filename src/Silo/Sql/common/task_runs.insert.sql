INSERT INTO task_runs (id, flow_run_id, task_key, dynamic_key, name, state_type, state_name, state_timestamp,
    expected_start_time, next_scheduled_start_time, start_time, end_time, cache_key, tags, created, updated, version, data)
VALUES (@id, @flow_run_id, @task_key, @dynamic_key, @name, @state_type, @state_name, @state_timestamp,
    @expected_start_time, @next_scheduled_start_time, @start_time, @end_time, @cache_key, @tags, @created, @updated, 1, @data)
ON CONFLICT (flow_run_id, task_key, dynamic_key) DO NOTHING
