INSERT INTO block_documents (id, name, block_type_id, block_schema_id, data, is_anonymous, created, updated)
VALUES (@id, @name, @block_type_id, @block_schema_id, @data, @is_anonymous, @now, @now)
ON CONFLICT DO NOTHING
