INSERT INTO deployments (id, flow_id, name, work_queue_name, work_queue_id, work_pool_name, is_schedule_active, has_schedule,
    tags, created, updated, data)
VALUES (@id, @flow_id, @name, @work_queue_name, @work_queue_id, @work_pool_name, @is_schedule_active, @has_schedule,
    @tags, @created, @updated, @data)
ON CONFLICT DO NOTHING
