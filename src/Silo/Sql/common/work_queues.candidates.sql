SELECT data FROM flow_runs
WHERE work_queue_id = @work_queue_id AND state_type = 'SCHEDULED' AND next_scheduled_start_time <= @before
    AND NOT EXISTS (SELECT 1 FROM flow_run_claims AS c WHERE c.flow_run_id = flow_runs.id AND c.claimed_until > @now)
ORDER BY next_scheduled_start_time ASC, id ASC
LIMIT @limit
