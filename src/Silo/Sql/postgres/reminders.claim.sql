UPDATE deployment_reminders SET owner = @owner, lease_until = @lease_until
WHERE deployment_id IN (
    SELECT deployment_id FROM deployment_reminders
    WHERE due_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY due_at
    LIMIT @limit
    FOR UPDATE SKIP LOCKED)
RETURNING deployment_id
