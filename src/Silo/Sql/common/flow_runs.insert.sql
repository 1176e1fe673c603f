INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time,
    next_scheduled_start_time, start_time, end_time, deployment_id, work_queue_name, work_queue_id, work_pool_id,
    parent_task_run_id, idempotency_key, flow_version, tags, created, updated, version, data)
VALUES (@id, @flow_id, @name, @state_type, @state_name, @state_timestamp, @expected_start_time,
    @next_scheduled_start_time, @start_time, @end_time, @deployment_id, @work_queue_name, @work_queue_id, @work_pool_id,
    @parent_task_run_id, @idempotency_key, @flow_version, @tags, @created, @updated, 1, @data)
ON CONFLICT DO NOTHING
