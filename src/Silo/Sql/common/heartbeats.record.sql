INSERT INTO flow_run_heartbeats (flow_run_id, last_heartbeat)
SELECT id, @now FROM flow_runs WHERE id = @id
ON CONFLICT (flow_run_id) DO UPDATE SET last_heartbeat = excluded.last_heartbeat
