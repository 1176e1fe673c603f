UPDATE deployment_reminders SET due_at = @due_at, owner = NULL, lease_until = NULL
WHERE deployment_id = @deployment_id AND owner = @owner
