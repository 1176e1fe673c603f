SELECT id, key, type, description, data, metadata, flow_run_id, task_run_id, created, updated FROM artifacts WHERE id = @id
