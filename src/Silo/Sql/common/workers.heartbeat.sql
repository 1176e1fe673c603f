INSERT INTO workers (work_pool_id, name, id, created, last_heartbeat_time) VALUES (@work_pool_id, @name, @id, @now, @now)
ON CONFLICT (work_pool_id, name) DO UPDATE SET last_heartbeat_time = excluded.last_heartbeat_time
