SELECT data, version FROM flow_runs WHERE id = @id FOR UPDATE
