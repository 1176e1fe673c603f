SELECT id, name, level, message, timestamp, flow_run_id, task_run_id, created, updated FROM logs
