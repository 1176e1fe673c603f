-- The names (and tags) of what a flow run's events relate to, in one round trip; a missing id gives nulls.
SELECT (SELECT name FROM flows WHERE id = @flow_id),
    (SELECT tags FROM flows WHERE id = @flow_id),
    (SELECT name FROM deployments WHERE id = @deployment_id),
    (SELECT tags FROM deployments WHERE id = @deployment_id),
    (SELECT name FROM work_queues WHERE id = @work_queue_id),
    (SELECT name FROM work_pools WHERE id = @work_pool_id),
    (SELECT type FROM work_pools WHERE id = @work_pool_id),
    (SELECT name FROM task_runs WHERE id = @parent_task_run_id)
