INSERT INTO flow_run_notification_queue (id, policy_id, flow_run_id, state_id, queued) VALUES (@id, @policy_id, @flow_run_id, @state_id, @now)
ON CONFLICT DO NOTHING
