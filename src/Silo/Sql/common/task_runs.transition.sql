UPDATE task_runs SET name = @name, state_type = @state_type, state_name = @state_name, state_timestamp = @state_timestamp,
    expected_start_time = @expected_start_time, next_scheduled_start_time = @next_scheduled_start_time,
    start_time = @start_time, end_time = @end_time, cache_key = @cache_key, tags = @tags, updated = @updated,
    version = version + 1, data = @data
WHERE id = @id AND version = @version;
INSERT INTO task_run_states (id, task_run_id, type, name, timestamp, data) VALUES (@state_id, @id, @state_type, @state_name, @state_timestamp, @state_data);
