SELECT data FROM work_queues WHERE work_pool_id = @work_pool_id ORDER BY priority ASC, name ASC
