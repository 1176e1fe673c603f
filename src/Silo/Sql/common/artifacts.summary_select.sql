SELECT id, key, type, substr(description, 1, 2000), CASE WHEN length(data) <= 65536 THEN data END, metadata, flow_run_id, task_run_id, created, updated, COALESCE(length(data), 0) FROM artifacts
