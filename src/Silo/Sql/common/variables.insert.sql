INSERT INTO variables (id, name, value, tags, created, updated) VALUES (@id, @name, @value, @tags, @now, @now)
ON CONFLICT DO NOTHING
