SELECT data FROM work_queues WHERE id = @id
