INSERT INTO flows (id, name, tags, created, updated, data) VALUES (@id, @name, @tags, @now, @now, @data)
ON CONFLICT (name) DO NOTHING
