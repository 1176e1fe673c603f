INSERT INTO work_queues (id, work_pool_id, name, priority, is_paused, concurrency_limit, created, updated, data)
VALUES (@id, @work_pool_id, @name, @priority, @is_paused, @concurrency_limit, @created, @updated, @data)
ON CONFLICT DO NOTHING
