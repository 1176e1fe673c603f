INSERT INTO artifacts (id, key, type, description, data, metadata, flow_run_id, task_run_id, created, updated)
VALUES (@id, @key, @type, @description, @data, @metadata, @flow_run_id, @task_run_id, @now, @now)
