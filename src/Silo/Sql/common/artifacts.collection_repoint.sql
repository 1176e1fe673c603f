UPDATE artifact_collections SET latest_id = @latest_id, type = @type, description = @description, data = @data,
    metadata = @metadata, flow_run_id = @flow_run_id, task_run_id = @task_run_id, updated = @updated
WHERE key = @key
