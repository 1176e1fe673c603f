UPDATE automations SET name = @name, enabled = @enabled, tags = @tags, body = @body, updated = @updated WHERE id = @id
