SELECT COUNT(*) FROM automations
