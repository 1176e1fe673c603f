SELECT work_queue_id, COUNT(*) FROM flow_runs
WHERE work_queue_id IN (SELECT id FROM work_queues WHERE work_pool_id = @work_pool_id)
    AND (state_type IN ('PENDING', 'RUNNING', 'CANCELLING')
        OR (state_type = 'SCHEDULED' AND EXISTS (SELECT 1 FROM flow_run_claims AS c WHERE c.flow_run_id = flow_runs.id AND c.claimed_until > @now)))
GROUP BY work_queue_id
