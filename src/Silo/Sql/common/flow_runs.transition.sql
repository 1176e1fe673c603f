UPDATE flow_runs SET name = @name, state_type = @state_type, state_name = @state_name,
    state_timestamp = @state_timestamp, expected_start_time = @expected_start_time,
    next_scheduled_start_time = @next_scheduled_start_time, start_time = @start_time, end_time = @end_time,
    deployment_id = @deployment_id, work_queue_name = @work_queue_name, work_queue_id = @work_queue_id,
    work_pool_id = @work_pool_id, parent_task_run_id = @parent_task_run_id, idempotency_key = @idempotency_key,
    flow_version = @flow_version, tags = @tags, updated = @updated, version = version + 1, data = @data
WHERE id = @id AND version = @version;
INSERT INTO flow_run_states (id, flow_run_id, type, name, timestamp, data) VALUES (@state_id, @id, @state_type, @state_name, @state_timestamp, @state_data);
