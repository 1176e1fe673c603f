DELETE FROM global_concurrency_limits WHERE id = @id
