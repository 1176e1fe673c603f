INSERT INTO flow_run_inputs (id, flow_run_id, key, value, sender, created, updated)
SELECT @id, @flow_run_id, @key, @value, @sender, @now, @now WHERE EXISTS (SELECT 1 FROM flow_runs WHERE id = @flow_run_id)
ON CONFLICT DO NOTHING
