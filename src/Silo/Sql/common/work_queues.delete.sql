DELETE FROM work_queues WHERE id = @id
