-- Prefect's prefix filter, without LIKE so that '%' and '_' in a prefix match themselves.
SELECT id, flow_run_id, key, value, sender, created, updated FROM flow_run_inputs
WHERE flow_run_id = @flow_run_id AND substr(key, 1, length(@prefix)) = @prefix AND key <> ALL(@exclude_keys)
ORDER BY created, id LIMIT @limit
