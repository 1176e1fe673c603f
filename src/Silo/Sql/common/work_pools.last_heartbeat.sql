SELECT MAX(last_heartbeat_time) FROM workers WHERE work_pool_id = @id
