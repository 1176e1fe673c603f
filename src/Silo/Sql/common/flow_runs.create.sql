-- Creates the run and its first state in one round trip; the state is written only if the run was (a run with the
-- same idempotency key, or with this id from an earlier copy of the same create, may already exist, and then nothing
-- is written: the created time tells this statement's row from the earlier copy's).
INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time,
    next_scheduled_start_time, start_time, end_time, deployment_id, work_queue_name, work_queue_id, work_pool_id,
    parent_task_run_id, idempotency_key, flow_version, tags, created, updated, version, data)
VALUES (@id, @flow_id, @name, @state_type, @state_name, @state_timestamp, @expected_start_time,
    @next_scheduled_start_time, @start_time, @end_time, @deployment_id, @work_queue_name, @work_queue_id, @work_pool_id,
    @parent_task_run_id, @idempotency_key, @flow_version, @tags, @created, @updated, 1, @data)
ON CONFLICT DO NOTHING;
INSERT INTO flow_run_states (id, flow_run_id, type, name, timestamp, data)
SELECT @state_id, @id, @state_type, @state_name, @state_timestamp, @state_data WHERE EXISTS (SELECT 1 FROM flow_runs WHERE id = @id AND created = @created);
