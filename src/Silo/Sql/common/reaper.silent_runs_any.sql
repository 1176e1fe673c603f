SELECT r.id FROM flow_runs AS r
LEFT JOIN flow_run_heartbeats AS h ON h.flow_run_id = r.id
WHERE r.state_type IN ('RUNNING', 'CANCELLING') AND r.state_timestamp <= @before
  AND (h.last_heartbeat IS NULL OR h.last_heartbeat <= @before)
ORDER BY r.state_timestamp ASC LIMIT @limit
