INSERT INTO task_run_states (id, task_run_id, type, name, timestamp, data) VALUES (@id, @run_id, @type, @name, @timestamp, @data)
