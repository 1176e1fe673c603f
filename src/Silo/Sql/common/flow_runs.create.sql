-- Creates the run and its first state in one round trip; the state is written only if the run was (a run with the
-- same idempotency or task key may already exist, and then nothing is written).
INSERT INTO flow_runs (id, flow_id, name, state_type, state_name, state_timestamp, expected_start_time,
    next_scheduled_start_time, start_time, end_time, deployment_id, work_queue_name, work_queue_id, work_pool_id,
    parent_task_run_id, idempotency_key, flow_version, tags, created, updated, version, data)
VALUES (@id, @flow_id, @name, @state_type, @state_name, @state_timestamp, @expected_start_time,
    @next_scheduled_start_time, @start_time, @end_time, @deployment_id, @work_queue_name, @work_queue_id, @work_pool_id,
    @parent_task_run_id, @idempotency_key, @flow_version, @tags, @created, @updated, 1, @data)
ON CONFLICT (flow_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING;
INSERT INTO flow_run_states (id, flow_run_id, type, name, timestamp, data)
SELECT @state_id, @id, @state_type, @state_name, @state_timestamp, @state_data WHERE EXISTS (SELECT 1 FROM flow_runs WHERE id = @id);
