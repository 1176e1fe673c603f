INSERT INTO deployment_reminders (deployment_id, due_at) VALUES (@deployment_id, @due_at)
ON CONFLICT (deployment_id) DO UPDATE SET due_at = excluded.due_at, owner = NULL, lease_until = NULL
