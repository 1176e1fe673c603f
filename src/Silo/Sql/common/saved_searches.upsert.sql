INSERT INTO saved_searches (id, name, filters, created, updated) VALUES (@id, @name, @filters, @now, @now)
ON CONFLICT (name) DO UPDATE SET filters = excluded.filters, updated = excluded.updated
RETURNING id, name, filters, created, updated
