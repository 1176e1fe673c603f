INSERT INTO workers (work_pool_id, name, id, created, last_heartbeat_time, heartbeat_interval_seconds)
VALUES (@work_pool_id, @name, @id, @now, @now, @heartbeat_interval_seconds)
ON CONFLICT (work_pool_id, name) DO UPDATE SET last_heartbeat_time = excluded.last_heartbeat_time,
    heartbeat_interval_seconds = COALESCE(excluded.heartbeat_interval_seconds, workers.heartbeat_interval_seconds)
