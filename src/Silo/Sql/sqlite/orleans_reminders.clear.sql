DELETE FROM orleans_reminders WHERE service_id = @service_id
