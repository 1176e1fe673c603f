INSERT INTO block_types (id, name, slug, logo_url, documentation_url, description, code_example, is_protected, created, updated)
VALUES (@id, @name, @slug, @logo_url, @documentation_url, @description, @code_example, @is_protected, @now, @now)
ON CONFLICT DO NOTHING
