INSERT INTO automations (id, name, enabled, tags, body, created, updated) VALUES (@id, @name, @enabled, @tags, @body, @created, @updated)
