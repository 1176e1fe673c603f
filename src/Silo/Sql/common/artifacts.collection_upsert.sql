INSERT INTO artifact_collections (id, key, latest_id, type, description, data, metadata, flow_run_id, task_run_id, created, updated)
VALUES (@id, @key, @latest_id, @type, @description, @data, @metadata, @flow_run_id, @task_run_id, @created, @updated)
ON CONFLICT (key) DO UPDATE SET latest_id = excluded.latest_id, type = excluded.type, description = excluded.description,
    data = excluded.data, metadata = excluded.metadata, flow_run_id = excluded.flow_run_id, task_run_id = excluded.task_run_id,
    updated = excluded.updated
WHERE artifact_collections.updated <= excluded.updated OR artifact_collections.latest_id = excluded.latest_id
