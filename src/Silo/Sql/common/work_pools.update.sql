UPDATE work_pools SET is_paused = @is_paused, concurrency_limit = @concurrency_limit, updated = @updated, data = @data
WHERE id = @id
