SELECT data FROM flow_run_states WHERE flow_run_id = @run_id ORDER BY timestamp, id
