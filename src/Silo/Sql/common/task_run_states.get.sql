SELECT data FROM task_run_states WHERE id = @id
