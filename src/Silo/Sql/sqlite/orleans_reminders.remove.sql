DELETE FROM orleans_reminders
WHERE service_id = @service_id AND grain_id = @grain_id AND reminder_name = @reminder_name AND version = @version
