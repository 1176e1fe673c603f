DELETE FROM flow_run_claims WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE work_queue_id IN (SELECT id FROM work_queues WHERE work_pool_id = @id));
DELETE FROM workers WHERE work_pool_id = @id;
DELETE FROM work_queues WHERE work_pool_id = @id;
DELETE FROM work_pools WHERE id = @id
