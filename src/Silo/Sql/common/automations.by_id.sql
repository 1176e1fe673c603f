SELECT id, name, enabled, tags, body, created, updated FROM automations WHERE id = @id
