SELECT id FROM task_runs WHERE flow_run_id = @id AND state_type = 'RUNNING'
