INSERT INTO block_schemas (id, checksum, version, block_type_id, fields, capabilities, created, updated)
SELECT @id, @checksum, @version, t.id, @fields, @capabilities, @now, @now FROM block_types AS t WHERE t.slug = @slug
ON CONFLICT DO NOTHING
