SELECT MIN(next_scheduled_start_time) FROM flow_runs
WHERE work_queue_id IN (SELECT id FROM work_queues WHERE work_pool_id = @work_pool_id) AND state_type = 'SCHEDULED'
