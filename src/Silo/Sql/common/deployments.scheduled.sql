SELECT data FROM deployments WHERE is_schedule_active = @yes AND has_schedule = @yes ORDER BY id
