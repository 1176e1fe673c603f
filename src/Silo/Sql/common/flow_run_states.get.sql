SELECT data FROM flow_run_states WHERE id = @id
