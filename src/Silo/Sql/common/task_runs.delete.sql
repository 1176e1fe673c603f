DELETE FROM task_run_states WHERE task_run_id = @id;
DELETE FROM task_runs WHERE id = @id;
