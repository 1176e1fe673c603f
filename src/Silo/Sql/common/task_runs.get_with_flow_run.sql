SELECT t.data, t.version, f.data FROM task_runs AS t LEFT JOIN flow_runs AS f ON f.id = t.flow_run_id WHERE t.id = @id
