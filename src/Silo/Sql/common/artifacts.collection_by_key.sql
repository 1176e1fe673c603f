SELECT id, key, latest_id, type, description, data, metadata, flow_run_id, task_run_id, created, updated FROM artifact_collections WHERE key = @key
