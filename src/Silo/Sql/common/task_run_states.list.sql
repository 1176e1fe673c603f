SELECT data FROM task_run_states WHERE task_run_id = @run_id ORDER BY timestamp, id
