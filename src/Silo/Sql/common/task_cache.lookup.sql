SELECT state FROM task_run_state_cache
WHERE cache_key = @cache_key AND (cache_expiration IS NULL OR cache_expiration > @now)
ORDER BY created DESC
LIMIT 1
