SELECT 1 FROM flow_runs WHERE id = @id
