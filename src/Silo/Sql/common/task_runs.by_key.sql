SELECT data, version FROM task_runs WHERE flow_run_id = @flow_run_id AND task_key = @task_key AND dynamic_key = @dynamic_key
