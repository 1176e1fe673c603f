SELECT grain_id, reminder_name, start_time, period_ms, version FROM orleans_reminders
WHERE service_id = @service_id AND (grain_hash > @begin_hash OR grain_hash <= @end_hash)
