INSERT INTO task_run_state_cache (cache_key, cache_expiration, task_run_state_id, created, state)
VALUES (@cache_key, @cache_expiration, @state_id, @created, @state)
