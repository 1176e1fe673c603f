DELETE FROM flow_run_inputs WHERE flow_run_id = @flow_run_id AND key = @key
