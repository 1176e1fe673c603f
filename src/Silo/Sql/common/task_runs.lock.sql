SELECT data, version FROM task_runs WHERE id = @id
