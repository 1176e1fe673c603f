SELECT idempotency_key FROM flow_runs
WHERE deployment_id = @deployment_id AND idempotency_key LIKE 'scheduled %' AND expected_start_time >= @from
