SELECT p.name, q.name, COUNT(*) FROM flow_runs AS r
JOIN work_queues AS q ON q.id = r.work_queue_id
JOIN work_pools AS p ON p.id = q.work_pool_id
WHERE r.state_type = 'SCHEDULED' AND r.next_scheduled_start_time <= @now
GROUP BY p.name, q.name
