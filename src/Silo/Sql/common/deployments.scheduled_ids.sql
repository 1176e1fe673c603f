SELECT id FROM deployments WHERE is_schedule_active AND has_schedule ORDER BY id
