INSERT INTO flow_run_states (id, flow_run_id, type, name, timestamp, data) VALUES (@id, @run_id, @type, @name, @timestamp, @data)
