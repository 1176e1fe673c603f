SELECT data, version FROM flow_runs WHERE flow_id = @flow_id AND idempotency_key = @idempotency_key
