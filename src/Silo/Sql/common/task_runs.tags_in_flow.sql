SELECT id, tags FROM task_runs WHERE flow_run_id IN (SELECT id FROM flow_runs WHERE flow_id = @id)
