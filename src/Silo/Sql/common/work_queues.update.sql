UPDATE work_queues SET name = @name, priority = @priority, is_paused = @is_paused, concurrency_limit = @concurrency_limit,
    updated = @updated, data = @data
WHERE id = @id AND NOT EXISTS (SELECT 1 FROM work_queues AS other WHERE other.work_pool_id = @work_pool_id AND other.name = @name AND other.id <> @id)
