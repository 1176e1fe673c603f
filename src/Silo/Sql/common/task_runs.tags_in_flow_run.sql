SELECT id, tags FROM task_runs WHERE flow_run_id = @id
