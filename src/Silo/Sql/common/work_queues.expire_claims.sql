DELETE FROM flow_run_claims WHERE claimed_until <= @now
