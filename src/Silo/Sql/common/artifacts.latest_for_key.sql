SELECT id, key, type, description, data, metadata, flow_run_id, task_run_id, created, updated FROM artifacts WHERE key = @key
ORDER BY created DESC, id DESC
LIMIT 1
