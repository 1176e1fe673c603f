INSERT INTO work_pools (id, name, type, is_paused, concurrency_limit, created, updated, data)
VALUES (@id, @name, @type, @is_paused, @concurrency_limit, @created, @updated, @data)
ON CONFLICT DO NOTHING
