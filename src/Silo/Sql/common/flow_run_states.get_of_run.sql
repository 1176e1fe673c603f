SELECT data FROM flow_run_states WHERE id = @id AND flow_run_id = @flow_run_id
