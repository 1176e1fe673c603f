INSERT INTO block_schemas (id, checksum, version, block_type_id, fields, capabilities, created, updated)
VALUES (@id, @checksum, @version, @block_type_id, @fields, @capabilities, @now, @now)
ON CONFLICT DO NOTHING
