SELECT r.id FROM flow_run_heartbeats AS h
JOIN flow_runs AS r ON r.id = h.flow_run_id
WHERE r.state_type IN ('RUNNING', 'CANCELLING') AND r.state_timestamp <= @before AND h.last_heartbeat <= @before
ORDER BY r.state_timestamp ASC LIMIT @limit
