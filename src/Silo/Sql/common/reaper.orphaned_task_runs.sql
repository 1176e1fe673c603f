SELECT t.id, f.state_type FROM task_runs AS t
JOIN flow_runs AS f ON f.id = t.flow_run_id
WHERE t.state_type = 'RUNNING' AND f.state_type IN ('CRASHED', 'CANCELLED') AND f.state_timestamp <= @ended_before
LIMIT @limit
