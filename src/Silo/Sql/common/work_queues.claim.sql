INSERT INTO flow_run_claims (flow_run_id, claimed_by, claimed_until) VALUES (@flow_run_id, @claimed_by, @claimed_until)
ON CONFLICT (flow_run_id) DO UPDATE SET claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
WHERE flow_run_claims.claimed_until <= @now
