SELECT id FROM flow_runs
WHERE deployment_id = @deployment_id AND state_type = 'SCHEDULED' AND idempotency_key LIKE 'scheduled %' AND next_scheduled_start_time > @now
