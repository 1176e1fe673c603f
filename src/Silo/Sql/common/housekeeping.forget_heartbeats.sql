DELETE FROM flow_run_heartbeats WHERE flow_run_id IN (
    SELECT h.flow_run_id FROM flow_run_heartbeats AS h
    LEFT JOIN flow_runs AS r ON r.id = h.flow_run_id
    WHERE h.last_heartbeat <= @before AND (r.id IS NULL OR r.state_type IN ('COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED'))
)
