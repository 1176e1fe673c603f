UPDATE deployments SET work_queue_name = @work_queue_name, work_queue_id = @work_queue_id, work_pool_name = @work_pool_name,
    is_schedule_active = @is_schedule_active, has_schedule = @has_schedule, tags = @tags, updated = @updated, data = @data
WHERE id = @id
