SELECT id FROM flow_runs
WHERE state_type = 'SCHEDULED' AND state_name = 'Scheduled' AND next_scheduled_start_time <= @before
ORDER BY next_scheduled_start_time ASC LIMIT @limit
