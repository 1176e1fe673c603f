SELECT last_heartbeat FROM flow_run_heartbeats WHERE flow_run_id = @id
