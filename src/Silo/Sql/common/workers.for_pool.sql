SELECT id, name, work_pool_id, created, last_heartbeat_time, heartbeat_interval_seconds FROM workers WHERE work_pool_id = @work_pool_id
ORDER BY last_heartbeat_time DESC, name ASC LIMIT @limit OFFSET @offset
